package dev.distill.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distill.job.TinyData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets given by every route the job takes them — {@code -D} overrides and the {@code --conf}
 * file, for the S3A, Azure and GCS connectors' secret keys and a URI's user-info — appear in no log
 * line (at debug level, with {@code --verbose}), on neither console stream, and in no output file;
 * nor in the message of a run that fails on such a URI. (Environment variables feed the same
 * config tree and cannot be set from inside the JVM.)
 */
class SecretsTest {
  private static final List<String> SECRETS = List.of("SECRET-S3A-1", "SECRET-AZURE-2", "SECRET-GCS-3",
      "SECRET-URI-4", "SECRET-FILE-5", "SECRET-FAIL-6");

  @Test
  void secretsNeverReachALogLineAConsoleOrAnOutputFile(@TempDir Path tmp) throws Exception {
    TinyData.folder(tmp.resolve("train"), 3, 6, 16);
    Path conf = tmp.resolve("job.conf");
    Files.writeString(conf, "distill.spark.conf { \"spark.hadoop.fs.s3a.session.token\" = SECRET-FILE-5 }\n");
    StringWriter logs = new StringWriter();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    WriterAppender capture = WriterAppender.newBuilder().setName("secrets-capture").setTarget(logs)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%throwable").build()).build();
    capture.start();
    context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
    context.updateLoggers();
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(console, true, StandardCharsets.UTF_8);
    System.setOut(tee);
    System.setErr(tee);
    int ok;
    int failed;
    try {
      ok = Main.execute("run", "--verbose", "--conf", conf.toString(),
          "-Ddistill.input.path=" + tmp.resolve("train"), "-Ddistill.input.image-size=16",
          "-Ddistill.output.path=" + tmp.resolve("out"), "-Ddistill.ipc=1", "-Ddistill.observer.epochs=1",
          "-Ddistill.rded.pool-size=2", "-Ddistill.rded.crops-per-image=1",
          "-Ddistill.spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=SECRET-S3A-1",
          "-Ddistill.spark.conf.\"spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net\"=SECRET-AZURE-2",
          "-Ddistill.spark.conf.\"spark.hadoop.fs.gs.auth.service.account.private.key\"=SECRET-GCS-3",
          "-Ddistill.spark.conf.\"spark.hadoop.fs.s3a.endpoint\"=\"http://me:SECRET-URI-4@127.0.0.1:9\"");
      // A config error whose message quotes the URI (test-path is the training split).
      failed = Main.execute("run", "-Ddistill.input.path=s3a://me:SECRET-FAIL-6@nowhere/train",
          "-Ddistill.input.test-path=s3a://me:SECRET-FAIL-6@nowhere/train", "-Ddistill.output.path=" + tmp.resolve("never"));
    } finally {
      System.setOut(out);
      System.setErr(err);
      context.getConfiguration().getRootLogger().removeAppender("secrets-capture");
      context.updateLoggers();
    }
    assertThat(ok).as(console.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(failed).isEqualTo(2);
    String logged = logs.toString();
    assertThat(logged).as("the verbose config dump was logged, redacted")
        .contains("effective configuration", "<redacted>");
    List<String> places = new ArrayList<>(List.of("log", "console"));
    List<String> texts = new ArrayList<>(List.of(logged, console.toString(StandardCharsets.UTF_8)));
    try (Stream<Path> files = Files.walk(tmp.resolve("out"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        places.add(f.toString());
        texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(places).contains(tmp.resolve("out/manifest.json").toString(), tmp.resolve("out/config.conf").toString(),
        tmp.resolve("out/report.html").toString());
    for (int i = 0; i < texts.size(); i++) {
      for (String secret : SECRETS) {
        assertThat(texts.get(i)).as("%s in %s", secret, places.get(i)).doesNotContain(secret);
      }
    }
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("distill: ", "s3a://<redacted>@nowhere");
  }
}
