package dev.distill.udf.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCodecTest {

  @Test
  void pngRoundTripIsLosslessAndDeterministic() throws Exception {
    PixelImage img = ResamplerTest.gradient(12);
    byte[] png = ImageCodec.encodePng(img);
    assertThat(ImageCodec.encodePng(img)).isEqualTo(png);
    assertThat(ImageCodec.decode(png, 1, 12, 12)).isEqualTo(img);
  }

  @Test
  void rgbaDropsAlphaAndGrayIsReplicatedToRgb() throws Exception {
    BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0x10FF8000); // mostly transparent orange
    rgba.setRGB(1, 0, 0xFF0000FF);
    PixelImage rgb = ImageCodec.decode(encode(rgba, "png"), 3, 1, 2);
    assertThat(new int[] {rgb.get(0, 0, 0), rgb.get(1, 0, 0), rgb.get(2, 0, 0)}).containsExactly(255, 128, 0);
    assertThat(new int[] {rgb.get(0, 0, 1), rgb.get(1, 0, 1), rgb.get(2, 0, 1)}).containsExactly(0, 0, 255);

    PixelImage gray = ImageCodec.decode(ImageCodec.encodePng(ResamplerTest.gradient(4)), 3, 4, 4);
    assertThat(gray.get(0, 2, 3)).isEqualTo(gray.get(1, 2, 3)).isEqualTo(gray.get(2, 2, 3));
  }

  @Test
  void cmykAndTruncatedJpegsAreUndecodableNotWrong() throws Exception {
    assertThatThrownBy(() -> ImageCodec.decode(resource("cmyk.jpg"), 3))
        .isInstanceOf(ImageCodec.UndecodableImageException.class)
        .hasMessage("four colour channels without alpha (CMYK or YCCK): not converted, the colours would be wrong;"
            + " convert the file to RGB");
    assertThatThrownBy(() -> ImageCodec.decode(resource("truncated.jpg"), 1))
        .isInstanceOf(ImageCodec.UndecodableImageException.class)
        .hasMessageStartingWith("damaged image data: ").hasMessageContaining("Missing EOI marker");
  }

  private static byte[] resource(String name) throws java.io.IOException {
    try (var in = ImageCodecTest.class.getResourceAsStream("/hostile/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void rgbToGrayUsesLumaWeightsAndBmpDecodes() throws Exception {
    BufferedImage red = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
    red.setRGB(0, 0, 0xFF0000);
    assertThat(ImageCodec.decode(encode(red, "bmp"), 1, 1, 1).get(0, 0, 0)).isEqualTo(255 * 299 / 1000);
  }

  @Test
  void corruptBytesAreReportedNotThrownAsRuntimeErrors() {
    byte[] png = ImageCodec.encodePng(ResamplerTest.gradient(8));
    byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
    assertThatThrownBy(() -> ImageCodec.decode(truncated, 1, 8, 8))
        .isInstanceOf(ImageCodec.UndecodableImageException.class);
    assertThatThrownBy(() -> ImageCodec.decode("hello".getBytes(), 1, 8, 8))
        .isInstanceOf(ImageCodec.UndecodableImageException.class)
        .hasMessageContaining("not a PNG, JPEG or BMP");
  }

  private static byte[] encode(BufferedImage img, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }
}
