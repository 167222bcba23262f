package dev.distill.udf.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchStitcherTest {

  /** Patch number r is filled with the value r, so the pixels say which rank landed where. */
  private static List<PixelImage> rankedPatches(int count, int side) {
    List<PixelImage> patches = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      PixelImage p = PixelImage.blank(1, side, side);
      java.util.Arrays.fill(p.data(), (byte) r);
      patches.add(p);
    }
    return patches;
  }

  @Test
  void followsTheOfficialRankOrder() {
    int ipc = 3;
    PatchStitcher stitcher = new PatchStitcher(2, 8);
    List<PixelImage> images = stitcher.stitch(rankedPatches(ipc * 4, 4));
    assertThat(images).hasSize(ipc);
    for (int j = 0; j < ipc; j++) {
      PixelImage img = images.get(j);
      assertThat(img.get(0, 0, 0)).isEqualTo(j);            // cell 0: rank j
      assertThat(img.get(0, 0, 7)).isEqualTo(ipc + j);      // cell 1 (top right): rank ipc + j
      assertThat(img.get(0, 7, 0)).isEqualTo(2 * ipc + j);  // cell 2 (bottom left)
      assertThat(img.get(0, 7, 7)).isEqualTo(3 * ipc + j);  // cell 3
    }
  }

  @Test
  void unevenSidesGiveTheFirstCellsTheExtraPixel() {
    assertThat(new PatchStitcher(3, 28).cellOffsets()).containsExactly(0, 10, 19, 28);
    assertThat(new PatchStitcher(2, 28).cellOffsets()).containsExactly(0, 14, 28);
  }

  @Test
  void factorOneKeepsTheBestPatchesAsImages() {
    List<PixelImage> ranked = rankedPatches(5, 6);
    List<PixelImage> images = new PatchStitcher(1, 6).stitch(ranked);
    assertThat(images).containsExactlyElementsOf(ranked);
  }

  @Test
  void incompleteGroupsAreNotStitched() {
    assertThat(new PatchStitcher(2, 8).imagesFor(7)).isEqualTo(1);
  }
}
