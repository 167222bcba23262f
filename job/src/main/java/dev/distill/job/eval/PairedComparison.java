package dev.distill.job.eval;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Improvement over random (IOR, as the DD-Ranking benchmark names it): the mean of the paired
 * differences method − baseline over runs that share a seed, its 95 % t-interval, and the two-sided
 * p-value of a paired t-test. Pairing removes what the two arms share (the seed's draw), so it is
 * the test that fits; |Δ| > σ₁ + σ₂ is not one.
 */
public record PairedComparison(int n, double meanDifference, double std, double ciLow, double ciHigh, double pValue) {

  public static PairedComparison of(double[] method, double[] baseline) {
    if (method.length != baseline.length || method.length < 2) {
      throw new IllegalArgumentException("a paired comparison needs two equal series of at least 2 values, got "
          + method.length + " and " + baseline.length);
    }
    double[] d = new double[method.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = method[i] - baseline[i];
    }
    Interval i = Interval.of(d);
    double p = i.std() == 0 ? (i.mean() == 0 ? 1.0 : 0.0) : new TTest().pairedTTest(method, baseline);
    return new PairedComparison(d.length, i.mean(), i.std(), i.low(), i.high(), p);
  }

  /** Mean, sample standard deviation and the 95 % t-interval of the mean. */
  public record Interval(double mean, double std, double low, double high) {
    public static Interval of(double[] values) {
      int n = values.length;
      double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
      double ss = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
      double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0;
      double half = n > 1 ? new TDistribution(n - 1).inverseCumulativeProbability(0.975) * std / Math.sqrt(n) : 0.0;
      return new Interval(mean, std, mean - half, mean + half);
    }
  }
}
