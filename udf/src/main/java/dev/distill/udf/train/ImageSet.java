package dev.distill.udf.train;

import dev.distill.udf.image.PixelImage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Images and labels held contiguously in memory (one byte array, not one object per image), for
 * the training loops that run inside a single Spark task.
 */
public final class ImageSet {
  private final int channels;
  private final int height;
  private final int width;
  private byte[] pixels;
  private int[] labels;
  private int size;

  public ImageSet(int channels, int height, int width) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.pixels = new byte[0];
    this.labels = new int[0];
  }

  public void add(byte[] image, int label) {
    int chw = imageBytes();
    if (image.length != chw) {
      throw new IllegalArgumentException("expected " + chw + " bytes, got " + image.length);
    }
    if (size == labels.length) {
      int capacity = Math.max(1024, size * 2);
      labels = java.util.Arrays.copyOf(labels, capacity);
      pixels = java.util.Arrays.copyOf(pixels, capacity * chw);
    }
    System.arraycopy(image, 0, pixels, size * chw, chw);
    labels[size++] = label;
  }

  public int size() {
    return size;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int imageBytes() {
    return channels * height * width;
  }

  public int label(int i) {
    return labels[i];
  }

  /** Adds the shape, every image's pixels and every label to {@code digest}: the set's content, not its capacity. */
  public void digest(MessageDigest digest) {
    digest.update(ByteBuffer.allocate(16).putInt(channels).putInt(height).putInt(width).putInt(size).array());
    digest.update(pixels, 0, size * imageBytes());
    ByteBuffer l = ByteBuffer.allocate(4 * size);
    l.asIntBuffer().put(labels, 0, size);
    digest.update(l.array());
  }

  public PixelImage image(int i) {
    byte[] copy = new byte[imageBytes()];
    System.arraycopy(pixels, i * imageBytes(), copy, 0, copy.length);
    return new PixelImage(channels, height, width, copy);
  }
}
