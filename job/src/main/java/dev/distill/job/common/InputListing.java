package dev.distill.job.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A fingerprint of an input path: how many files, how many bytes, and a SHA-256 over every file's
 * relative name, length and modification time. Cheap (a listing, no reads), and it changes when a
 * file is added, removed, replaced or rewritten, which is what resume must notice.
 */
public record InputListing(
    @JsonProperty("files") long files,
    @JsonProperty("bytes") long bytes,
    @JsonProperty("sha256") String sha256) {

  public static InputListing of(String location, Configuration conf) {
    Path root = new Path(location);
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        return new InputListing(0, 0, "missing");
      }
      String base = fs.makeQualified(root).toUri().getPath();
      TreeMap<String, String> entries = new TreeMap<>();
      long bytes = 0;
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        String rel = f.getPath().toUri().getPath().substring(Math.min(base.length(), f.getPath().toUri().getPath().length()));
        entries.put(rel, f.getLen() + " " + f.getModificationTime());
        bytes += f.getLen();
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      entries.forEach((name, meta) -> digest.update((name + "\t" + meta + "\n").getBytes(StandardCharsets.UTF_8)));
      return new InputListing(entries.size(), bytes, HexFormat.of().formatHex(digest.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + location, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
