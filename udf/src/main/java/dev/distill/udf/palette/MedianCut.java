package dev.distill.udf.palette;

import dev.distill.udf.image.PixelImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Heckbert's median-cut colour quantiser, the classic baseline and AutoPalette's alignment target
 * (PIL's {@code Image.quantize(method=0)}): start with one box holding every colour of the image,
 * repeatedly split the box holding the most pixels along its widest channel at the pixel-weighted
 * median, until there are {@code colours} boxes; each box's colour is the pixel-weighted mean of
 * its colours. Works on gray (1-D) and RGB alike.
 *
 * <p>Defined edge cases: {@code colours = 1} gives the mean colour everywhere; when the image has
 * no more distinct colours than {@code colours}, every colour keeps its own box and the image comes
 * back unchanged. Ties (equal pixel counts, equal channel ranges) go to the earlier box and the
 * lower channel, so the result is a function of the pixels alone.
 */
public final class MedianCut {
  private MedianCut() {}

  /** Quantises {@code image} to at most {@code colours} colours (1..256). */
  public static PaletteImage quantise(PixelImage image, int colours) {
    if (colours < 1 || colours > 256) {
      throw new IllegalArgumentException("median cut makes 1 to 256 colours, got " + colours);
    }
    int channels = image.channels();
    int plane = image.height() * image.width();
    int[] packed = new int[plane];
    TreeMap<Integer, Integer> counts = new TreeMap<>();
    for (int p = 0; p < plane; p++) {
      int v = 0;
      for (int c = 0; c < channels; c++) {
        v = (v << 8) | (image.data()[c * plane + p] & 0xFF);
      }
      packed[p] = v;
      counts.merge(v, 1, Integer::sum);
    }
    List<Box> boxes = new ArrayList<>(List.of(new Box(new ArrayList<>(counts.entrySet()), channels)));
    while (boxes.size() < colours) {
      Box widest = null;
      for (Box b : boxes) {
        if (b.entries.size() > 1 && (widest == null || b.pixels > widest.pixels)) {
          widest = b;
        }
      }
      if (widest == null) {
        break; // every box holds a single colour: nothing left to split
      }
      int at = boxes.indexOf(widest);
      boxes.set(at, widest.lower());
      boxes.add(at + 1, widest.upper());
    }
    byte[] palette = new byte[boxes.size() * channels];
    Map<Integer, Integer> boxOf = new HashMap<>();
    for (int k = 0; k < boxes.size(); k++) {
      Box b = boxes.get(k);
      for (int c = 0; c < channels; c++) {
        palette[k * channels + c] = (byte) b.mean(c);
      }
      for (Map.Entry<Integer, Integer> e : b.entries) {
        boxOf.put(e.getKey(), k);
      }
    }
    byte[] indices = new byte[plane];
    for (int p = 0; p < plane; p++) {
      indices[p] = (byte) (int) boxOf.get(packed[p]);
    }
    return new PaletteImage(channels, image.height(), image.width(), palette, indices);
  }

  /** A set of distinct colours (packed, first channel most significant) with their pixel counts. */
  private static final class Box {
    final List<Map.Entry<Integer, Integer>> entries;
    final int channels;
    final long pixels;
    private int split = -1;

    Box(List<Map.Entry<Integer, Integer>> entries, int channels) {
      this.entries = entries;
      this.channels = channels;
      this.pixels = entries.stream().mapToLong(Map.Entry::getValue).sum();
    }

    int value(Map.Entry<Integer, Integer> e, int c) {
      return (e.getKey() >> (8 * (channels - 1 - c))) & 0xFF;
    }

    int mean(int c) {
      long sum = 0;
      for (Map.Entry<Integer, Integer> e : entries) {
        sum += (long) value(e, c) * e.getValue();
      }
      return (int) Math.round(sum / (double) pixels);
    }

    Box lower() {
      sortAndSplit();
      return new Box(new ArrayList<>(entries.subList(0, split)), channels);
    }

    Box upper() {
      sortAndSplit();
      return new Box(new ArrayList<>(entries.subList(split, entries.size())), channels);
    }

    /** Orders the colours along the widest channel and finds the pixel-weighted median cut. */
    private void sortAndSplit() {
      if (split >= 0) {
        return;
      }
      int axis = 0;
      int widest = -1;
      for (int c = 0; c < channels; c++) {
        int cc = c;
        int lo = entries.stream().mapToInt(e -> value(e, cc)).min().orElse(0);
        int hi = entries.stream().mapToInt(e -> value(e, cc)).max().orElse(0);
        if (hi - lo > widest) {
          widest = hi - lo;
          axis = c;
        }
      }
      int a = axis;
      entries.sort(Comparator.<Map.Entry<Integer, Integer>>comparingInt(e -> value(e, a))
          .thenComparingInt(Map.Entry::getKey));
      long half = (pixels + 1) / 2;
      long seen = 0;
      split = entries.size() - 1; // both halves keep at least one colour
      for (int i = 0; i < entries.size() - 1; i++) {
        seen += entries.get(i).getValue();
        if (seen >= half) {
          split = i + 1;
          break;
        }
      }
    }
  }
}
