package dev.distill.udf.model;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded observer per (location, device) per JVM, shared by every task of an executor, in the
 * spirit of Iceberg's {@code SparkExecutorCache}: loading a model once per task costs seconds and
 * native memory each time. Entries are leased; idle entries beyond {@link #MAX_IDLE} are closed,
 * least recently used first, so a long-lived executor that sees many models stays bounded.
 */
public final class ObserverCache {
  static final int MAX_IDLE = 2;
  /** What a cache miss logs, followed by the location: the cluster test counts these per executor. */
  public static final String LOADED = "observer loaded into this JVM: ";

  private static final Logger LOG = LoggerFactory.getLogger(ObserverCache.class);

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>(8, 0.75f, true);

  private ObserverCache() {}

  /** A task's hold on a shared observer; closing it does not close the model. */
  public static final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    public Observer observer() {
      return entry.observer;
    }

    @Override
    public void close() {
      synchronized (ObserverCache.class) {
        if (!closed) {
          closed = true;
          entry.leases--;
          evictIdle();
        }
      }
    }
  }

  private static final class Entry {
    final Observer observer;
    int leases;

    Entry(Observer observer) {
      this.observer = observer;
    }
  }

  /**
   * Leases the observer at {@code location} on {@code device}; {@code localCopy} turns the location
   * into a local directory (fetching from HDFS or S3 when needed) and runs only on a cache miss.
   */
  public static synchronized Lease lease(
      String location, Device device, Function<String, Path> localCopy) {
    String key = location + "@" + device;
    Entry entry = ENTRIES.get(key);
    if (entry == null) {
      entry = new Entry(Observer.load(localCopy.apply(location), device));
      ENTRIES.put(key, entry);
      LOG.info("{}{} on {}", LOADED, location, device);
    }
    entry.leases++;
    return new Lease(entry);
  }

  static synchronized int size() {
    return ENTRIES.size();
  }

  private static void evictIdle() {
    long idle = ENTRIES.values().stream().filter(e -> e.leases == 0).count();
    Iterator<Entry> it = ENTRIES.values().iterator();
    while (idle > MAX_IDLE && it.hasNext()) {
      Entry e = it.next();
      if (e.leases == 0) {
        e.observer.close();
        it.remove();
        idle--;
      }
    }
  }
}
