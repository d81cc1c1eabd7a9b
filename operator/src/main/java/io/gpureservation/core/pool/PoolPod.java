package io.gpureservation.core.pool;

import java.time.Instant;
import java.util.Comparator;

/**
 * A pod of a pool function, as the admission rules see it: who it is, when it was created and what
 * one resident instance of it takes (its GPU count in cards, its ephemeral-storage request in
 * disk), and the card type, CPU and memory it asks for.
 */
public record PoolPod(
    String uid,
    String name,
    String function,
    Instant createdAt,
    PoolCapacity demand,
    int concurrency,
    PodShape shape) {

  /** A pod that names no card type and states no CPU or memory. */
  public PoolPod(
      String uid,
      String name,
      String function,
      Instant createdAt,
      PoolCapacity demand,
      int concurrency) {
    this(uid, name, function, createdAt, demand, concurrency, PodShape.UNSTATED);
  }

  /** Admission order: FIFO by creation time, then name (a total order for equal timestamps). */
  public static final Comparator<PoolPod> FIFO =
      Comparator.comparing(PoolPod::createdAt).thenComparing(PoolPod::name);
}
