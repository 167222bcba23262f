package dev.distill.udf.train;

/**
 * Guards the PyTorch engine's process-wide training state. Spark runs several training tasks
 * (observer architectures, student seeds) in one executor JVM, but DJL's PyTorch engine allows one
 * collecting GradientCollector per JVM (a second throws), and the seed that fixes weight
 * initialisation is process-wide: seeding + initialising, and each optimisation step, take turns.
 * Inference needs no lock.
 */
public final class EngineLock {
  public static final Object LOCK = new Object();

  private EngineLock() {}
}
