package dev.distill.udf.random;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Every random draw in the job comes from here, keyed by (global seed, stage, stable record id),
 * so a retried or speculative task, or a rerun on another cluster, draws the same numbers no matter
 * how records are partitioned.
 */
public final class StableRandom {
  private StableRandom() {}

  public static SplittableRandom of(long seed, String stage, String recordId) {
    return new SplittableRandom(key(seed, stage, recordId));
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A 64-bit key uniformly spread over the space: also used to sort records into a random order. */
  public static long key(long seed, String stage, String recordId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
      sha.update(stage.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(recordId.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
