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
}
