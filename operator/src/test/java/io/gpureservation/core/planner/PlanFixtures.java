package io.gpureservation.core.planner;

import java.time.Instant;

/** Pod runs for planner tests: L20 x1 pods (16 vCPU, 128 GiB) unless told otherwise. */
final class PlanFixtures {
  private static int counter;

  private PlanFixtures() {}

  static PodRun l20(String namespace, String start, String end) {
    return run(namespace, "L20", 1, start, end);
  }

  static PodRun run(String namespace, String cardType, int cards, String start, String end) {
    return new PodRun(
        namespace,
        "pod-" + ++counter,
        cardType,
        cards,
        8_000,
        32L << 30,
        Instant.parse(start).toEpochMilli(),
        Instant.parse(end).toEpochMilli());
  }
}
