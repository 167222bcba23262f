package dev.distill.job.method;

/**
 * Where a method's stage sits between the shared stages (ingest → observe → … → label → write).
 * Stages run in this order whatever order {@code distill.methods} lists the methods in, so
 * combining methods needs no code: select real material, compose images from it, re-colour them,
 * add compensators.
 */
public enum Phase {
  SELECT,
  COMPOSE,
  PALETTE,
  COMPENSATE
}
