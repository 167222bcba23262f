package dev.distill.job.stage;

import dev.distill.job.budget.BudgetPlan;
import dev.distill.job.config.DistillConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * What every stage shares: the session, the config, the staging directory the output is assembled
 * in, the tables and summaries earlier stages left, and the budget plan.
 */
public final class StageContext {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StageContext.class);
  static final String SCHEMA_FILE = "_distill_schema.json";

  private final SparkSession spark;
  private final DistillConfig config;
  private final Path staging;
  private final Map<String, Object> summaries = new HashMap<>();
  private final Map<String, Long> timingsMs = new LinkedHashMap<>();
  private BudgetPlan plan;

  public StageContext(SparkSession spark, DistillConfig config, Path staging) {
    this.spark = spark;
    this.config = config;
    this.staging = staging;
  }

  public SparkSession spark() {
    return spark;
  }

  public DistillConfig config() {
    return config;
  }

  public Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** The directory the output is assembled in; renamed into place at commit. */
  public Path staging() {
    return staging;
  }

  /** Scratch space inside staging, cleared at the start of every run and before commit. */
  public Path work(String name) {
    return new Path(new Path(staging, "_work"), name);
  }

  /** Where table {@code name} is stored. */
  public String tablePath(String name) {
    return new Path(staging, Tables.dir(name)).toString();
  }

  /**
   * Stores {@code rows} as table {@code name}, with its schema beside it: Parquet keeps the values
   * exactly but Spark reads every column back as nullable, and nullability is part of the bytes of
   * the Parquet files the job writes from these tables.
   */
  public void saveTable(String name, Dataset<Row> rows) {
    String path = tablePath(name);
    rows.write().mode("overwrite").parquet(path);
    try (var out = new Path(path, SCHEMA_FILE).getFileSystem(hadoop()).create(new Path(path, SCHEMA_FILE), true)) {
      out.write(rows.schema().json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write the schema of table " + name, e);
    }
  }

  /** Table {@code name} as its stage saved it, schema (nullability included) restored. */
  public Dataset<Row> table(String name) {
    String path = tablePath(name);
    Path schemaFile = new Path(path, SCHEMA_FILE);
    StructType schema;
    try (var in = schemaFile.getFileSystem(hadoop()).open(schemaFile)) {
      schema = (StructType) DataType.fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("table " + name + " is missing from " + path
          + " (was the stage that writes it removed from the plan?)", e);
    }
    Dataset<Row> read = spark.read().parquet(path);
    return read.schema().equals(schema) ? read : spark.createDataFrame(read.javaRDD(), schema);
  }

  /** The summary a stage of this run returned, or the one its reused record holds. */
  public <T> T summary(String stage, Class<T> type) {
    if (!summaries.containsKey(stage)) {
      throw new IllegalStateException("stage " + stage + " has not run in this plan");
    }
    return type.cast(summaries.get(stage));
  }

  public boolean has(String stage) {
    return summaries.containsKey(stage);
  }

  /**
   * Runs one stage now, as a {@link #step}, and keeps its summary for the stages after it — without
   * the ledger: for the pipeline's runner, and for running a stage on its own (benchmarks, tests).
   */
  public <S> S run(Stage<S> stage) {
    S summary = step(stage.name(), stage.description(this), () -> stage.run(this));
    summaries.put(stage.name(), summary);
    return summary;
  }

  void putSummary(String stage, Object summary) {
    summaries.put(stage, summary);
  }

  public BudgetPlan plan() {
    if (plan == null) {
      throw new IllegalStateException("the budget is planned after ingest; this stage runs before it");
    }
    return plan;
  }

  public void plan(BudgetPlan plan) {
    this.plan = plan;
  }

  public Map<String, Long> timingsMs() {
    return timingsMs;
  }

  /**
   * Runs one unit of work under its own Spark job group and description (so the Spark UI says what
   * is running), logs it, and adds its wall time to {@link #timingsMs()}.
   */
  public <T> T step(String name, String description, java.util.function.Supplier<T> body) {
    spark.sparkContext().setJobGroup("distill-" + name, description, false);
    LOG.info("stage {}: {}", name, description);
    long start = System.nanoTime();
    try {
      return body.get();
    } finally {
      long ms = (System.nanoTime() - start) / 1_000_000;
      timingsMs.merge(name, ms, Long::sum);
      LOG.info("stage {} took {} ms", name, ms);
      spark.sparkContext().clearJobGroup();
    }
  }
}
