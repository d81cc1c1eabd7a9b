package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.core.matching.NamespaceMatcher;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What the operator holds for one namespace; guarded by synchronising on the instance. */
final class NamespaceState {
  NamespaceMatcher matcher;
  final Map<String, CapacityReservation> reservations = new HashMap<>();
  final Map<String, Pod> pods = new HashMap<>();
  final Set<String> pendingReservations = new LinkedHashSet<>();
  final Set<String> pendingPods = new LinkedHashSet<>();

  /** Keeps the newer of the known and the given object (by resourceVersion). */
  void remember(CapacityReservation r) {
    CapacityReservation known = reservations.get(r.getMetadata().getName());
    if (known == null || !isOlder(r, known)) {
      reservations.put(r.getMetadata().getName(), r);
    }
  }

  private static boolean isOlder(CapacityReservation a, CapacityReservation b) {
    if (!a.getMetadata().getUid().equals(b.getMetadata().getUid())) {
      return false;
    }
    try {
      return Long.parseLong(a.getMetadata().getResourceVersion())
          < Long.parseLong(b.getMetadata().getResourceVersion());
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
