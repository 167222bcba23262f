package dev.distill.job.budget;

/**
 * The planner's answer, made after ingest and before any expensive stage: how many units of the
 * methods' cost model each class gets, and the bytes that plans to spend.
 */
public record BudgetPlan(StorageBudget budget, ItemCost unit, int perClass) {

  /**
   * Under on-disk accounting {@code perClass} is the number of candidates the methods choose: a
   * quarter more than the estimate buys (the fit stage keeps what really fits).
   */
  public static BudgetPlan of(StorageBudget budget, ItemCost unit) {
    int n = budget.perClass(unit);
    return new BudgetPlan(budget, unit, budget.accounting() == Accounting.ON_DISK ? n + n / 4 + 1 : n);
  }

  /** What the plan expects to spend (on disk: at most the budget; the fit stage keeps what fits). */
  public long plannedBytes() {
    long planned = budget.planned(unit, perClass);
    return budget.accounting() == Accounting.ON_DISK ? Math.min(budget.bytes(), planned) : planned;
  }
}
