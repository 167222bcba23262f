package dev.distill.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void aBadConfigExitsWithCode2AndTheKeyBeforeAnySparkWork() {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      int code = Main.execute("run", "-Ddistill.input.path=/x", "-Ddistill.ipcc=3");
      assertThat(code).isEqualTo(2);
    } finally {
      System.setErr(original);
    }
    assertThat(err.toString()).contains("distill: invalid configuration", "distill.ipcc is not a known key");
  }

  @Test
  void helpListsTheCommands() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    try {
      assertThat(Main.execute("--help")).isZero();
    } finally {
      System.setOut(original);
    }
    assertThat(out.toString()).contains("run", "demo", "train-observer");
  }
}
