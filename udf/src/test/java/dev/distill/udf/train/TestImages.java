package dev.distill.udf.train;

/** Small learnable image sets for training tests. */
public final class TestImages {
  private TestImages() {}

  /** Two separable classes of 16×16 gray images: bright top half vs bright bottom half. */
  public static ImageSet halves(int perClass) {
    ImageSet set = new ImageSet(1, 16, 16);
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < perClass * 2; i++) {
      int label = i % 2;
      byte[] px = new byte[256];
      for (int p = 0; p < 256; p++) {
        boolean top = p < 128;
        px[p] = (byte) ((top == (label == 0) ? 180 : 40) + r.nextInt(40));
      }
      set.add(px, label);
    }
    return set;
  }
}
