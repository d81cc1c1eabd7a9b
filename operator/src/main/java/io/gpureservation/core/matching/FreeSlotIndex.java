package io.gpureservation.core.matching;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reservations with idle slots, by card group, then slot size, then FIFO. Walking it in order
 * visits fitting reservations in exactly the matching order: smallest spec (vCPU, then memory),
 * then creation time, then name. A lookup costs O(log n) plus the number of distinct slot sizes in
 * the pod's card group that are large enough in vCPU — a handful in practice (the catalog has one
 * default size per card group).
 */
final class FreeSlotIndex {
  private final Map<SlotShape.CardGroup, NavigableMap<SlotShape.Size, TreeSet<ReservationSlots>>>
      bySize = new HashMap<>();

  /** Puts the reservation in, or takes it out, according to whether it has idle slots now. */
  void refresh(ReservationSlots r) {
    remove(r);
    if (r.def.active() && !r.idle.isEmpty()) {
      bySize
          .computeIfAbsent(r.def.shape().group(), g -> new TreeMap<>())
          .computeIfAbsent(r.def.shape().size(), s -> new TreeSet<>(ReservationSlots.FIFO))
          .add(r);
    }
  }

  void remove(ReservationSlots r) {
    NavigableMap<SlotShape.Size, TreeSet<ReservationSlots>> sizes =
        bySize.get(r.def.shape().group());
    if (sizes == null) {
      return;
    }
    TreeSet<ReservationSlots> fifo = sizes.get(r.def.shape().size());
    if (fifo != null && fifo.remove(r) && fifo.isEmpty()) {
      sizes.remove(r.def.shape().size());
      if (sizes.isEmpty()) {
        bySize.remove(r.def.shape().group());
      }
    }
  }

  /** The first reservation in matching order with an idle slot the pod may take, or null. */
  ReservationSlots firstFor(PodDef pod) {
    NavigableMap<SlotShape.Size, TreeSet<ReservationSlots>> sizes = bySize.get(pod.size().group());
    if (sizes == null) {
      return null;
    }
    SlotShape.Size from = new SlotShape.Size(pod.size().cpuMillis(), Long.MIN_VALUE);
    for (Map.Entry<SlotShape.Size, TreeSet<ReservationSlots>> e : sizes.tailMap(from).entrySet()) {
      if (e.getKey().memoryBytes() < pod.size().memoryBytes()) {
        continue;
      }
      for (ReservationSlots r : e.getValue()) {
        if (r.def.admits(pod)) {
          return r;
        }
      }
    }
    return null;
  }
}
