package dev.distill.job.config;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The methods on the class path, by name: what {@code distill.methods} may list. */
public final class MethodSections {
  private MethodSections() {}

  /**
   * Parses {@code distill.methods} and each listed method's section, in the listed order; unknown
   * and repeated names are problems that list the known ones.
   */
  static Map<String, MethodSettings> read(ConfigReader r, String p, DistillConfig.Input input) {
    Map<String, MethodSettings> methods = new java.util.LinkedHashMap<>();
    Map<String, MethodSection> known = known();
    java.util.List<String> names = r.strings(p + "methods");
    if (names.isEmpty()) {
      r.problem(p + "methods", "expected at least one of " + known.keySet());
    }
    for (String name : names) {
      MethodSection section = known.get(name);
      if (section == null) {
        r.problem(p + "methods", "'" + name + "' is not a known method; known: " + known.keySet());
      } else if (methods.containsKey(name)) {
        r.problem(p + "methods", "'" + name + "' is listed twice");
      } else {
        methods.put(name, section.parse(r, p + name + ".", input));
      }
    }
    return java.util.Collections.unmodifiableMap(methods);
  }

  public static Map<String, MethodSection> known() {
    Map<String, MethodSection> known = new TreeMap<>();
    for (MethodSection s : ServiceLoader.load(MethodSection.class, MethodSections.class.getClassLoader())) {
      MethodSection previous = known.put(s.name(), s);
      if (previous != null && previous.getClass() != s.getClass()) {
        throw new IllegalStateException("two methods are named " + s.name() + ": " + previous.getClass().getName()
            + " and " + s.getClass().getName());
      }
    }
    return known;
  }
}
