package dev.distill.job.stage;

import dev.distill.job.config.DistillConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure on purpose, for tests of resume and cleanup ({@code distill.fault.*}, off by default):
 * right after a stage's record is committed, halt the JVM as a kill would (no finally blocks, no
 * shutdown hooks) or throw.
 */
public final class FaultHook {
  private static final Logger LOG = LoggerFactory.getLogger(FaultHook.class);

  private FaultHook() {}

  public static void afterCommit(DistillConfig.Fault fault, String stage) {
    if (stage.equals(fault.haltAfter())) {
      LOG.warn("distill.fault.halt-after = {}: halting the JVM now", stage);
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
    if (stage.equals(fault.failAfter())) {
      throw FaultHook.<RuntimeException>undeclared(
          new InjectedFault("distill.fault.fail-after = " + stage + ": failing after the stage committed"));
    }
  }

  /**
   * What the hook throws: a checked exception no signature declares, as Spark's own failures
   * ({@code SparkException}) reach Java code, so that cleanup is tested against the hard case.
   */
  public static final class InjectedFault extends Exception {
    public InjectedFault(String message) {
      super(message);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E undeclared(Throwable t) throws E {
    throw (E) t;
  }
}
