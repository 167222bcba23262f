package dev.distill.udf.infer;

import dev.distill.udf.image.PixelImage;
import java.nio.ByteBuffer;

/**
 * A feature compensator as stored: one signed byte a value and one float scale, so a 1×28×28
 * compensator takes 788 bytes (fp16 would take 1,568). Values are in pixel units (255 = the
 * whole range). The composite a student trains on is rebuilt from the stored natural image and
 * this, in plain Java float arithmetic, so every reader and every JVM gets the same bytes:
 * {@code clamp(round(x + q · scale), 0, 255)}.
 */
public record StoredCompensator(int channels, int height, int width, float scale, byte[] values) {

  public StoredCompensator {
    if (values.length != channels * height * width) {
      throw new IllegalArgumentException("a compensator of " + channels + "x" + height + "x" + width + " has "
          + channels * height * width + " values, not " + values.length);
    }
  }

  /** {@code u} (pixel units in [0, 1], layout channel × row × column) rounded to the stored form. */
  public static StoredCompensator of(float[] u, int channels, int height, int width) {
    float max = 0;
    for (float v : u) {
      max = Math.max(max, Math.abs(v));
    }
    float scale = max * 255f / 127f;
    byte[] q = new byte[u.length];
    for (int i = 0; i < u.length; i++) {
      q[i] = scale == 0 ? 0 : (byte) Math.max(-127, Math.min(127, Math.round(u[i] * 255f / scale)));
    }
    return new StoredCompensator(channels, height, width, scale, q);
  }

  /** The composite: {@code natural} plus this compensator, clamped to the pixel range. */
  public PixelImage apply(PixelImage natural) {
    if (natural.channels() != channels || natural.height() != height || natural.width() != width) {
      throw new IllegalArgumentException("a " + channels + "x" + height + "x" + width + " compensator cannot be added to a "
          + natural.channels() + "x" + natural.height() + "x" + natural.width() + " image");
    }
    byte[] out = new byte[values.length];
    for (int i = 0; i < out.length; i++) {
      int v = Math.round((natural.data()[i] & 0xFF) + values[i] * scale);
      out[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return new PixelImage(channels, height, width, out);
  }

  /** The stored bytes: scale (float, big-endian), then the values. */
  public byte[] toBytes() {
    return ByteBuffer.allocate(4 + values.length).putFloat(scale).put(values).array();
  }

  public static StoredCompensator fromBytes(byte[] bytes, int channels, int height, int width) {
    if (bytes.length != 4 + channels * height * width) {
      throw new IllegalArgumentException("a stored " + channels + "x" + height + "x" + width + " compensator is "
          + (4 + channels * height * width) + " bytes, not " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    float scale = b.getFloat();
    byte[] q = new byte[bytes.length - 4];
    b.get(q);
    return new StoredCompensator(channels, height, width, scale, q);
  }

  /** Bytes one stored compensator of this shape takes. */
  public static int storedBytes(int channels, int height, int width) {
    return 4 + channels * height * width;
  }
}
