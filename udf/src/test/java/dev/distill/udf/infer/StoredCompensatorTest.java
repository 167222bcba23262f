package dev.distill.udf.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.udf.image.PixelImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoredCompensatorTest {

  @Test
  void theCompositeRebuiltFromStoredBytesIsTheOneMadeAtTrainingTimeAndCloseToTheExactSum() {
    Random r = new Random(3);
    float[] u = new float[3 * 5 * 4];
    for (int i = 0; i < u.length; i++) {
      u[i] = (float) (r.nextGaussian() * 0.1);
    }
    PixelImage natural = PixelImage.blank(3, 5, 4);
    for (int i = 0; i < natural.data().length; i++) {
      natural.data()[i] = (byte) r.nextInt(256);
    }
    StoredCompensator trained = StoredCompensator.of(u, 3, 5, 4);
    byte[] stored = trained.toBytes();
    assertThat(stored).hasSize(StoredCompensator.storedBytes(3, 5, 4)).hasSize(4 + 60);

    PixelImage atTraining = trained.apply(natural);
    PixelImage rebuilt = StoredCompensator.fromBytes(stored, 3, 5, 4).apply(natural);
    assertThat(rebuilt.data()).isEqualTo(atTraining.data());
    for (int i = 0; i < u.length; i++) {
      double exact = Math.max(0, Math.min(255, (natural.data()[i] & 0xFF) + u[i] * 255.0));
      // rounding u to 1/127 of its largest magnitude, then the pixel to an integer
      assertThat(Math.abs((atTraining.data()[i] & 0xFF) - exact)).isLessThanOrEqualTo(trained.scale() / 2 + 0.5 + 1e-4);
    }
  }

  @Test
  void aZeroCompensatorLeavesTheImageAndExtremesClamp() {
    PixelImage natural = new PixelImage(1, 1, 3, new byte[] {0, (byte) 128, (byte) 255});
    assertThat(StoredCompensator.of(new float[3], 1, 1, 3).apply(natural).data()).isEqualTo(natural.data());
    PixelImage pushed = StoredCompensator.of(new float[] {-1f, 0.5f, 1f}, 1, 1, 3).apply(natural);
    assertThat(pushed.data()).containsExactly(0, (byte) 255, (byte) 255);
  }

  @Test
  void wrongSizesAreRefusedWithTheShapes() {
    assertThatThrownBy(() -> StoredCompensator.fromBytes(new byte[10], 1, 2, 2))
        .hasMessageContaining("is 8 bytes, not 10");
    StoredCompensator c = StoredCompensator.of(new float[4], 1, 2, 2);
    assertThatThrownBy(() -> c.apply(PixelImage.blank(3, 2, 2))).hasMessageContaining("1x2x2 compensator")
        .hasMessageContaining("3x2x2 image");
  }
}
