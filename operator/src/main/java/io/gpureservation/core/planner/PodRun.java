package io.gpureservation.core.planner;

import java.util.Objects;

/**
 * One GPU pod of a trace, from the moment it started (bound to a node) to the moment it ended.
 * Times are epoch milliseconds, the operator's accrual resolution.
 *
 * @param cpuMillis the pod's vCPU request × 1000
 * @param memoryBytes the pod's memory request in bytes
 */
public record PodRun(
    String namespace,
    String pod,
    String cardType,
    int cards,
    long cpuMillis,
    long memoryBytes,
    long startMillis,
    long endMillis) {
  public PodRun {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(cardType, "cardType");
    if (endMillis <= startMillis) {
      throw new IllegalArgumentException("end must be after start");
    }
  }

  /** The shape whose reservations this pod can deduct. */
  public ShapeKey shape() {
    return new ShapeKey(namespace, cardType, cards);
  }
}
