package dev.distill.job;

import dev.distill.udf.image.ImageCodec;
import dev.distill.udf.image.PixelImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small, deterministic, learnable datasets written in the formats the readers take. */
public final class TinyData {
  private TinyData() {}

  /** Class 0: horizontal stripes, 1: vertical stripes, 2: a bright centre; plus noise. */
  public static PixelImage pattern(int label, int side, Random noise) {
    PixelImage img = PixelImage.blank(1, side, side);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        boolean on = switch (label % 3) {
          case 0 -> (y / 2) % 2 == 0;
          case 1 -> (x / 2) % 2 == 0;
          default -> Math.abs(x - side / 2) < side / 4 && Math.abs(y - side / 2) < side / 4;
        };
        img.set(0, y, x, (on ? 190 : 50) + noise.nextInt(40));
      }
    }
    return img;
  }

  /** Noise seeded by the folder's name, so a "train" and a "test" folder share no image. */
  public static Path folder(Path root, int classes, int perClass, int side) throws IOException {
    Random noise = new Random(42 + root.getFileName().toString().hashCode());
    for (int c = 0; c < classes; c++) {
      Path dir = Files.createDirectories(root.resolve("class" + c));
      for (int i = 0; i < perClass; i++) {
        Files.write(dir.resolve(String.format("img%03d.png", i)), ImageCodec.encodePng(pattern(c, side, noise)));
      }
    }
    return root;
  }

  /**
   * An RGB {@link #folder}: the same patterns, the bright parts tinted by class (red, green, blue),
   * with colour noise, so a palette has real colours to choose.
   */
  public static Path rgbFolder(Path root, int classes, int perClass, int side) throws IOException {
    Random noise = new Random(43 + root.getFileName().toString().hashCode());
    for (int c = 0; c < classes; c++) {
      Path dir = Files.createDirectories(root.resolve("class" + c));
      for (int i = 0; i < perClass; i++) {
        PixelImage gray = pattern(c, side, noise);
        PixelImage rgb = PixelImage.blank(3, side, side);
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            for (int ch = 0; ch < 3; ch++) {
              int v = gray.get(0, y, x);
              rgb.set(ch, y, x, Math.min(255, (ch == c % 3 ? v : v / 2) + noise.nextInt(30)));
            }
          }
        }
        Files.write(dir.resolve(String.format("img%03d.png", i)), ImageCodec.encodePng(rgb));
      }
    }
    return root;
  }

  /**
   * A decompression bomb: a valid 1-bit gray PNG declaring {@code side × side} pixels, all black,
   * a few hundred kilobytes on disk (deflate squeezes the zero rows about a thousandfold).
   */
  public static byte[] pngBomb(int side) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 1).put((byte) 0)
        .put((byte) 0).put((byte) 0).put((byte) 0).array());
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (var z = new java.util.zip.DeflaterOutputStream(idat, new java.util.zip.Deflater(9))) {
      byte[] row = new byte[1 + (side + 7) / 8]; // filter byte 0, then zeros
      for (int y = 0; y < side; y++) {
        z.write(row);
      }
    }
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    crc.update(data);
    png.write(ByteBuffer.allocate(4).putInt(data.length).array());
    png.write(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    png.write(data);
    png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** An output's labels.parquet joined with its provenance.parquet by id, in id order. */
  public static java.util.List<org.apache.spark.sql.Row> labelsAndProvenance(org.apache.spark.sql.SparkSession spark,
      Path output) {
    return spark.read().parquet(output.resolve("labels.parquet").toString())
        .join(spark.read().parquet(output.resolve("provenance.parquet").toString()), "id")
        .orderBy("id").collectAsList();
  }

  /** Overrides for a quick RDED job on a {@link #folder} dataset of 16-pixel images, IPC 2. */
  public static java.util.Map<String, String> job(String input, String output) {
    java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
    o.put("distill.input.path", input);
    o.put("distill.input.image-size", "16");
    o.put("distill.input.partitions", "2");
    o.put("distill.ipc", "2");
    o.put("distill.rded.pool-size", "6");
    o.put("distill.rded.crops-per-image", "3");
    o.put("distill.observer.epochs", "2");
    o.put("distill.observer.batch-size", "6");
    o.put("distill.output.path", output);
    return o;
  }

  /** Writes an IDX pair; {@code keepImageBytes} < full length truncates the images file. */
  public static Path idx(Path dir, String split, int count, int side, long keepImageBytes, boolean gzip)
      throws IOException {
    Random noise = new Random(7 + split.hashCode());
    ByteArrayOutputStream images = new ByteArrayOutputStream();
    ByteArrayOutputStream labels = new ByteArrayOutputStream();
    images.write(ByteBuffer.allocate(16).putInt(0x0803).putInt(count).putInt(side).putInt(side).array());
    labels.write(ByteBuffer.allocate(8).putInt(0x0801).putInt(count).array());
    for (int i = 0; i < count; i++) {
      images.write(pattern(i % 3, side, noise).data());
      labels.write(i % 3);
    }
    byte[] imageBytes = images.toByteArray();
    if (keepImageBytes < imageBytes.length) {
      imageBytes = java.util.Arrays.copyOf(imageBytes, (int) keepImageBytes);
    }
    String suffix = gzip ? ".gz" : "";
    Path imagesFile = dir.resolve(split + "-images-idx3-ubyte" + suffix);
    write(imagesFile, imageBytes, gzip);
    write(dir.resolve(split + "-labels-idx1-ubyte" + suffix), labels.toByteArray(), gzip);
    return imagesFile;
  }

  private static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes);
    }
  }
}
