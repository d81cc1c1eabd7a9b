package io.gpureservation.core.pool;

import java.time.Instant;

/** One resident instance held by a pod: a line of the pool's ledger. */
public record Allocation(
    String uid, String pod, String function, PoolCapacity demand, int concurrency, Instant since) {

  static Allocation of(PoolPod pod, Instant since) {
    return new Allocation(
        pod.uid(), pod.name(), pod.function(), pod.demand(), pod.concurrency(), since);
  }
}
