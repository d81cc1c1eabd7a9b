package io.gpureservation.core.matching;

import java.time.Instant;
import java.util.Objects;

/**
 * What the matcher needs to know of a reservation. An inactive reservation (expired, deleted, or
 * not ready) offers no slots.
 *
 * @param zone the zone a pod must be pinned to, or null for any
 * @param region the region a pod must be pinned to, or null for any (docs/capacity-reservation.md
 *     "Region": a zone pin alone does not imply its region)
 */
public record ReservationDef(
    String name,
    SlotShape shape,
    int quantity,
    String zone,
    PodSelector selector,
    Instant createdAt,
    boolean active,
    String region) {
  public ReservationDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(createdAt, "createdAt");
    if (quantity < 0) {
      throw new IllegalArgumentException("quantity must be >= 0");
    }
  }

  /**
   * Whether a pod may keep a slot it holds: its vCPU and memory still fit the slot (an in-place
   * resize can grow them). Nothing else is re-checked: a reservation's zone, region and selector
   * and a pod's zone and region pins are immutable, and a deduction survives label changes (the
   * card-type label included).
   */
  boolean holds(PodDef pod) {
    return pod.size() == null
        || (pod.size().cpuMillis() <= shape.cpuMillis()
            && pod.size().memoryBytes() <= shape.memoryBytes());
  }

  boolean admits(PodDef pod) {
    return active
        && pod.size() != null
        && shape.fits(pod.size())
        && (zone == null || zone.equals(pod.zone()))
        && (region == null || region.equals(pod.region()))
        && selector.matches(pod.labels());
  }
}
