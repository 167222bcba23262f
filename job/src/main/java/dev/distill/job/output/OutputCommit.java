package dev.distill.job.output;

import dev.distill.job.config.ConfigError;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Assembles a run's output in a hidden staging directory beside the target and renames it into
 * place at the end, with {@code manifest.json} written last: a reader never sees a partial
 * output under the target name. (Directory rename is atomic on HDFS and local disks; on S3 it is
 * a copy, so readers there should wait for {@code manifest.json}.)
 */
public final class OutputCommit {
  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;

  private OutputCommit(FileSystem fs, Path target, Path staging, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
  }

  /** Checks the target before any work and clears the leftovers of an interrupted run. */
  public static OutputCommit prepare(String output, boolean overwrite, Configuration conf) {
    try {
      Path target = new Path(output);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      if (fs.exists(target) && !overwrite) {
        throw new ConfigError("distill.output.path = " + output
            + ": already exists; choose a new path or set distill.output.overwrite = true");
      }
      Path staging = new Path(target.getParent(), "." + target.getName() + ".staging");
      fs.delete(staging, true);
      fs.mkdirs(staging);
      return new OutputCommit(fs, target, staging, overwrite);
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

  /** Removes the staging directory of a failed run. */
  public void abort() {
    try {
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
