package io.gpureservation.core.pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which waiting pods the pool admits. Pods are considered oldest first (FIFO by creation time, then
 * name); each one that fits in what is still free is admitted, one that does not keeps waiting with
 * {@code PoolCapacityExceeded} without blocking smaller pods behind it (best-effort FIFO: a pod
 * larger than the whole pool can never stall a function).
 */
public final class Admission {
  private Admission() {}

  /** The outcome: new ledger lines, and pods that keep waiting for capacity. */
  public record Plan(List<Allocation> admitted, List<PoolPod> waiting) {}

  /**
   * Plans admissions.
   *
   * @param capacity the pool's capacity in force
   * @param held the ledger: allocations that already hold capacity
   * @param candidates pods that want a resident instance and hold none
   * @param now the admission time written into new allocations
   */
  public static Plan plan(
      PoolCapacity capacity, List<Allocation> held, List<PoolPod> candidates, Instant now) {
    PoolCapacity free = capacity.minus(used(held));
    List<PoolPod> ordered = new ArrayList<>(candidates);
    ordered.sort(PoolPod.FIFO);
    List<Allocation> admitted = new ArrayList<>();
    List<PoolPod> waiting = new ArrayList<>();
    for (PoolPod pod : ordered) {
      if (free.fits(pod.demand())) {
        admitted.add(Allocation.of(pod, now));
        free = free.minus(pod.demand());
      } else {
        waiting.add(pod);
      }
    }
    return new Plan(List.copyOf(admitted), List.copyOf(waiting));
  }

  /** The capacity the allocations take together. */
  public static PoolCapacity used(List<Allocation> allocations) {
    PoolCapacity sum = PoolCapacity.NONE;
    for (Allocation a : allocations) {
      sum = sum.plus(a.demand());
    }
    return sum;
  }
}
