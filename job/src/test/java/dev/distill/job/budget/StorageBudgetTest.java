package dev.distill.job.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.job.common.IngestSummary;
import dev.distill.job.config.ConfigError;
import dev.distill.job.method.rded.Rded;
import dev.distill.job.method.rded.RdedSettings;
import dev.distill.job.read.ClassMapping;
import dev.distill.job.read.InputError;
import dev.distill.udf.image.Normalization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Budget arithmetic: the ipc shorthand, both accountings, and budgets too small to use. */
class StorageBudgetTest {
  /** Fashion-MNIST: 1 × 28 × 28, 10 classes → 784 raw bytes an image, 40 bytes a label vector. */
  private static final ImageShape FASHION = new ImageShape(1, 28, 28, 10);
  private static final ImageShape CIFAR = new ImageShape(3, 32, 32, 10);

  @Test
  void ipcIsShorthandForThatManyPlainImagesPerClassUnderEitherAccounting() {
    ItemCost plain = ItemCost.fullDepthImage(FASHION, 1);
    assertThat(plain.strictBytes()).isEqualTo(784 + 40);
    assertThat(plain.paperBytes()).isEqualTo(784);
    StorageBudget strict = StorageBudget.of(null, 10, Accounting.STRICT, FASHION);
    assertThat(strict.bytes()).isEqualTo(10 * 10 * 824);
    assertThat(strict.key()).isEqualTo("distill.ipc");
    assertThat(strict.perClass(plain)).isEqualTo(10);
    StorageBudget paper = StorageBudget.of(null, 10, Accounting.PAPER, FASHION);
    assertThat(paper.bytes()).isEqualTo(10 * 10 * 784);
    assertThat(paper.perClass(plain)).isEqualTo(10);
    assertThat(BudgetPlan.of(strict, plain).plannedBytes()).isEqualTo(82_400);
  }

  @Test
  void strictAccountingChargesRegionLabelsWherePaperAccountingDoesNot() {
    ItemCost stitched = ItemCost.fullDepthImage(CIFAR, 1 + 4); // factor 2, one label per patch + the image's
    assertThat(stitched.strictBytes()).isEqualTo(3072 + 5 * 40);
    // The same IPC-10 budget buys 9 such images per class when labels count, 10 when they do not.
    assertThat(StorageBudget.of(null, 10, Accounting.STRICT, CIFAR).perClass(stitched)).isEqualTo(9);
    assertThat(StorageBudget.of(null, 10, Accounting.PAPER, CIFAR).perClass(stitched)).isEqualTo(10);
  }

  @Test
  void kColourImagesCostTheirIndexBitsAndPaletteOrAutoPalettesShareOfAnImage() {
    ItemCost gray16 = ItemCost.kColourImage(FASHION, 16, 1);
    assertThat(gray16.strictBytes()).isEqualTo(392 + 16 + 40); // 4 bits a pixel, 16 gray levels, a label
    assertThat(gray16.paperBytes()).isEqualTo(784 / 16);
    ItemCost rgb64 = ItemCost.kColourImage(CIFAR, 64, 1);
    assertThat(rgb64.strictBytes()).isEqualTo(768 + 192 + 40);
    assertThat(rgb64.paperBytes()).isEqualTo(3072 / 4);
    // "AutoPalette IPC 10" on CIFAR-10: 40 images per class by the paper's count, 31 by the bytes.
    assertThat(StorageBudget.of(null, 10, Accounting.PAPER, CIFAR).perClass(rgb64)).isEqualTo(40);
    assertThat(StorageBudget.of(null, 10, Accounting.STRICT, CIFAR).perClass(rgb64)).isEqualTo(31);
    assertThat(ItemCost.kColourImage(FASHION, 3, 0).strictBytes()).isEqualTo(196 + 3); // 3 colours need 2 bits
    assertThatThrownBy(() -> ItemCost.kColourImage(FASHION, 1, 1)).hasMessageContaining("2 to 256 colours, got 1");
  }

  @Test
  void aByteBudgetBuysWholeItemsAndRoundsDown() {
    ItemCost plain = ItemCost.fullDepthImage(FASHION, 1);
    StorageBudget b = StorageBudget.of(8239L * 3, 99, Accounting.STRICT, FASHION);
    assertThat(b.key()).isEqualTo("distill.budget.bytes");
    assertThat(b.perClass(plain)).isEqualTo(2); // 24,717 bytes: 3 × 8,240 would need 3 more
  }

  @Test
  void aBudgetTooSmallForOneImagePerClassNamesTheKeyAndTheSmallestFeasibleValue() {
    ItemCost plain = ItemCost.fullDepthImage(FASHION, 1);
    assertThatThrownBy(() -> StorageBudget.of(8000L, 1, Accounting.STRICT, FASHION).perClass(plain))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("distill.budget.bytes = 8000")
        .hasMessageContaining("cannot hold one 8-bit image + 1 label vector (824 bytes) for each of 10 classes")
        .hasMessageContaining("smallest feasible budget is distill.budget.bytes = 8240 (or distill.ipc = 1)");
    ItemCost stitched = ItemCost.fullDepthImage(FASHION, 5);
    assertThatThrownBy(() -> StorageBudget.of(null, 1, Accounting.STRICT, FASHION).perClass(stitched))
        .hasMessageContaining("distill.ipc = 1")
        .hasMessageContaining("smallest feasible budget is distill.budget.bytes = 9840 (or distill.ipc = 2)");
  }

  @Test
  void rdedChecksItsPoolAndItsClassesAgainstThePlan() {
    Rded rded = new Rded();
    RdedSettings settings = new RdedSettings(2, 5, 30, 0.08, 1, "fail", "image");
    BudgetPlan plan = BudgetPlan.of(StorageBudget.of(null, 10, Accounting.STRICT, FASHION),
        rded.unitCost(settings, FASHION));
    IngestSummary data = new IngestSummary(ClassMapping.numbered(10), Map.of(0, 1000L, 1, 35L), 1035, 0, 0, false, 0,
        new Normalization(new float[] {0.5f}, new float[] {0.25f}));
    assertThatThrownBy(() -> rded.check(settings, plan, data))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("distill.rded.pool-size = 30: must be at least 40 (10 images per class x factor^2 = 4");
    RdedSettings bigPool = new RdedSettings(2, 5, 300, 0.08, 1, "fail", "image");
    assertThatThrownBy(() -> rded.check(bigPool, plan, data))
        .isInstanceOf(InputError.class)
        .hasMessageContaining("class 1 ('1') has 35 training images but 10 images per class (distill.ipc)");
  }
}
