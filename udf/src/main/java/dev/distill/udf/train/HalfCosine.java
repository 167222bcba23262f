package dev.distill.udf.train;

import ai.djl.training.tracker.Tracker;

/**
 * RDED's schedule, stepped once per epoch: lr × 0.5 × (1 + cos(π e / (2E))). The extra /2 is in
 * the official code: the rate only falls to half of its start by the last epoch. Reproduced as is.
 */
public final class HalfCosine implements Tracker {
  private final float base;
  private final int epochs;
  private final int stepsPerEpoch;

  public HalfCosine(float base, int epochs, int stepsPerEpoch) {
    this.base = base;
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
  }

  public float atEpoch(int epoch) {
    return (float) (base * 0.5 * (1 + Math.cos(Math.PI * epoch / (2.0 * epochs))));
  }

  /** DJL counts updates per parameter from 1. */
  @Override
  public float getNewValue(int numUpdate) {
    return atEpoch(Math.max(0, numUpdate - 1) / stepsPerEpoch);
  }
}
