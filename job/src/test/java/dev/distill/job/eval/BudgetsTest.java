package dev.distill.job.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distill.job.config.ConfigLoader;
import dev.distill.job.config.DistillConfig;
import dev.distill.job.output.Manifest;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** Which images-per-class budgets an evaluation trains on (distill.evaluate.ipcs). */
class BudgetsTest {
  private static final Path OUT = new Path("out");

  private static DistillConfig.Evaluate ipcs(String list) {
    return ConfigLoader.load(null, Map.of("distill.input.path", "x", "distill.evaluate.ipcs", list)).evaluate();
  }

  private static Manifest manifest(int ipc, int factor) {
    return new Manifest(Manifest.FORMAT_VERSION, List.of("rded"), 10, 10L * ipc, ipc, 0, "sha", factor, null, Map.of(),
        null, null, null, Map.of(), Map.of(), List.of());
  }

  @Test
  void smallerBudgetsComeFirstAndTheOutputsOwnIpcIsAlwaysIncluded() throws Exception {
    assertThat(Evaluation.budgets(ipcs("[5, 1, 5]"), manifest(10, 1), OUT)).containsExactly(1, 5, 10);
    assertThat(Evaluation.budgets(ipcs("[10]"), manifest(10, 1), OUT)).containsExactly(10);
    assertThat(Evaluation.budgets(ipcs("[]"), manifest(10, 2), OUT)).containsExactly(10);
  }

  @Test
  void aBudgetAboveTheOutputsIpcIsRefused() {
    assertThatThrownBy(() -> Evaluation.budgets(ipcs("[1, 20]"), manifest(10, 1), OUT))
        .hasMessageContaining("distill.evaluate.ipcs: 20 is larger than the IPC of out (10)");
  }

  @Test
  void stitchedImagesHaveNoSmallerBudgetsInside() {
    assertThatThrownBy(() -> Evaluation.budgets(ipcs("[5]"), manifest(10, 2), OUT))
        .hasMessageContaining("stitched with factor 2");
  }

  @Test
  void budgetsBelowOneAreAConfigError() {
    assertThatThrownBy(() -> ipcs("[0, 3]")).hasMessageContaining("distill.evaluate.ipcs")
        .hasMessageContaining("at least 1");
  }
}
