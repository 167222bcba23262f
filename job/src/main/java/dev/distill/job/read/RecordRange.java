package dev.distill.job.read;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Records [start, end) of one file of fixed-size records: the unit a reading task takes. */
record RecordRange(String file, long start, long end) implements Serializable {

  /** Splits {@code count} records of {@code file} into at most {@code parts} contiguous ranges. */
  static List<RecordRange> split(String file, long count, int parts) {
    List<RecordRange> ranges = new ArrayList<>();
    long per = Math.max(1, (count + parts - 1) / parts);
    for (long s = 0; s < count; s += per) {
      ranges.add(new RecordRange(file, s, Math.min(count, s + per)));
    }
    return ranges;
  }

  /** Zero-padded so that ids sort in record order. */
  String id(long index) {
    String name = file.substring(file.lastIndexOf('/') + 1);
    return String.format("%s#%07d", name, index);
  }
}
