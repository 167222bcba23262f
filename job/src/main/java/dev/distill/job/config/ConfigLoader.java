package dev.distill.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Builds the effective configuration. Precedence, highest first: {@code -Dkey=value} overrides,
 * JVM system properties {@code distill.*}, the {@code --conf} file, environment variables named in
 * {@code reference.conf}, then the defaults of {@code reference.conf}.
 */
public final class ConfigLoader {
  static final String ROOT = "distill";
  /** Free-form sections exempt from the unknown-key check. */
  private static final List<String> FREE_FORM = List.of("distill.spark.conf");
  /** Sections that say where and how to run, not what to compute: left out of the config hash. */
  private static final List<String> NOT_HASHED = List.of("output", "spark", "evaluate", "fault", "training");

  private ConfigLoader() {}

  public static DistillConfig load(File file, Map<String, String> overrides) {
    return load(file, overrides, ConfigFactory.empty());
  }

  /**
   * As {@link #load(File, Map)}, with {@code base} (e.g. the config a distilled output was made
   * with) below the file and above the defaults.
   */
  public static DistillConfig load(File file, Map<String, String> overrides, Config base) {
    Config user = ConfigFactory.empty();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      user = user.withFallback(parseOverride(e.getKey(), e.getValue()));
    }
    user = user.withFallback(ConfigFactory.systemProperties().withOnlyPath(ROOT).root().isEmpty()
        ? ConfigFactory.empty()
        : ConfigFactory.systemProperties().withOnlyPath(ROOT));
    if (file != null) {
      if (!file.isFile()) {
        throw new ConfigError("--conf " + file + ": no such file");
      }
      try {
        user = user.withFallback(ConfigFactory.parseFile(file));
      } catch (ConfigException e) {
        throw new ConfigError("--conf " + file + ": not valid HOCON: " + e.getMessage());
      }
    }
    user = user.withFallback(base);
    Config reference = ConfigFactory.defaultReference();
    List<String> unknown = unknownKeys(user, reference);
    Config effective;
    try {
      effective = user.withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw new ConfigError(concat(unknown, List.of(e.getMessage())));
    }
    // Unknown keys and invalid values are reported together: fixing one should not reveal the next.
    DistillConfig config;
    try {
      config = DistillConfig.from(effective, sha256(effective), hashedRendering(effective), redacted(effective));
    } catch (ConfigError e) {
      throw unknown.isEmpty() ? e : new ConfigError(concat(unknown, e.problems()));
    }
    if (!unknown.isEmpty()) {
      throw new ConfigError(unknown);
    }
    return config;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** {@code -Dkey=value}: parsed as HOCON so lists and numbers work, else taken as a string. */
  static Config parseOverride(String key, String value) {
    if (!key.startsWith(ROOT + ".")) {
      throw new ConfigError("-D" + key + ": only keys under '" + ROOT + ".' can be set this way");
    }
    try {
      return ConfigFactory.parseString(key + " = " + value);
    } catch (ConfigException e) {
      return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
    }
  }

  /** Every key under {@code distill} that reference.conf does not know, with a suggestion. */
  static List<String> unknownKeys(Config user, Config reference) {
    List<String> problems = new ArrayList<>();
    if (user.hasPathOrNull(ROOT)) {
      Config partlyResolved = user.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
      collectUnknown(partlyResolved.getObject(ROOT), ROOT, reference, problems);
    }
    return problems;
  }

  private static void collectUnknown(ConfigObject object, String prefix, Config reference, List<String> problems) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String path = prefix + "." + ConfigUtil.joinPath(e.getKey());
      if (FREE_FORM.contains(path)) {
        continue;
      }
      if (!reference.hasPathOrNull(path)) {
        problems.add(path + " is not a known key" + suggestion(prefix, reference));
      } else if (isObject(e.getValue()) && reference.getValue(path).valueType() == ConfigValueType.OBJECT) {
        collectUnknown((ConfigObject) e.getValue(), path, reference, problems);
      }
    }
  }

  private static boolean isObject(ConfigValue value) {
    try {
      return value.valueType() == ConfigValueType.OBJECT;
    } catch (ConfigException.NotResolved e) {
      return false; // an optional ${?ENV} substitution: a leaf, checked when resolved
    }
  }

  private static String suggestion(String parent, Config reference) {
    if (!reference.hasPath(parent)) {
      return "";
    }
    List<String> siblings = new ArrayList<>(reference.getObject(parent).keySet());
    siblings.sort(null);
    return " (known keys under " + parent + ": " + String.join(", ", siblings) + ")";
  }

  /** SHA-256 of what the output depends on: the distill tree minus where/how it runs. */
  static String sha256(Config effective) {
    Config hashed = effective.getConfig(ROOT);
    for (String section : NOT_HASHED) {
      hashed = hashed.withoutPath(section);
    }
    String canonical = hashed.root().render(ConfigRenderOptions.concise());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The part of the config that determines the output, as HOCON: written beside the output. */
  static String hashedRendering(Config effective) {
    Config hashed = effective.getConfig(ROOT);
    for (String section : NOT_HASHED) {
      hashed = hashed.withoutPath(section);
    }
    return ConfigFactory.empty().withValue(ROOT, hashed.root()).root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  /** The effective distill tree as HOCON with secret-looking values replaced. */
  static String redacted(Config effective) {
    Config out = effective.getConfig(ROOT);
    for (Map.Entry<String, ConfigValue> e : effective.getConfig(ROOT).entrySet()) {
      if (Redaction.isSecretKey(e.getKey())) {
        out = out.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(Redaction.MARK));
      } else if (e.getValue().valueType() == ConfigValueType.STRING) {
        String value = (String) e.getValue().unwrapped();
        if (!value.equals(Redaction.uris(value))) {
          out = out.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(Redaction.uris(value)));
        }
      }
    }
    return out.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }
}
