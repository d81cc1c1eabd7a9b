package io.gpureservation.reservation;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.GpuReservation;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/** Reads and waits on one namespace of a mock-server cluster the operator runs against. */
final class MockReservationCluster {
  private final KubernetesClient client;
  private final String namespace;

  MockReservationCluster(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  void create(HasMetadata resource) {
    client.resource(resource).create();
  }

  Pod pod(String name) {
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  CapacityReservation reservation(String name) {
    return client.resources(CapacityReservation.class).inNamespace(namespace).withName(name).get();
  }

  void awaitAnnotation(String podName, String mode) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              Pod p = pod(podName);
              return p != null
                  && p.getMetadata().getAnnotations() != null
                  && mode.equals(
                      p.getMetadata().getAnnotations().get(GpuReservation.BILLING_MODE_ANNOTATION));
            });
  }

  CapacityReservationStatus awaitStatus(String name, Predicate<CapacityReservationStatus> test) {
    return await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              CapacityReservation r = reservation(name);
              return r == null ? null : r.getStatus();
            },
            s -> Objects.nonNull(s) && test.test(s));
  }

  /** The reservation's placeholder pods. */
  java.util.List<Pod> placeholders(String reservation) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("gpureservation.io/placeholder-for", reservation)
        .list()
        .getItems();
  }

  /**
   * What the scheduler would do with a reservation's placeholders (the mock server has none): binds
   * them to a node, once there are some.
   */
  void bindPlaceholders(String reservation) {
    await().atMost(Duration.ofSeconds(15)).until(() -> !placeholders(reservation).isEmpty());
    for (Pod p : placeholders(reservation)) {
      p.getSpec().setNodeName("gpu-node-1");
      client.resource(p).update();
    }
  }
}
