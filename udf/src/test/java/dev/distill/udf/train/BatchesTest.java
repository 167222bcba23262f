package dev.distill.udf.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BatchesTest {

  @Test
  void aTailUnderATenthOfABatchJoinsTheBatchBeforeIt() {
    assertArrayEquals(new int[] {0, 101}, Batches.bounds(101, 100));
    assertArrayEquals(new int[] {0, 100, 209}, Batches.bounds(209, 100));
    assertEquals(109, Batches.largest(Batches.bounds(209, 100)));
  }

  @Test
  void aTailOfATenthOrMoreIsABatchOfItsOwn() {
    assertArrayEquals(new int[] {0, 100, 110}, Batches.bounds(110, 100));
    assertArrayEquals(new int[] {0, 50, 100, 107}, Batches.bounds(107, 50));
    assertEquals(50, Batches.largest(Batches.bounds(107, 50)));
  }

  @Test
  void exactMultiplesAndSingleBatchesAreUnchanged() {
    assertArrayEquals(new int[] {0, 100, 200}, Batches.bounds(200, 100));
    assertArrayEquals(new int[] {0, 10}, Batches.bounds(10, 10));
    assertArrayEquals(new int[] {0, 1}, Batches.bounds(1, 1));
    assertArrayEquals(new int[] {0, 3}, Batches.bounds(3, 100));
  }

  @Test
  void everyImageIsInExactlyOneBatch() {
    for (int n = 1; n < 400; n++) {
      for (int b : new int[] {1, 7, 50, 100, 128}) {
        int[] bounds = Batches.bounds(n, b);
        assertEquals(0, bounds[0]);
        assertEquals(n, bounds[bounds.length - 1]);
        for (int i = 1; i < bounds.length; i++) {
          int size = bounds[i] - bounds[i - 1];
          assertTrue(size * 10 >= Math.min(b, n) && size < b + (b + 9) / 10, "n=" + n + " b=" + b + " batch " + size);
        }
      }
    }
  }

  @Test
  void refusesAnEmptySetOrBatch() {
    assertThrows(IllegalArgumentException.class, () -> Batches.bounds(0, 100));
    assertThrows(IllegalArgumentException.class, () -> Batches.bounds(10, 0));
  }
}
