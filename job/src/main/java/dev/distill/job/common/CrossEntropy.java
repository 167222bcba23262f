package dev.distill.job.common;

import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Column;

/** The observer's judgement of an image: its cross-entropy on the image's own class. */
public final class CrossEntropy {
  private CrossEntropy() {}

  /** −log softmax(logits)[label], computed stably (max subtracted) in double precision. */
  public static Column of(String logits, String label) {
    String max = "array_max(" + logits + ")";
    return expr("log(aggregate(" + logits + ", 0D, (a, x) -> a + exp(x - " + max + "))) + " + max
        + " - element_at(" + logits + ", " + label + " + 1)");
  }
}
