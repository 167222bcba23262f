package dev.distill.job.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system ({@code fs.file.impl}) with a byte allowance shared by every writer in the
 * JVM: once it is spent, writes fail as a full disk does ({@code IOException: No space left on
 * device}), from the driver and from Spark's tasks alike.
 */
public final class FullDiskFileSystem extends LocalFileSystem {
  /** Bytes left to write; {@link Long#MAX_VALUE}: unlimited. */
  public static final AtomicLong LEFT = new AtomicLong(Long.MAX_VALUE);

  public FullDiskFileSystem() {
    super(new Limited());
  }

  /** Makes {@code fs.file.impl} this, uncached, in {@code conf}. */
  public static void install(org.apache.hadoop.conf.Configuration conf) {
    conf.set("fs.file.impl", FullDiskFileSystem.class.getName());
    conf.set("fs.file.impl.disable.cache", "true");
  }

  /** The raw local file system, every stream it opens for writing spending the allowance. */
  private static final class Limited extends RawLocalFileSystem {
    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
        short replication, long blockSize, Progressable progress) throws IOException {
      return limited(super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream createNonRecursive(Path f, FsPermission permission, boolean overwrite,
        int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
      return limited(super.createNonRecursive(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
      return limited(super.append(f, bufferSize, progress));
    }

    private FSDataOutputStream limited(FSDataOutputStream out) throws IOException {
      return new FSDataOutputStream(new FilterOutputStream(out) {
        @Override
        public void write(int b) throws IOException {
          spend(1);
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          spend(len);
          out.write(b, off, len);
        }
      }, null);
    }
  }

  private static void spend(long bytes) throws IOException {
    if (LEFT.addAndGet(-bytes) < 0) {
      LEFT.set(0);
      throw new IOException("No space left on device");
    }
  }
}
