package io.gpureservation.reservation;

import static io.gpureservation.api.v1alpha1.GpuReservation.HANDOVER_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.HANDOVER_AT_ANNOTATION;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.core.matching.NamespaceMatcher.SlotRef;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The hand-over record on a pod: {@code gpureservation.io/handover: <reservation>/<slot>} and
 * {@code gpureservation.io/handover-at}. It is a promise of a held slot while the pod starts, read
 * back after a restart; it is never billing evidence (the ledger is).
 */
final class HandOverRecord {
  private HandOverRecord() {}

  static Optional<SlotRef> of(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String record = annotations == null ? null : annotations.get(HANDOVER_ANNOTATION);
    if (record == null) {
      return Optional.empty();
    }
    int slash = record.lastIndexOf('/');
    try {
      return Optional.of(
          new SlotRef(record.substring(0, slash), Integer.parseInt(record.substring(slash + 1))));
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  /** When the pod was handed its slot, or null when unknown. */
  static Instant at(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    try {
      String at = annotations == null ? null : annotations.get(HANDOVER_AT_ANNOTATION);
      return at == null ? null : Instant.parse(at);
    } catch (RuntimeException malformed) {
      return null;
    }
  }
}
