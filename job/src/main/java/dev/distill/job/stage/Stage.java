package dev.distill.job.stage;

import java.util.List;

/**
 * One unit of the job: it reads the outputs of the stages it names, writes named tables (see
 * {@link Tables}) or files under the staging directory, and returns a small summary. The
 * {@link dev.distill.job.Pipeline} runs stages in plan order and alone owns what they share: the
 * Spark job group, timing, logging, the resume ledger and the fault hook. A stage is skipped when
 * its ledger record shows the same settings and every stage it reads was itself reused.
 *
 * <p>Implementations are small and stateless; their parameters come from the config in the
 * context, so a plan is a list of stage instances and nothing else.
 *
 * @param <S> the summary: a JSON-serialisable record (or {@link Void}), kept in the ledger so that a
 *     reused stage gives its consumers the same summary without running
 */
public interface Stage<S> {
  /** Unique within a plan; names the job group, the ledger record and {@code run --from}. */
  String name();

  /** The stages whose outputs this one reads. */
  List<String> reads();

  /**
   * What it writes, relative to the staging directory: tables as {@code Tables.dir(name)}, other
   * files or directories by name. Removed before the stage runs again, checked before reuse.
   */
  List<String> writes();

  /**
   * Everything of the config (and of the input, for the first stage) its output depends on: a record
   * or map that serialises to JSON. Hashed into the ledger; a change reruns this stage and all
   * after it.
   */
  Object settings(StageContext ctx);

  /** One line for the Spark UI and the log: what it is doing, with sizes. */
  String description(StageContext ctx);

  S run(StageContext ctx);

  Class<S> summaryType();
}
