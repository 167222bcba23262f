package dev.distill.job.budget;

import dev.distill.job.config.ConfigError;

/**
 * The storage a run may spend, in bytes, and the accounting that charges items against it. Given
 * as {@code distill.budget.bytes}, or as {@code distill.ipc}: shorthand for {@code ipc × classes}
 * units of one 8-bit image and, under strict accounting, its soft-label vector — so {@code ipc = 10}
 * buys exactly 10 plain images per class under either accounting.
 */
public record StorageBudget(long bytes, Accounting accounting, String key, ImageShape shape) {
  public static final String BYTES_KEY = "distill.budget.bytes";
  public static final String IPC_KEY = "distill.ipc";

  /** {@code bytes} when given (not null), else {@code ipc} images per class. */
  public static StorageBudget of(Long bytes, int ipc, Accounting accounting, ImageShape shape) {
    if (bytes != null) {
      return new StorageBudget(bytes, accounting, BYTES_KEY, shape);
    }
    long unit = ItemCost.fullDepthImage(shape, 1).bytes(accounting);
    return new StorageBudget((long) ipc * shape.classes() * unit, accounting, IPC_KEY, shape);
  }

  /**
   * Whole units of {@code cost} per class the budget buys; fails when it cannot buy one for every
   * class, naming the key that set the budget and the smallest value that would.
   */
  public int perClass(ItemCost cost) {
    long perUnit = cost.bytes(accounting) * shape.classes();
    long units = bytes / perUnit;
    if (units < 1) {
      long ipcNeeded = (perUnit + unitOfIpc() * shape.classes() - 1) / (unitOfIpc() * shape.classes());
      throw new ConfigError(key + " = " + (key.equals(IPC_KEY) ? bytes / (unitOfIpc() * shape.classes()) : bytes)
          + ": the budget of " + bytes + " bytes (" + accounting.key() + " accounting) cannot hold one "
          + cost.kind() + " (" + cost.bytes(accounting) + " bytes) for each of " + shape.classes()
          + " classes; the smallest feasible budget is " + BYTES_KEY + " = " + perUnit + " (or "
          + IPC_KEY + " = " + ipcNeeded + ")");
    }
    return (int) Math.min(Integer.MAX_VALUE, units);
  }

  /** Bytes that {@code perClass} units of {@code cost} take, for every class. */
  public long planned(ItemCost cost, int perClass) {
    return cost.bytes(accounting) * shape.classes() * perClass;
  }

  private long unitOfIpc() {
    return ItemCost.fullDepthImage(shape, 1).bytes(accounting);
  }
}
