package dev.distill.job.output;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a small Parquet file's bytes independent of the JVM that wrote it. parquet-mr lists each
 * column chunk's encodings from a {@code HashSet} of enum constants, whose order follows identity
 * hash codes and so changes from one JVM to the next: the same rows written by two processes
 * differ in a few footer bytes. This rewrites the footer with every encoding list sorted; the
 * data pages are untouched.
 */
public final class ParquetFooter {
  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

  private ParquetFooter() {}

  public static void canonicalise(FileSystem fs, Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = fs.open(file)) {
      bytes = in.readAllBytes();
    }
    byte[] out = canonicalise(bytes, file.toString());
    if (!Arrays.equals(out, bytes)) {
      try (OutputStream o = fs.create(file, true)) {
        o.write(out);
      }
    }
  }

  static byte[] canonicalise(byte[] bytes, String name) throws IOException {
    int n = bytes.length;
    if (n < 12 || !Arrays.equals(Arrays.copyOfRange(bytes, n - 4, n), MAGIC)) {
      throw new IOException(name + ": not a Parquet file (no PAR1 trailer)");
    }
    int footerLength = ByteBuffer.wrap(bytes, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int footerStart = n - 8 - footerLength;
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(bytes, footerStart, footerLength));
    for (RowGroup group : meta.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        if (chunk.isSetMeta_data()) {
          chunk.getMeta_data().getEncodings().sort(null);
        }
      }
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, footer);
    ByteArrayOutputStream out = new ByteArrayOutputStream(n);
    out.write(bytes, 0, footerStart);
    footer.writeTo(out);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
    out.write(MAGIC);
    return out.toByteArray();
  }
}
