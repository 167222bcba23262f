package dev.distill.job.read;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Class index ↔ name, written out with every output. Folder names carry the zero-padded index, so
 * sorting the folders (what PyTorch's ImageFolder does to assign indices) gives back exactly this
 * order: the most common reason published RDED numbers fail to reproduce is a silent class-order
 * mismatch.
 */
public record ClassMapping(List<String> names) implements Serializable {

  public ClassMapping {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a dataset needs at least one class");
    }
  }

  public static ClassMapping numbered(int classes) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      names.add(Integer.toString(i));
    }
    return new ClassMapping(names);
  }

  public int size() {
    return names.size();
  }

  public String name(int index) {
    return names.get(index);
  }

  /** e.g. {@code 000_T-shirt_top}: the index first so that lexical order is index order. */
  public String folder(int index) {
    int digits = Math.max(3, Integer.toString(names.size() - 1).length());
    String safe = names.get(index).replaceAll("[^A-Za-z0-9._-]+", "_");
    return String.format("%0" + digits + "d_%s", index, safe);
  }
}
