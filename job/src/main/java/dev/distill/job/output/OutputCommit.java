package dev.distill.job.output;

import dev.distill.job.config.ConfigError;
import dev.distill.job.config.Redaction;
import dev.distill.job.stage.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
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
      if (fs.exists(target)) {
        refuseToReplace(fs, target, output, overwrite);
      }
      refuseUnwritableParent(fs, target.getParent(), output);
      Path staging = new Path(target.getParent(), "." + target.getName() + ".staging");
      if (!resume) {
        fs.delete(staging, true);
      } else if (fs.exists(staging)) {
        LOG.info("resuming in {}: committed stages whose settings match are reused", Redaction.uris(staging.toString()));
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
      throw new ConfigError("distill.output.path = " + output + ": cannot prepare it: " + e.getMessage());
    }
  }

  /**
   * The output's parent must be a directory this process can create entries in (or not exist yet,
   * and then be creatable): found before any work, not by a failing task.
   */
  private static void refuseUnwritableParent(FileSystem fs, Path parent, String output) throws IOException {
    String key = "distill.output.path = " + output + ": ";
    for (Path p = parent; p != null; p = p.getParent()) {
      if (fs.exists(p)) {
        if (!fs.getFileStatus(p).isDirectory()) {
          throw new ConfigError(key + p + " is a file, so the output cannot be created under it");
        }
        try {
          fs.access(p, org.apache.hadoop.fs.permission.FsAction.WRITE_EXECUTE);
        } catch (org.apache.hadoop.security.AccessControlException e) {
          throw new ConfigError(key + "no permission to create entries in " + p + " (" + e.getMessage() + ")");
        }
        return;
      }
    }
  }

  /**
   * Overwrite replaces only what this job made: a directory with a {@code manifest.json} (or an
   * empty one). Anything else — a user's folder, a file — is refused before any work, untouched.
   */
  private static void refuseToReplace(FileSystem fs, Path target, String output, boolean overwrite)
      throws IOException {
    String key = "distill.output.path = " + output + ": ";
    if (!overwrite) {
      throw new ConfigError(key + "already exists; choose a new path or set distill.output.overwrite = true");
    }
    if (!fs.getFileStatus(target).isDirectory()) {
      throw new ConfigError(key + "is a file, not an output directory of this job; distill.output.overwrite "
          + "replaces only a previous output (a directory with " + OutputFiles.MANIFEST + ")");
    }
    if (!fs.exists(new Path(target, OutputFiles.MANIFEST)) && fs.listStatus(target).length > 0) {
      throw new ConfigError(key + "exists and is not an output of this job (it has no " + OutputFiles.MANIFEST
          + "); distill.output.overwrite replaces only a previous output, so nothing was deleted. Choose "
          + "another path, or remove this directory yourself if it is meant to go");
    }
  }

  /**
   * Fails when the output and one of {@code others} (config key → path) contain each other: an output
   * inside the input would be read as data by the next run, and an input inside the output would be
   * replaced by it.
   */
  public static void refuseOverlap(String output, Map<String, String> others, Configuration conf) {
    Path target = qualified(output, conf);
    others.forEach((key, location) -> {
      if (location == null) {
        return;
      }
      Path other = qualified(location, conf);
      if (within(target, other) || within(other, target)) {
        throw new ConfigError("distill.output.path = " + output + " and " + key + " = " + location
            + " overlap (one contains the other); write the output outside the data it reads");
      }
    });
  }

  private static Path qualified(String location, Configuration conf) {
    try {
      Path p = new Path(location);
      return p.getFileSystem(conf).makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + location, e);
    }
  }

  /** Whether {@code inner} is {@code outer} or below it, on the same file system. */
  private static boolean within(Path inner, Path outer) {
    java.net.URI i = inner.toUri();
    java.net.URI o = outer.toUri();
    if (!java.util.Objects.equals(i.getScheme(), o.getScheme())
        || !java.util.Objects.equals(i.getAuthority(), o.getAuthority())) {
      return false;
    }
    String outerPath = o.getPath().endsWith("/") ? o.getPath() : o.getPath() + "/";
    return i.getPath().equals(o.getPath()) || i.getPath().startsWith(outerPath);
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
   *
   * @return what to throw instead of {@code cause} when it has a clearer statement (a full file
   *     system: {@link OutputError}), else null
   */
  public RuntimeException abort(Throwable cause) {
    boolean kept = false;
    try {
      Path ledger = new Path(staging, Tables.STAGES_DIR);
      kept = resume && fs.exists(ledger)
          && fs.listStatus(ledger, p -> p.getName().endsWith(".stage.json")).length > 0;
      if (kept) {
        LOG.warn("the run failed ({}); its committed stages stay in {} and the next run of this output "
            + "reuses them (distill.output.resume = false, or deleting that directory, starts afresh)",
            cause.getClass().getSimpleName(), staging);
      } else {
        fs.delete(staging, true);
      }
    } catch (IOException e) {
      // The next run of the same output clears it too.
    }
    return OutputError.ifFull(cause, Redaction.uris(target.toString()), Redaction.uris(staging.toString()), kept);
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
