package dev.distill.job.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must never be printed or written: values of secret-looking keys — the Hadoop connectors'
 * (S3A access/secret/session keys, Azure account keys and SAS tokens, GCS service-account private
 * keys, OAuth client secrets) and anything named like a password or token — and the user-info of a
 * URI ({@code s3a://user:secret@bucket/…}).
 */
public final class Redaction {
  public static final String MARK = "<redacted>";
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|password|passwd|token|credential"
      + "|access\\.key|session\\.key|account\\.key|private\\.key|sas\\.|\\.sas|signature|encryption\\.key"
      + "|oauth2?\\.client).*");
  /** scheme://user[:password]@host — the user-info goes, the rest stays readable. */
  private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@\\s\"]+)@");

  private Redaction() {}

  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /** {@code text} with every URI user-info replaced by the mark. */
  public static String uris(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = USER_INFO.matcher(text);
    return m.find() ? m.replaceAll("$1" + Matcher.quoteReplacement(MARK) + "@") : text;
  }
}
