package dev.distill.job.method.infer;

import dev.distill.job.config.MethodSettings;

/**
 * {@code distill.infer.*}: the compensator optimisation (ALGORITHMS.md §3.3) and how many teachers
 * each slot gets a compensator from ({@code teachers}: the run's observer architectures).
 */
public record InferSettings(int teachers, int iterations, float learningRate, float bnWeight, float firstBnWeight,
    int maxShift) implements MethodSettings {}
