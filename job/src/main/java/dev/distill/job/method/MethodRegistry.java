package dev.distill.job.method;

import dev.distill.job.config.MethodSection;
import dev.distill.job.config.MethodSections;
import java.util.Map;

/** The methods on the class path (see {@link Method} for how one registers). */
public final class MethodRegistry {
  private MethodRegistry() {}

  public static Method get(String name) {
    Map<String, MethodSection> known = MethodSections.known();
    MethodSection s = known.get(name);
    if (s == null) {
      throw new IllegalArgumentException("'" + name + "' is not a known method; known: " + known.keySet());
    }
    if (!(s instanceof Method m)) {
      throw new IllegalStateException(s.getClass().getName() + " registers method " + name
          + " but does not implement " + Method.class.getName());
    }
    return m;
  }

  /** The known methods that choose images from the training data (phases select and compose). */
  public static java.util.List<String> choosers() {
    return MethodSections.known().values().stream().filter(s -> s instanceof Method m
        && m.phase().compareTo(Phase.COMPOSE) <= 0).map(MethodSection::name).sorted().toList();
  }
}
