package io.gpureservation.core.matching;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the matcher needs to know of a GPU pod.
 *
 * @param size card type, cards, CPU and memory; null when the pod names no known card type
 * @param zone the zone the pod is pinned to, or null
 * @param startedAt when the pod was bound to a node, or null when unknown
 * @param region the region the pod is pinned to, or null (docs/capacity-reservation.md "Region")
 * @param ignoredCardType the card type the pod declares where its node has another, or null: the
 *     node decides (docs/capacity-reservation.md "The node decides the card")
 * @param noSizeReason why {@code size} is null when it is not the default {@link
 *     Reasons#NO_CARD_TYPE} (e.g. {@link Reasons#MIG_NOT_IN_CATALOG}), or null
 */
public record PodDef(
    String uid,
    String name,
    Instant createdAt,
    SlotShape size,
    String zone,
    Map<String, String> labels,
    boolean bestEffort,
    Lifecycle lifecycle,
    Instant startedAt,
    String region,
    String ignoredCardType,
    String noSizeReason) {
  public PodDef(
      String uid,
      String name,
      Instant createdAt,
      SlotShape size,
      String zone,
      Map<String, String> labels,
      boolean bestEffort,
      Lifecycle lifecycle) {
    this(uid, name, createdAt, size, zone, labels, bestEffort, lifecycle, null, null, null, null);
  }

  public PodDef {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lifecycle, "lifecycle");
    labels = Map.copyOf(labels);
  }

  /** Where the pod is in its life, as far as billing cares. */
  public enum Lifecycle {
    /** Not bound to a node yet: holds nothing, costs nothing. */
    PENDING,
    /** Bound to a node and not terminal. */
    STARTED,
    /** Succeeded or Failed. */
    ENDED
  }
}
