package dev.distill.job.config;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The methods on the class path, by name: what {@code distill.methods} may list. */
public final class MethodSections {
  private MethodSections() {}

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
