package dev.distill.job.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every file under an image folder, listed on the driver so that none is skipped silently: Spark's
 * file sources hide names starting with {@code .} or {@code _} and drop empty files, and a
 * {@code :} in a name breaks Hadoop paths inside a task. Each such file becomes an entry with the
 * reason it cannot be used; the rest are read. On the local file system directories are followed
 * once by their real path, so a symlink loop is reported instead of multiplying a class.
 */
final class FolderListing {
  private FolderListing() {}

  /** A file: its id (path below the root, '/'-separated), location, length, and why it is unusable (or null). */
  record Entry(String id, String location, long length, String reject) {}

  static List<Entry> list(FileSystem fs, Path root) throws IOException {
    List<Entry> out = new ArrayList<>();
    Set<String> visited = new HashSet<>();
    walk(fs, root, "", out, visited);
    out.sort(Comparator.comparing(Entry::id));
    return out;
  }

  private static void walk(FileSystem fs, Path dir, String prefix, List<Entry> out, Set<String> visited)
      throws IOException {
    if (fs instanceof LocalFileSystem local) {
      String real = java.nio.file.Path.of(local.pathToFile(dir).getPath()).toRealPath().toString();
      if (!visited.add(real)) {
        out.add(new Entry(prefix, dir.toString(), 0, "symbolic link loop: this folder is " + real
            + " again; its files are read once, under their first path"));
        return;
      }
    }
    FileStatus[] children = fs.listStatus(dir);
    Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
    for (FileStatus child : children) {
      String name = child.getPath().getName();
      String id = prefix + name;
      if (child.isDirectory()) {
        walk(fs, child.getPath(), id + "/", out, visited);
      } else {
        out.add(new Entry(id, child.getPath().toString(), child.getLen(), reason(id, child.getLen())));
      }
    }
  }

  /** Why a file cannot be read, from its id and length alone; null when it can. */
  static String reason(String id, long length) {
    if (id.contains(":")) {
      return "':' in the path: Hadoop file systems cannot open it; rename the file";
    }
    for (String part : id.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return "hidden name ('" + part + "' starts with '" + part.charAt(0) + "'): Spark skips such names and"
            + " PyTorch's ImageFolder reads them, so it is neither used nor dropped silently; rename or remove it";
      }
    }
    return length == 0 ? "empty file (0 bytes)" : null;
  }
}
