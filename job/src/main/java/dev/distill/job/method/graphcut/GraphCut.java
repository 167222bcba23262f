package dev.distill.job.method.graphcut;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Greedy maximisation of AutoPalette's generalised graph cut over one class, with cosine
 * similarity s(i, j) = ½ + ½·f̂ᵢ·f̂ⱼ between unit feature vectors:
 *
 * <pre>  f(A) = λ·Σ_{i∈V} Σ_{a∈A} s(i, a) − Σ_{a,b∈A} s(a, b)
 *   gain(k | A) = λ·Σ_{i∈V} s(i, k) − 2·Σ_{a∈A} s(a, k)        (the constant s(k, k) dropped)</pre>
 *
 * No n × n matrix: for cosine similarity Σ_{i∈V} s(i, k) = n/2 + ½·f̂ₖ·S with S = Σᵢ f̂ᵢ, and
 * Σ_{a∈A} s(a, k) = |A|/2 + ½·f̂ₖ·T with T = Σ_{a∈A} f̂ₐ, so
 * gain(k | A) = λn/2 − |A| + ½·f̂ₖ·(λS − 2T). Exact greedy keeps f̂ₖ·S and f̂ₖ·T per candidate
 * and costs O(budget · m · d) for m candidates of d dimensions; stochastic greedy (Mirzasoleiman
 * et al. 2015, the official code's choice) evaluates r = ⌈ln(1/ε) · m / budget⌉ random candidates
 * a step.
 *
 * <p>The ground set V (what the selection should represent: n and S) and the candidates (what
 * may be chosen, e.g. after a difficulty band) are given separately. Realism enters as a modular
 * term: each step takes the argmax of (1 − w)·gain(k | A)/n + w·realismₖ (w = 0: diversity only;
 * w = 1: realism only). Ties go to the lower candidate index.
 */
public final class GraphCut {
  private final double lambda;
  private final double realismWeight;

  public GraphCut(double lambda, double realismWeight) {
    this.lambda = lambda;
    this.realismWeight = realismWeight;
  }

  /** The ground set's summary: its size and the sum of its unit features. */
  public record Ground(long size, double[] sum) implements java.io.Serializable {
    public static Ground of(float[][] unitFeatures) {
      double[] sum = new double[unitFeatures.length == 0 ? 0 : unitFeatures[0].length];
      for (float[] f : unitFeatures) {
        for (int j = 0; j < sum.length; j++) {
          sum[j] += f[j];
        }
      }
      return new Ground(unitFeatures.length, sum);
    }
  }

  /** The chosen candidate indices in the order chosen, with each one's score when it was chosen. */
  public record Selection(int[] order, double[] scores) {}

  /** Exact greedy: {@code budget} candidates (all of them when fewer). */
  public Selection exact(Ground ground, float[][] candidates, double[] realism, int budget) {
    return greedy(ground, candidates, realism, budget, null, 0);
  }

  /** Stochastic greedy with accuracy ε, its random draws from {@code random}. */
  public Selection stochastic(Ground ground, float[][] candidates, double[] realism, int budget, double epsilon,
      SplittableRandom random) {
    int m = candidates.length;
    int sample = (int) Math.max(1, Math.ceil(Math.log(1 / epsilon) * m / Math.max(1, budget)));
    return greedy(ground, candidates, realism, budget, random, sample);
  }

  private Selection greedy(Ground ground, float[][] candidates, double[] realism, int budget,
      SplittableRandom random, int sample) {
    int m = candidates.length;
    int take = Math.min(budget, m);
    double n = ground.size();
    double[] dotS = new double[m];
    double[] dotT = new double[m];
    for (int k = 0; k < m; k++) {
      dotS[k] = dot(candidates[k], ground.sum());
    }
    boolean[] chosen = new boolean[m];
    int[] remaining = new int[m]; // unchosen candidates, for sampling without replacement
    for (int k = 0; k < m; k++) {
      remaining[k] = k;
    }
    int left = m;
    int[] order = new int[take];
    double[] scores = new double[take];
    for (int step = 0; step < take; step++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      if (random == null || sample >= left) {
        for (int k = 0; k < m; k++) {
          if (!chosen[k]) {
            double score = score(n, step, dotS[k], dotT[k], realism[k]);
            if (score > bestScore) {
              bestScore = score;
              best = k;
            }
          }
        }
      } else {
        for (int s = 0; s < sample; s++) { // partial Fisher–Yates over the unchosen
          int pick = s + random.nextInt(left - s);
          int k = remaining[pick];
          remaining[pick] = remaining[s];
          remaining[s] = k;
          double score = score(n, step, dotS[k], dotT[k], realism[k]);
          if (score > bestScore || (score == bestScore && k < best)) {
            bestScore = score;
            best = k;
          }
        }
      }
      chosen[best] = true;
      order[step] = best;
      scores[step] = bestScore;
      for (int i = 0; i < left; i++) {
        if (remaining[i] == best) {
          remaining[i] = remaining[--left];
          break;
        }
      }
      float[] a = candidates[best];
      for (int k = 0; k < m; k++) {
        if (!chosen[k]) {
          dotT[k] += dot(candidates[k], a);
        }
      }
    }
    return new Selection(order, scores);
  }

  private double score(double n, int selected, double dotS, double dotT, double realism) {
    double gain = lambda * n / 2 - selected + 0.5 * (lambda * dotS - 2 * dotT);
    return (1 - realismWeight) * gain / n + realismWeight * realism;
  }

  /** f(A) for the chosen candidates {@code order}: what greedy variants are compared by. */
  public double objective(Ground ground, float[][] candidates, int[] order) {
    double[] t = new double[ground.sum().length];
    double cover = 0;
    for (int a : order) {
      cover += ground.size() / 2.0 + 0.5 * dot(candidates[a], ground.sum());
      for (int j = 0; j < t.length; j++) {
        t[j] += candidates[a][j];
      }
    }
    double tt = 0;
    for (double v : t) {
      tt += v * v;
    }
    return lambda * cover - (order.length * (double) order.length / 2 + 0.5 * tt);
  }

  /** Scales {@code v} to unit length (a zero vector stays zero). */
  public static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float[] out = new float[v.length];
    if (norm > 0) {
      double inv = 1 / Math.sqrt(norm);
      for (int i = 0; i < v.length; i++) {
        out[i] = (float) (v[i] * inv);
      }
    }
    return out;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double dot(float[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Indices of {@code selection} as a list, for callers that map them back to rows. */
  public static List<Integer> indices(Selection selection) {
    List<Integer> out = new ArrayList<>(selection.order().length);
    for (int i : selection.order()) {
      out.add(i);
    }
    return out;
  }
}
