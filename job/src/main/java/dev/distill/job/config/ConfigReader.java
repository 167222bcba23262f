package dev.distill.job.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Typed reads of one config that collect every problem instead of stopping at the first, so a user
 * fixes a config in one round. Each problem names the key, the value found and what is allowed.
 */
public final class ConfigReader {
  private final Config config;
  private final List<String> problems = new ArrayList<>();

  ConfigReader(Config config) {
    this.config = config;
  }

  List<String> problems() {
    return problems;
  }

  public void problem(String key, String message) {
    problems.add(key + " = " + shown(key) + ": " + message);
  }

  private String shown(String key) {
    return config.hasPath(key) ? config.getValue(key).render(com.typesafe.config.ConfigRenderOptions.concise()) : "null";
  }

  public String optionalString(String key) {
    if (!config.hasPath(key)) {
      return null;
    }
    try {
      String value = config.getString(key);
      return value.isBlank() ? null : value;
    } catch (ConfigException e) {
      problem(key, "expected a string");
      return null;
    }
  }

  public String requiredString(String key) {
    String value = optionalString(key);
    if (value == null && !config.hasPath(key)) {
      problems.add(key + " is required but not set");
    }
    return value;
  }

  public String oneOf(String key, List<String> allowed) {
    String value = optionalString(key);
    if (value != null && !allowed.contains(value)) {
      problem(key, "expected one of " + String.join(" | ", allowed));
    }
    return value;
  }

  public int integer(String key, int min, int max) {
    try {
      int value = config.getInt(key);
      if (value < min || value > max) {
        problem(key, "expected a whole number from " + min + " to " + max);
      }
      return value;
    } catch (ConfigException e) {
      problem(key, "expected a whole number from " + min + " to " + max);
      return min;
    }
  }

  public long anyLong(String key) {
    try {
      return config.getLong(key);
    } catch (ConfigException e) {
      problem(key, "expected a whole number");
      return 0;
    }
  }

  public double number(String key, Predicate<Double> valid, String expected) {
    try {
      double value = config.getDouble(key);
      if (!valid.test(value)) {
        problem(key, "expected " + expected);
      }
      return value;
    } catch (ConfigException e) {
      problem(key, "expected " + expected);
      return 0;
    }
  }

  /** A whole number of at least {@code min}, or null when the key is unset or null. */
  public Long optionalLong(String key, long min) {
    if (!config.hasPath(key)) {
      return null;
    }
    try {
      long value = config.getLong(key);
      if (value < min) {
        problem(key, "expected a whole number of at least " + min);
      }
      return value;
    } catch (ConfigException e) {
      problem(key, "expected a whole number of at least " + min);
      return null;
    }
  }

  public boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      problem(key, "expected true or false");
      return false;
    }
  }

  /** Whole numbers, or a problem and an empty list. */
  public List<Long> longs(String key) {
    try {
      return config.getLongList(key);
    } catch (ConfigException e) {
      problem(key, "expected a list of whole numbers");
      return List.of();
    }
  }

  /** Strings each of which must be one of {@code allowed}; every other one is a problem. */
  public List<String> eachOneOf(String key, List<String> allowed, String allowedText) {
    return eachValid(key, allowed::contains, allowedText);
  }

  /** Strings each of which must satisfy {@code valid}. */
  public List<String> eachValid(String key, Predicate<String> valid, String allowedText) {
    List<String> values = strings(key);
    for (String v : values) {
      if (!valid.test(v)) {
        problem(key, "'" + v + "' is not one of " + allowedText);
      }
    }
    return values;
  }

  public List<String> strings(String key) {
    try {
      return config.getStringList(key);
    } catch (ConfigException e) {
      problem(key, "expected a list of strings");
      return List.of();
    }
  }
}
