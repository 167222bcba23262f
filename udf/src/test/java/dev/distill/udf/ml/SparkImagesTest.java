package dev.distill.udf.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.udf.image.PixelImage;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class SparkImagesTest {

  @Test
  void imageStructsAreInterleavedBgrAndBecomePlanarRgb() {
    // 1×2 image: a red pixel then a blue one, stored B, G, R as OpenCV (and Spark) do.
    byte[] bgr = {0, 0, (byte) 255, (byte) 255, 0, 0};
    Row image = RowFactory.create("file:/x.png", 1, 2, 3, ImageSchema.ocvTypes().get("CV_8UC3").get(), bgr);
    PixelImage rgb = SparkImages.fromStruct(image, 3);
    assertThat(new int[] {rgb.get(0, 0, 0), rgb.get(1, 0, 0), rgb.get(2, 0, 0)}).containsExactly(255, 0, 0);
    assertThat(new int[] {rgb.get(0, 0, 1), rgb.get(1, 0, 1), rgb.get(2, 0, 1)}).containsExactly(0, 0, 255);
    assertThat(SparkImages.isImageStruct(ImageSchema.columnSchema())).isTrue();
  }

  @Test
  void planarBytesMustFormASquare() {
    assertThat(SparkImages.fromPlanar(new byte[3 * 16], 3).height()).isEqualTo(4);
    assertThatThrownBy(() -> SparkImages.fromPlanar(new byte[10], 1)).hasMessageContaining("not a square");
  }
}
