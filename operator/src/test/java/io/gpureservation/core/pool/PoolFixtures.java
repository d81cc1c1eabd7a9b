package io.gpureservation.core.pool;

import java.time.Instant;

/** Builders for pool pods and ledger lines in core tests. */
final class PoolFixtures {
  static final Instant T0 = Instant.parse("2026-01-31T10:00:00Z");

  private PoolFixtures() {}

  static PoolPod pod(String name, String function, int createdSecond, long cards, long diskGiB) {
    return new PoolPod(
        "uid-" + name,
        name,
        function,
        T0.plusSeconds(createdSecond),
        new PoolCapacity(cards, diskGiB * PoolCapacity.GIB),
        1);
  }

  static Allocation held(String name, String function, long cards, long diskGiB) {
    return Allocation.of(pod(name, function, 0, cards, diskGiB), T0);
  }
}
