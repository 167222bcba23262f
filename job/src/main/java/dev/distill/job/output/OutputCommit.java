package dev.distill.job.output;

import dev.distill.job.config.ConfigError;
import dev.distill.job.stage.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a run's output in a hidden staging directory beside the target and renames it into
 * place at the end, with {@code manifest.json} written last: a reader never sees a partial
 * output under the target name. (Directory rename is atomic on HDFS and local disks; on S3 it is
 * a copy, so readers there should wait for {@code manifest.json}.)
 *
 * <p>With resume on, the staging directory outlives a failed or killed run: its committed stages
 * (see {@code StageLedger}) are what the next run reuses. Anything in it that no stage of the new
 * plan writes is removed first, so nothing foreign reaches the output.
 */
public final class OutputCommit {
  private static final Logger LOG = LoggerFactory.getLogger(OutputCommit.class);

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private final boolean resume;

  private OutputCommit(FileSystem fs, Path target, Path staging, boolean overwrite, boolean resume) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
    this.resume = resume;
  }

  /**
   * Checks the target before any work and prepares the staging directory: kept (for resume) but
   * cleared of scratch files and of entries outside {@code planned}, or emptied when resume is off.
   */
  public static OutputCommit prepare(String output, boolean overwrite, boolean resume, Configuration conf,
      List<String> planned) {
    try {
      Path target = new Path(output);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      if (fs.exists(target) && !overwrite) {
        throw new ConfigError("distill.output.path = " + output
            + ": already exists; choose a new path or set distill.output.overwrite = true");
      }
      Path staging = new Path(target.getParent(), "." + target.getName() + ".staging");
      if (!resume) {
        fs.delete(staging, true);
      } else if (fs.exists(staging)) {
        LOG.info("resuming in {}: committed stages whose settings match are reused", staging);
        for (FileStatus entry : fs.listStatus(staging)) {
          String name = entry.getPath().getName();
          if (name.equals(OutputFiles.WORK) || !(name.equals(Tables.STAGES_DIR) || planned.contains(name))) {
            LOG.info("removing {} from the staging directory: no stage of this run writes it", name);
            fs.delete(entry.getPath(), true);
          }
        }
      }
      fs.mkdirs(staging);
      return new OutputCommit(fs, target, staging, overwrite, resume);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output " + output, e);
    }
  }

  public Path staging() {
    return staging;
  }

  public Path target() {
    return target;
  }

  public FileSystem fs() {
    return fs;
  }

  public void commit() {
    try {
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new ConfigError("distill.output.path = " + target + ": appeared while the job ran");
        }
        Path old = new Path(target.getParent(), "." + target.getName() + ".replaced");
        fs.delete(old, true);
        rename(target, old);
        rename(staging, target);
        fs.delete(old, true);
      } else {
        rename(staging, target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit output to " + target, e);
    }
  }

  /**
   * After a failure: keeps the staging directory when resume is on and a stage committed in it
   * (saying so in the log), else removes it.
   */
  public void abort(Throwable cause) {
    try {
      Path ledger = new Path(staging, Tables.STAGES_DIR);
      if (resume && fs.exists(ledger) && fs.listStatus(ledger, p -> p.getName().endsWith(".stage.json")).length > 0) {
        LOG.warn("the run failed ({}); its committed stages stay in {} and the next run of this output "
            + "reuses them (distill.output.resume = false, or deleting that directory, starts afresh)",
            cause.getClass().getSimpleName(), staging);
        return;
      }
      fs.delete(staging, true);
    } catch (IOException e) {
      // The next run of the same output clears it too.
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
