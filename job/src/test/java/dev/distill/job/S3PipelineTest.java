package dev.distill.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distill.job.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job against an S3 endpoint (s3proxy on loopback, in memory): input read through s3a,
 * observer saved to and loaded from s3a, output committed on s3a.
 */
class S3PipelineTest {
  private static final String BUCKET = "distill";
  private static Process proxy;
  private static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path props = tmp.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=test-access",
        "s3proxy.credential=test-secret",
        "jclouds.provider=transient",
        "jclouds.identity=test-access",
        "jclouds.credential=test-secret"));
    proxy = new ProcessBuilder("java", "-jar", "target/s3proxy/s3proxy.jar", "--properties", props.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("s3proxy.log").toFile()).start();
    awaitPort(port);
    String endpoint = "http://127.0.0.1:" + port;
    AmazonS3 s3 = AmazonS3ClientBuilder.standard()
        .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint, "us-east-1"))
        .withPathStyleAccessEnabled(true)
        .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("test-access", "test-secret")))
        .build();
    s3.createBucket(BUCKET);

    spark = TestSpark.start();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.set("fs.s3a.endpoint", endpoint);
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.connection.ssl.enabled", "false");
    conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", "test-access");
    conf.set("fs.s3a.secret.key", "test-secret");
    conf.set("fs.s3a.change.detection.mode", "none");

    Path local = TinyData.folder(tmp.resolve("train"), 3, 6, 16);
    org.apache.hadoop.fs.Path train = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/data/train");
    train.getFileSystem(conf).copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), train);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (proxy != null) {
      proxy.destroy();
    }
  }

  private static void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!proxy.isAlive()) {
          throw new IllegalStateException("s3proxy exited: " + Files.readString(tmp.resolve("s3proxy.log")));
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("s3proxy did not open port " + port);
  }

  @Test
  void readsTrainsScoresAndCommitsThroughS3a() throws Exception {
    Map<String, String> o = TinyData.job("s3a://" + BUCKET + "/data/train", "s3a://" + BUCKET + "/out");
    o.put("distill.observer.epochs", "1");
    Pipeline.Outcome outcome = Pipeline.run(spark, ConfigLoader.load(null, o), false);
    assertThat(outcome.output()).isEqualTo("s3a://" + BUCKET + "/out");

    Configuration conf = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/out");
    FileSystem fs = out.getFileSystem(conf);
    JsonNode manifest;
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out, "manifest.json"))) {
      manifest = new ObjectMapper().readTree(in);
    }
    assertThat(manifest.get("images").asInt()).isEqualTo(6);
    int pngs = 0;
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(new org.apache.hadoop.fs.Path(out, "images"), true);
    while (files.hasNext()) {
      pngs += files.next().getPath().getName().endsWith(".png") ? 1 : 0;
    }
    assertThat(pngs).isEqualTo(6);
    assertThat(fs.exists(new org.apache.hadoop.fs.Path(out, "observers/convnet3/observer.json"))).isTrue();
    assertThat(fs.exists(new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/.out.staging"))).isFalse();
  }
}
