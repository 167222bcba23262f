package dev.distill.udf.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Tiles ranked patches into full-size images in RDED's official order: grid cell k (row-major) of
 * output image j receives the patch ranked {@code k * images + j}, so the best {@code images}
 * patches all sit in the top-left cell. When the side does not divide evenly, the first
 * {@code side mod factor} grid rows and columns are one pixel larger; patches are fitted to their
 * cell with nearest-neighbour scaling, as the official code does.
 */
public final class PatchStitcher {
  private final int factor;
  private final int side;

  public PatchStitcher(int factor, int side) {
    if (factor < 1 || side < factor) {
      throw new IllegalArgumentException("need 1 <= factor <= side, got factor=" + factor + " side=" + side);
    }
    this.factor = factor;
    this.side = side;
  }

  /** Number of full images that {@code patches} ranked patches make. */
  public int imagesFor(int patches) {
    return patches / (factor * factor);
  }

  /** The rank of the patch that lands in grid cell {@code cell} of image {@code image}. */
  public static int rankOf(int cell, int image, int images) {
    return cell * images + image;
  }

  public List<PixelImage> stitch(List<PixelImage> ranked) {
    int images = imagesFor(ranked.size());
    List<PixelImage> out = new ArrayList<>(images);
    int[] offsets = cellOffsets();
    for (int j = 0; j < images; j++) {
      PixelImage first = ranked.get(j);
      PixelImage canvas = PixelImage.blank(first.channels(), side, side);
      for (int cell = 0; cell < factor * factor; cell++) {
        int row = cell / factor;
        int col = cell % factor;
        PixelImage patch = ranked.get(rankOf(cell, j, images));
        paste(canvas, patch, offsets[row], offsets[col],
            offsets[row + 1] - offsets[row], offsets[col + 1] - offsets[col]);
      }
      out.add(canvas);
    }
    return out;
  }

  /** Grid line positions: the first {@code side % factor} cells get one extra pixel. */
  public int[] cellOffsets() {
    int base = side / factor;
    int extra = side % factor;
    int[] offsets = new int[factor + 1];
    for (int i = 0; i < factor; i++) {
      offsets[i + 1] = offsets[i] + base + (i < extra ? 1 : 0);
    }
    return offsets;
  }

  private static void paste(PixelImage canvas, PixelImage patch, int top, int left, int h, int w) {
    for (int c = 0; c < canvas.channels(); c++) {
      for (int y = 0; y < h; y++) {
        int sy = (int) ((long) y * patch.height() / h);
        for (int x = 0; x < w; x++) {
          int sx = (int) ((long) x * patch.width() / w);
          canvas.set(c, top + y, left + x, patch.get(c, sy, sx));
        }
      }
    }
  }
}
