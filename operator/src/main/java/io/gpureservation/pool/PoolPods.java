package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.FUNCTION_LABEL;
import static io.gpureservation.api.v1alpha1.GpuReservation.INSTANCE_CONCURRENCY;
import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_GATE;
import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_LABEL;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.cluster.Pods;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Reads what the pool rules need from a pod: pool, function, concurrency, demand, state. */
final class PoolPods {
  /** Function name of a pool pod without the function label. */
  static final String DEFAULT_FUNCTION = "default";

  private PoolPods() {}

  static Optional<String> poolOf(Pod pod) {
    return Optional.ofNullable(labels(pod).get(RESIDENT_POOL_LABEL)).filter(s -> !s.isBlank());
  }

  static String functionOf(Pod pod) {
    String f = labels(pod).get(FUNCTION_LABEL);
    return f == null || f.isBlank() ? DEFAULT_FUNCTION : f;
  }

  /** Instance concurrency: annotation, else label, else 1; anything but a positive int is 1. */
  static int concurrencyOf(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(INSTANCE_CONCURRENCY);
    if (value == null) {
      value = labels(pod).get(INSTANCE_CONCURRENCY);
    }
    try {
      return value == null ? 1 : Math.max(1, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  static boolean isTerminal(Pod pod) {
    return Pods.hasEnded(pod);
  }

  static boolean isDeleting(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** Whether the pod still carries the pool's scheduling gate. */
  static boolean isGated(Pod pod) {
    return pod.getSpec() != null
        && pod.getSpec().getSchedulingGates() != null
        && pod.getSpec().getSchedulingGates().stream()
            .anyMatch(g -> RESIDENT_POOL_GATE.equals(g.getName()));
  }

  static Instant createdAt(Pod pod) {
    return Pods.createdAt(pod);
  }

  private static Map<String, String> labels(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }
}
