package dev.distill.job.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.job.SharedSpark;
import dev.distill.job.TinyData;
import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.udf.image.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest extends SharedSpark {
  private static DistillConfig.Input input(String format, int size) {
    return ConfigLoader.load(null, Map.of("distill.input.path", "unused", "distill.input.format", format,
        "distill.input.image-size", "" + size, "distill.input.partitions", "3")).input();
  }

  private static List<Row> rows(ImageSource.Result r) {
    return r.records().orderBy("id").collectAsList();
  }

  @Test
  void folderTreeReadsClassesInSortedOrderAndRejectsACorruptPng(@TempDir Path dir) throws Exception {
    TinyData.folder(dir, 3, 4, 16);
    byte[] good = Files.readAllBytes(dir.resolve("class1/img000.png"));
    Files.write(dir.resolve("class1/broken.png"), java.util.Arrays.copyOf(good, good.length / 2));
    Files.write(dir.resolve("stray.png"), good);
    ImageSource.Result r = new FolderSource().read(spark, dir.toString(), input("folder", 16));
    assertThat(r.classes().names()).containsExactly("class0", "class1", "class2");
    List<Row> all = rows(r);
    assertThat(all).hasSize(14);
    assertThat(all.stream().filter(x -> x.isNullAt(3)).count()).isEqualTo(12);
    Row broken = all.stream().filter(x -> x.getString(0).equals("class1/broken.png")).findFirst().orElseThrow();
    assertThat(broken.getString(3)).startsWith("corrupt image data");
    Row stray = all.stream().filter(x -> x.getString(0).equals("stray.png")).findFirst().orElseThrow();
    assertThat(stray.getString(3)).isEqualTo("not inside a class folder");
    Row ok = all.stream().filter(x -> x.getString(0).equals("class2/img003.png")).findFirst().orElseThrow();
    assertThat(ok.getInt(1)).isEqualTo(2);
    assertThat((byte[]) ok.getAs(2)).hasSize(16 * 16);
  }

  /**
   * Hostile names: every file is used or a reject with its reason — hidden names (Spark would skip
   * them silently), empty files, a ':' (Hadoop paths break on it), a symbolic link loop (followed
   * once, not ~40 levels deep).
   */
  @Test
  void everyFileIsUsedOrRejectedWithItsReason(@TempDir Path dir) throws Exception {
    TinyData.folder(dir, 2, 2, 8);
    byte[] good = Files.readAllBytes(dir.resolve("class0/img000.png"));
    Files.write(dir.resolve("class0/_under.png"), good);
    Files.write(dir.resolve("class0/.dot.png"), good);
    Files.write(dir.resolve("class0/empty.png"), new byte[0]);
    Files.write(dir.resolve("class1/x:y.png"), good);
    Files.createDirectories(dir.resolve("_meta"));
    Files.write(dir.resolve("_meta/a.png"), good);
    Files.createSymbolicLink(dir.resolve("class1/loop"), dir.resolve("class1"));
    ImageSource.Result r = new FolderSource().read(spark, dir.toString(), input("folder", 8));
    assertThat(r.classes().names()).containsExactly("class0", "class1");
    Map<String, String> reasons = new java.util.TreeMap<>();
    for (Row x : rows(r)) {
      reasons.put(x.getString(0), x.isNullAt(3) ? "ok" : x.getString(3));
    }
    assertThat(reasons).containsEntry("class0/img000.png", "ok").containsEntry("class1/img001.png", "ok");
    assertThat(reasons.get("class0/_under.png")).startsWith("hidden name ('_under.png' starts with '_')");
    assertThat(reasons.get("class0/.dot.png")).startsWith("hidden name ('.dot.png' starts with '.')");
    assertThat(reasons.get("_meta/a.png")).startsWith("hidden name ('_meta' starts with '_')");
    assertThat(reasons.get("class0/empty.png")).isEqualTo("empty file (0 bytes)");
    assertThat(reasons.get("class1/x:y.png")).startsWith("':' in the path");
    assertThat(reasons.get("class1/loop/")).startsWith("symbolic link loop");
    assertThat(reasons).hasSize(10); // 4 images, 5 unusable files, 1 loop; nothing else
  }

  /** A 20000 × 20000 PNG of a few hundred kB is a counted reject naming its declared size, never decoded. */
  @Test
  void aDecompressionBombIsRejectedFromItsHeader(@TempDir Path dir) throws Exception {
    TinyData.folder(dir, 2, 1, 8);
    byte[] bomb = TinyData.pngBomb(20_000);
    assertThat(bomb.length).isLessThan(1_000_000);
    Files.write(dir.resolve("class0/bomb.png"), bomb);
    List<Row> all = rows(new FolderSource().read(spark, dir.toString(), input("folder", 8)));
    Row r = all.stream().filter(x -> x.getString(0).equals("class0/bomb.png")).findFirst().orElseThrow();
    assertThat(r.getString(3)).isEqualTo("declares 20000 x 20000 = 400000000 pixels, above the limit of 40000000"
        + " (distill.input.max-pixels); not decoded");
    assertThat(all.stream().filter(x -> x.isNullAt(3)).count()).isEqualTo(2);
  }

  @Test
  void aFileThatIsNotParquetGetsItsReasonInOneLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("data.parquet"), "not parquet\n");
    assertThatThrownBy(() -> new ParquetSource().read(spark, file.toString(), input("parquet", 8)))
        .isInstanceOf(InputError.class)
        .hasMessageStartingWith(file + ": cannot read as Parquet: ")
        .hasMessageContaining("is not a Parquet file")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void anEmptyClassFolderIsAnErrorAtStart(@TempDir Path dir) throws Exception {
    TinyData.folder(dir, 2, 2, 8);
    Files.createDirectories(dir.resolve("class9"));
    assertThatThrownBy(() -> new FolderSource().read(spark, dir.toString(), input("folder", 8)))
        .isInstanceOf(InputError.class)
        .hasMessageContaining("class9 holds no files");
  }

  @Test
  void idxReadsGzipAndResizes(@TempDir Path dir) throws Exception {
    Path images = TinyData.idx(dir, "train", 10, 12, Long.MAX_VALUE, true);
    List<Row> all = rows(new IdxSource().read(spark, images.toString(), input("idx", 24)));
    assertThat(all).hasSize(10).allSatisfy(r -> assertThat(r.isNullAt(3)).isTrue());
    assertThat(all.get(4).getString(0)).isEqualTo("train-images-idx3-ubyte.gz#0000004");
    assertThat(all.get(4).getInt(1)).isEqualTo(1);
    assertThat((byte[]) all.get(4).getAs(2)).hasSize(24 * 24);
  }

  @Test
  void aTruncatedIdxFileGivesARejectPerMissingRecord(@TempDir Path dir) throws Exception {
    long keep = 16 + 6 * 64 + 10; // six whole 8x8 images and part of the seventh
    Path images = TinyData.idx(dir, "train", 10, 8, keep, false);
    List<Row> all = rows(new IdxSource().read(spark, images.toString(), input("idx", 8)));
    assertThat(all).hasSize(10);
    assertThat(all.subList(0, 6)).allSatisfy(r -> assertThat(r.isNullAt(3)).isTrue());
    assertThat(all.subList(6, 10)).allSatisfy(r -> assertThat(r.getString(3))
        .startsWith("truncated: ").contains("train-images-idx3-ubyte ends before image"));
  }

  @Test
  void idxWithMismatchedLabelsOrWrongMagicFailsAtStartNamingTheFile(@TempDir Path dir) throws Exception {
    Path images = TinyData.idx(dir, "train", 10, 8, Long.MAX_VALUE, false);
    TinyData.idx(dir.resolve(""), "other", 3, 8, Long.MAX_VALUE, false);
    Files.copy(dir.resolve("other-labels-idx1-ubyte"), dir.resolve("train-labels-idx1-ubyte"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> new IdxSource().read(spark, images.toString(), input("idx", 8)))
        .isInstanceOf(InputError.class).hasMessageContaining("holds 10 images but").hasMessageContaining("3 labels");
    Files.write(images, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(() -> new IdxSource().read(spark, images.toString(), input("idx", 8)))
        .isInstanceOf(InputError.class).hasMessageContaining("magic 0x01020304");
  }

  @Test
  void cifarBatchesGiveRgbAndClassNamesAndRejectAPartialRecord(@TempDir Path dir) throws Exception {
    byte[] batch = new byte[3 * 3073 + 100];
    for (int i = 0; i < 3; i++) {
      batch[i * 3073] = (byte) (i + 1);
      batch[i * 3073 + 1] = (byte) 200; // first red pixel
    }
    Files.write(dir.resolve("data_batch_1.bin"), batch);
    Files.writeString(dir.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
    DistillConfig.Input in = ConfigLoader.load(null, Map.of("distill.input.path", "unused",
        "distill.input.channels", "3", "distill.input.image-size", "32")).input();
    ImageSource.Result r = new CifarSource().read(spark, dir + "/data_batch_*.bin", in);
    assertThat(r.classes().names()).hasSize(10).startsWith("airplane");
    List<Row> all = rows(r);
    assertThat(all).hasSize(4);
    assertThat(all.get(1).getInt(1)).isEqualTo(2);
    assertThat(((byte[]) all.get(0).getAs(2))[0] & 0xFF).isEqualTo(200);
    assertThat(all.get(3).getString(3)).contains("has 100 of 3073 bytes");
  }

  @Test
  void parquetWithEncodedBytesAndStringLabels(@TempDir Path dir) {
    StructType schema = new StructType().add("image", DataTypes.BinaryType).add("label", DataTypes.StringType);
    java.util.Random noise = new java.util.Random(3);
    List<Row> data = List.of(
        RowFactory.create(ImageCodec.encodePng(TinyData.pattern(0, 8, noise)), "cat"),
        RowFactory.create(ImageCodec.encodePng(TinyData.pattern(1, 8, noise)), "dog"),
        RowFactory.create("garbage".getBytes(), "dog"));
    String path = dir.resolve("t.parquet").toString();
    spark.createDataFrame(data, schema).write().parquet(path);
    ImageSource.Result r = new ParquetSource().read(spark, path, input("parquet", 8));
    assertThat(r.classes().names()).containsExactly("cat", "dog");
    Dataset<Row> records = r.records();
    assertThat(records.where("reject is null").count()).isEqualTo(2);
    assertThat(records.where("reject is not null").first().getString(3)).contains("not a PNG, JPEG or BMP");
    assertThat(records.select("id").distinct().count()).isEqualTo(3);
  }
}
