package io.gpureservation.core.matching;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Started pay-as-you-go pods that could hold a slot, by card group, then pod size, then age. When a
 * slot frees, the oldest fitting pod is found by looking at the oldest admissible pod of each pod
 * size that fits the slot: O(log n) per distinct pod size of the card group.
 */
final class WaitingPodIndex {
  static final Comparator<PodDef> OLDEST_FIRST =
      Comparator.comparing(PodDef::createdAt).thenComparing(PodDef::uid);

  private final Map<SlotShape.CardGroup, NavigableMap<SlotShape.Size, TreeSet<PodDef>>> bySize =
      new HashMap<>();

  void add(PodDef pod) {
    bySize
        .computeIfAbsent(pod.size().group(), g -> new TreeMap<>())
        .computeIfAbsent(pod.size().size(), s -> new TreeSet<>(OLDEST_FIRST))
        .add(pod);
  }

  void remove(PodDef pod) {
    if (pod.size() == null) {
      return;
    }
    NavigableMap<SlotShape.Size, TreeSet<PodDef>> sizes = bySize.get(pod.size().group());
    if (sizes == null) {
      return;
    }
    TreeSet<PodDef> pods = sizes.get(pod.size().size());
    if (pods != null && pods.remove(pod) && pods.isEmpty()) {
      sizes.remove(pod.size().size());
      if (sizes.isEmpty()) {
        bySize.remove(pod.size().group());
      }
    }
  }

  /** The oldest waiting pod that the reservation admits into one of its slots, or null. */
  PodDef oldestFor(ReservationDef reservation) {
    NavigableMap<SlotShape.Size, TreeSet<PodDef>> sizes = bySize.get(reservation.shape().group());
    if (sizes == null) {
      return null;
    }
    SlotShape.Size upTo = new SlotShape.Size(reservation.shape().cpuMillis(), Long.MAX_VALUE);
    PodDef oldest = null;
    for (Map.Entry<SlotShape.Size, TreeSet<PodDef>> e : sizes.headMap(upTo, true).entrySet()) {
      if (e.getKey().memoryBytes() > reservation.shape().memoryBytes()) {
        continue;
      }
      for (PodDef pod : e.getValue()) {
        if (oldest != null && OLDEST_FIRST.compare(pod, oldest) >= 0) {
          break;
        }
        if (reservation.admits(pod)) {
          oldest = pod;
          break;
        }
      }
    }
    return oldest;
  }
}
