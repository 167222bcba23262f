package dev.distill.job.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** The manifest is one record, written and read back; format-1 files (RDED only) still read. */
class ManifestTest {
  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ManifestTest.class.getResourceAsStream("/manifests/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aWrittenManifestReadsBackEqual() throws IOException {
    Manifest m = Manifest.parse(resource("format-2-rded.json"), "format-2-rded.json");
    assertThat(m.formatVersion()).isEqualTo(2);
    assertThat(m.method()).isEqualTo("rded");
    assertThat(m.budget().itemsPerClass()).isEqualTo(10);
    assertThat(m.budget().accounting()).isEqualTo("strict");
    assertThat(m.bytes().total()).isEqualTo(m.bytes().images() + m.bytes().labels());
    assertThat(m.methodBlocks().get("rded").get("factor").asInt()).isEqualTo(1);
    assertThat(m.observer().trainedByThisRun()).isFalse();
    assertThat(m.observer().resolve(new Path("/out"))).isEqualTo("/models/convnet3");
    Manifest again = Manifest.parse(m.toBytes(), "again");
    assertThat(again).isEqualTo(m);
    assertThat(new String(again.toBytes())).isEqualTo(new String(m.toBytes()));
  }

  @Test
  void aFormatOneManifestReadsWithRdedDefaults() throws IOException {
    Manifest m = Manifest.parse(resource("format-1-rded.json"), "format-1-rded.json");
    assertThat(m.formatVersion()).isEqualTo(1);
    assertThat(m.methods()).containsExactly("rded");
    assertThat(m.patchGrid()).isEqualTo(1);
    assertThat(m.budget()).isNull();
    assertThat(m.ipc()).isEqualTo(10);
    assertThat(m.observer().resolve(new Path("/out"))).isEqualTo("/out/observers/convnet3");
    assertThat(m.reusedStages()).isEmpty();
  }

  @Test
  void anUnknownFormatIsRefusedNamingTheFile() {
    assertThatThrownBy(() -> Manifest.parse("{\"format_version\": 9}".getBytes(), "x/manifest.json"))
        .hasMessageContaining("x/manifest.json: format_version 9 is not one this job reads (1 to 2)");
  }
}
