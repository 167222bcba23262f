package dev.distill.job.method.graphcut;

import dev.distill.job.config.MethodSettings;

/**
 * {@code distill.graphcut}: which features describe an image, how the graph cut is maximised, and
 * how the observer's judgement (realism, difficulty) is mixed in.
 *
 * @param features embedding (the observer's penultimate layer, what the official code uses),
 *     histogram (colour / gray-level histogram) or both (the two unit vectors, concatenated)
 * @param histogramBins bins per channel; RGB histograms are joint (bins³ cells)
 * @param quantiseColours 0: features of the image as it is; K: of its median-cut K-colour version
 *     (the paper's "graph cut on quantised images")
 * @param lambda weight of the coverage term (the paper: 1)
 * @param greedy exact or stochastic
 * @param epsilon stochastic greedy's accuracy (the official code: 0.9)
 * @param realismWeight w in (1 − w)·gain/n + w·p(label | image): 0 diversity only, 1 realism only
 * @param dropEasiest fraction of each class's lowest cross-entropy images that may not be chosen
 * @param dropHardest fraction of each class's highest cross-entropy images that may not be chosen
 * @param poolSize images per class the cut is over (0: all)
 * @param partsPerClass 1: one task per class; P: two-round selection (greedy in P parts, then over
 *     their union), for classes beyond one task's memory
 */
public record GraphCutSettings(String features, int histogramBins, int quantiseColours, double lambda, String greedy,
    double epsilon, double realismWeight, double dropEasiest, double dropHardest, int poolSize, int partsPerClass)
    implements MethodSettings {
  public static final String EMBEDDING = "embedding";
  public static final String HISTOGRAM = "histogram";
  public static final String BOTH = "both";
  public static final String EXACT = "exact";
  public static final String STOCHASTIC = "stochastic";

  boolean needsEmbedding() {
    return !features.equals(HISTOGRAM);
  }

  boolean needsHistogram() {
    return !features.equals(EMBEDDING);
  }
}
