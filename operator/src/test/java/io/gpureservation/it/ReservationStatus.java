package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A CapacityReservation's status as the API server stores it, for ITs that wait on it. */
final class ReservationStatus {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private ReservationStatus() {}

  /** The condition of {@code type} in {@code status}; fails when there is none. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> condition(Map<String, Object> status, String type) {
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream()
            .filter(c -> type.equals(c.get("type")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no condition " + type + " in " + status));
  }

  /** The stored status of {@code reservation} in {@code namespace}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(RealCluster cluster, String namespace, String reservation) {
    GenericKubernetesResource live =
        cluster
            .admin()
            .genericKubernetesResources("gpureservation.io/v1alpha1", "CapacityReservation")
            .inNamespace(namespace)
            .withName(reservation)
            .get();
    return (Map<String, Object>) live.getAdditionalProperties().get("status");
  }

  /** Waits until the stored status of {@code reservation} in {@code namespace} passes check. */
  static void await(
      RealCluster cluster,
      String namespace,
      String reservation,
      Consumer<Map<String, Object>> check) {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Object> status = read(cluster, namespace, reservation);
              assertThat(status).as("status of " + reservation).isNotNull();
              check.accept(status);
            });
  }
}
