package dev.distill.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets by key (every Hadoop connector's) and in URIs never reach a log line or a file. */
class RedactionTest {
  @Test
  void theConnectorsSecretKeysAreRecognised() {
    for (String key : new String[] {"spark.hadoop.fs.s3a.secret.key", "spark.hadoop.fs.s3a.access.key",
        "spark.hadoop.fs.s3a.session.token", "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net",
        "spark.hadoop.fs.azure.sas.container.acct.blob.core.windows.net", "fs.azure.account.oauth2.client.secret",
        "spark.hadoop.fs.gs.auth.service.account.private.key", "spark.hadoop.fs.gs.auth.service.account.private.key.id",
        "spark.hadoop.fs.s3a.encryption.key", "spark.ssl.keyStorePassword"}) {
      assertThat(Redaction.isSecretKey(key)).as(key).isTrue();
    }
    assertThat(Redaction.isSecretKey("spark.hadoop.fs.s3a.endpoint")).isFalse();
    assertThat(Redaction.isSecretKey("spark.executor.cores")).isFalse();
  }

  @Test
  void aUrisUserInfoIsRemovedWhereverItStands() {
    assertThat(Redaction.uris("s3a://AKIA123:hunter2@bucket/train and hdfs://nn:8020/x"))
        .isEqualTo("s3a://<redacted>@bucket/train and hdfs://nn:8020/x");
    assertThat(Redaction.uris("path=\"wasbs://c:key==@acct.blob.core.windows.net/d\""))
        .doesNotContain("key==").contains("wasbs://<redacted>@acct.blob.core.windows.net/d");
    assertThat(Redaction.uris("/local/path/with@sign")).isEqualTo("/local/path/with@sign");
  }

  @Test
  void theLoggedConfigHidesBothKinds() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("distill.input.path", "\"s3a://AKIA123:hunter2@bucket/train\"");
    o.put("distill.spark.conf.\"spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net\"", "c2VjcmV0");
    DistillConfig c = ConfigLoader.load(null, o);
    assertThat(c.redactedRendering()).doesNotContain("hunter2", "c2VjcmV0").contains("s3a://<redacted>@bucket/train");
    assertThat(Redaction.uris(c.definingRendering())).doesNotContain("hunter2");
    assertThat(c.input().path()).isEqualTo("s3a://AKIA123:hunter2@bucket/train"); // the job still uses it
  }
}
