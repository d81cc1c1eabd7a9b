package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.matching.SlotShape;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a reservation's placeholder plan: deletes first (scale-down, expiry and deletion remove
 * placeholders before anything else), then creates. Creating a placeholder that exists and deleting
 * one that is gone are no-ops, so a plan may be applied twice. Called by the reservation reconciler
 * only: the reservation's placeholders are its own objects.
 */
final class PlaceholderWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PlaceholderWriter.class);

  private final KubernetesClient client;
  private final PlaceholderPods pods;

  PlaceholderWriter(KubernetesClient client, PlaceholderPods pods) {
    this.client = client;
    this.pods = pods;
  }

  /**
   * Applies the plan; returns why placeholders could not be created (e.g. the PriorityClass is
   * missing, a quota is exhausted), or null when all went well. Such slots stay unheld and the
   * reservation says why; nothing else fails.
   */
  String apply(
      CapacityReservation reservation,
      PlaceholderPlan plan,
      SlotShape shape,
      PlaceholderPods.Placement placement) {
    String namespace = reservation.getMetadata().getNamespace();
    String name = reservation.getMetadata().getName();
    for (int slot : plan.delete()) {
      client
          .pods()
          .inNamespace(namespace)
          .withName(PlaceholderPods.name(name, slot))
          .withGracePeriod(0)
          .delete();
    }
    String problem = null;
    for (Map.Entry<Integer, String> create : plan.create().entrySet()) {
      Pod pod = pods.build(reservation, create.getKey(), shape, placement, create.getValue());
      try {
        client.pods().inNamespace(namespace).resource(pod).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          LOG.debug("placeholder {} exists already", pod.getMetadata().getName());
        } else if (e.getCode() >= 400 && e.getCode() < 500) {
          problem = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
          LOG.warn("placeholder {} refused: {}", pod.getMetadata().getName(), problem);
        } else {
          throw e;
        }
      }
    }
    return problem;
  }
}
