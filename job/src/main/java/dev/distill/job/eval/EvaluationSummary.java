package dev.distill.job.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distill.job.output.Manifest;
import dev.distill.udf.train.StudentOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The content of {@code evaluation.json}: the protocol, mean ± std over seeds per (training set,
 * budget, student, labels), and every run with its test-accuracy curve.
 */
final class EvaluationSummary {
  private EvaluationSummary() {}

  static ObjectNode of(Manifest manifest, StudentOptions protocol, List<StudentRun> runs,
      Map<String, TrainingSet> sets, long teacherBytes) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("method", manifest.method());
    r.put("ipc", manifest.ipc());
    r.put("classes", manifest.classes());
    r.put("config_sha256", manifest.configSha256());
    r.put("teacher_bytes", teacherBytes);
    Double observer = manifest.observer().testAccuracy();
    if (observer == null) {
      r.putNull("observer_test_accuracy");
    } else {
      r.put("observer_test_accuracy", observer);
    }
    ObjectNode p = r.putObject("protocol");
    p.put("epochs", protocol.epochs());
    p.put("batch_size", protocol.batchSize());
    p.put("optimizer", "AdamW (decay on weights with >= 2 dims)");
    p.put("learning_rate", protocol.learningRate());
    p.put("weight_decay", protocol.weightDecay());
    p.put("schedule", "half-cosine per epoch (ends at 0.5x)");
    p.put("augmentation", protocol.factor() > 1
        ? "distilled images: ShufflePatches(" + protocol.factor() + ") + RandomResizedCrop(scale 1/"
            + protocol.factor() + "..1, ratio 3/4..4/3) + horizontal flip; real images: horizontal flip"
        : "horizontal flip");
    p.put("mixing", protocol.mixing().name().toLowerCase(java.util.Locale.ROOT));
    p.put("temperature", protocol.temperature());
    p.put("eval_from", protocol.evalFrom());
    p.put("reported", "best = best of the test evaluations after " + (int) (100 * protocol.evalFrom())
        + "% of the epochs (every " + protocol.evalEvery() + "); last = after the final epoch");
    ArrayNode summary = r.putArray("summary");
    Map<String, List<StudentRun>> groups = runs.stream().collect(Collectors.groupingBy(
        run -> run.dataset() + "|" + run.ipc() + "|" + run.student() + "|" + run.labels(), LinkedHashMap::new,
        Collectors.toList()));
    for (List<StudentRun> g : groups.values()) {
      StudentRun first = g.get(0);
      ObjectNode s = summary.addObject();
      describe(s, first);
      List<TrainingSet> used = g.stream().map(run -> sets.get(key(run))).distinct().toList();
      if (used.stream().allMatch(set -> set != null && set.images() > 0)) {
        // mean over data seeds: each seed's random arm fills that seed's output
        ObjectNode b = s.putObject("bytes");
        long images = Math.round(used.stream().mapToLong(TrainingSet::imageBytes).average().orElse(0));
        long labels = Math.round(used.stream().mapToLong(TrainingSet::labelBytes).average().orElse(0));
        b.put("images", images);
        b.put("labels", labels);
        b.put("total", images + labels);
        if (first.labels().equals("teacher")) {
          b.put("teacher", teacherBytes); // needed at training time beside the stored bytes
        }
      }
      s.put("seeds", g.size());
      s.put("data_seeds", g.stream().map(StudentRun::dataSeed).distinct().count());
      stats(s.putObject("best"), g.stream().mapToDouble(StudentRun::best).toArray());
      stats(s.putObject("last"), g.stream().mapToDouble(StudentRun::last).toArray());
      double[] validation = g.stream().mapToDouble(StudentRun::validation).filter(v -> !Double.isNaN(v)).toArray();
      if (validation.length > 0) {
        stats(s.putObject("validation"), validation); // final model on the validation split: choose by this
      }
    }
    ior(r.putArray("ior"), manifest.method(), groups);
    r.put("resumed_runs", runs.stream().filter(StudentRun::resumed).count());
    ArrayNode all = r.putArray("runs");
    for (StudentRun run : runs) {
      ObjectNode o = all.addObject();
      describe(o, run);
      o.put("seed", run.seed());
      o.put("data_seed", run.dataSeed());
      o.put("best", run.best());
      o.put("last", run.last());
      if (!Double.isNaN(run.validation())) {
        o.put("validation", run.validation());
      }
      o.put("millis", run.millis());
      if (run.resumed()) {
        o.put("resumed", true); // trained by an earlier, interrupted evaluation of the same content
      }
      ArrayNode curve = o.putArray("test_accuracy_by_epoch");
      for (int i = 0; i < run.epochs().size(); i++) {
        curve.addArray().add(run.epochs().get(i)).add(run.accuracies().get(i));
      }
    }
    return r;
  }

  private static String key(StudentRun run) {
    return (run.ipc() == null ? run.dataset() : run.dataset() + "@" + run.ipc()) + "#" + run.dataSeed();
  }

  /** What a run or a group of seeds trained on; {@code ipc} is null for the full training set. */
  private static void describe(ObjectNode o, StudentRun run) {
    o.put("dataset", run.dataset());
    o.put("ipc", run.ipc());
    o.put("student", run.student());
    o.put("labels", run.labels());
    o.put("train_images", run.trainImages());
    o.put("batch_size", run.batchSize());
  }

  /**
   * The distilled output against the random baseline at each (budget, student, labels): the paired
   * difference of final-epoch accuracies, runs paired by seed, with its interval and p-value.
   */
  private static void ior(ArrayNode out, String method, Map<String, List<StudentRun>> groups) {
    for (String against : List.of(Evaluation.RANDOM, Evaluation.RANDOM_IPC)) {
      groups.forEach((key, runs) -> compare(out, method, against, key, runs, groups));
    }
  }

  private static void compare(ArrayNode out, String method, String against, String key, List<StudentRun> runs,
      Map<String, List<StudentRun>> groups) {
    if (!key.startsWith(method + "|")) {
      return;
    }
    List<StudentRun> baseline = groups.get(against + key.substring(method.length()));
    if (baseline == null || baseline.size() != runs.size() || runs.size() < 2) {
      return;
    }
    Map<String, Double> base = baseline.stream().collect(Collectors.toMap(StudentRun::pairing, StudentRun::last));
    List<StudentRun> paired = runs.stream().filter(run -> base.containsKey(run.pairing()))
        .sorted(java.util.Comparator.comparing(StudentRun::pairing)).toList();
    if (paired.size() < 2) {
      return;
    }
    PairedComparison c = PairedComparison.of(paired.stream().mapToDouble(StudentRun::last).toArray(),
        paired.stream().mapToDouble(run -> base.get(run.pairing())).toArray());
    ObjectNode o = out.addObject();
    StudentRun first = runs.get(0);
    o.put("method", method);
    o.put("baseline", against);
    o.put("ipc", first.ipc());
    o.put("student", first.student());
    o.put("labels", first.labels());
    o.put("metric", "final-epoch test accuracy");
    o.put("paired_by", "data seed and student seed");
    o.put("n", c.n());
    o.put("mean_difference", c.meanDifference());
    o.put("std", c.std());
    o.putArray("ci95").add(c.ciLow()).add(c.ciHigh());
    o.put("p_value", c.pValue());
  }

  /** Mean, sample standard deviation (n − 1; 0 for one value), 95 % t-interval, and the values. */
  static void stats(ObjectNode node, double[] values) {
    PairedComparison.Interval i = PairedComparison.Interval.of(values);
    node.put("mean", i.mean());
    node.put("std", i.std());
    node.putArray("ci95").add(i.low()).add(i.high());
    ArrayNode v = node.putArray("values");
    for (double d : values) {
      v.add(d);
    }
  }
}
