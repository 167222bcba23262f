package dev.distill.udf.train;

import dev.distill.udf.image.PatchStitcher;
import dev.distill.udf.image.PixelImage;
import dev.distill.udf.image.RandomResizedCrop;
import dev.distill.udf.image.Resampler;
import dev.distill.udf.random.StableRandom;
import java.util.SplittableRandom;

/**
 * RDED's augmentation of stitched images during student training (ALGORITHMS.md §1.6), before the
 * flip and CutMix: ShufflePatches(factor) — the factor column strips are put in a random order,
 * then the factor row strips — and RandomResizedCrop back to the full side with area scale
 * (1/factor, 1) and aspect ratio (3/4, 4/3). With factor 1 both are the identity, so it is skipped.
 *
 * <p>Strips follow the stitcher's grid (the first {@code side mod factor} are one pixel wider);
 * the official code cuts equal strips and drops the remainder, which only differs when the side
 * is not a multiple of the factor.
 */
public final class StitchedAugmentation {
  private final int factor;
  private final RandomResizedCrop crop;

  public StitchedAugmentation(int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be at least 1, got " + factor);
    }
    this.factor = factor;
    this.crop = new RandomResizedCrop(1.0 / factor, 1.0, 3.0 / 4, 4.0 / 3);
  }

  public boolean isIdentity() {
    return factor == 1;
  }

  public PixelImage apply(PixelImage image, SplittableRandom random) {
    if (isIdentity()) {
      return image;
    }
    PixelImage shuffled = shuffleStrips(image, random);
    return Resampler.cropResize(shuffled, crop.sample(image.height(), image.width(), random),
        image.height(), image.width());
  }

  /** Column strips in a random order, then row strips in a random order. */
  PixelImage shuffleStrips(PixelImage image, SplittableRandom random) {
    int[] cols = new PatchStitcher(factor, image.width()).cellOffsets();
    int[] rows = new PatchStitcher(factor, image.height()).cellOffsets();
    int[] colOrder = StableRandom.permutation(factor, random);
    int[] rowOrder = StableRandom.permutation(factor, random);
    int[] srcX = sourceIndex(cols, colOrder, image.width());
    int[] srcY = sourceIndex(rows, rowOrder, image.height());
    PixelImage out = PixelImage.blank(image.channels(), image.height(), image.width());
    for (int c = 0; c < image.channels(); c++) {
      for (int y = 0; y < image.height(); y++) {
        for (int x = 0; x < image.width(); x++) {
          out.set(c, y, x, image.get(c, srcY[y], srcX[x]));
        }
      }
    }
    return out;
  }

  /** For each output position, the input position: strips laid out in {@code order}. */
  private static int[] sourceIndex(int[] offsets, int[] order, int length) {
    int[] source = new int[length];
    int at = 0;
    for (int strip : order) {
      for (int i = offsets[strip]; i < offsets[strip + 1]; i++) {
        source[at++] = i;
      }
    }
    return source;
  }
}
