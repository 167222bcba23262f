package dev.distill.job.budget;

/**
 * The planner's answer, made after ingest and before any expensive stage: how many units of the
 * methods' cost model each class gets, and the bytes that plans to spend.
 */
public record BudgetPlan(StorageBudget budget, ItemCost unit, int perClass) {

  public static BudgetPlan of(StorageBudget budget, ItemCost unit) {
    return new BudgetPlan(budget, unit, budget.perClass(unit));
  }

  public long plannedBytes() {
    return budget.planned(unit, perClass);
  }
}
