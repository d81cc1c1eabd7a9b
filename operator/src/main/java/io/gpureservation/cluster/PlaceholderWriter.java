package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.matching.SlotShape;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a holder's placeholder plan: deletes first (scale-down, expiry and deletion remove
 * placeholders before anything else), then creates. Creating a placeholder that exists and deleting
 * one that is gone are no-ops, so a plan may be applied twice. Called by the holder's own
 * reconciler only (a reservation's, a pool's): the placeholders are its objects. A pool's
 * placeholders pack onto few nodes ({@link PlaceholderPods#buildPacked}); a reservation's slots are
 * placed by the scheduler as it likes.
 */
public final class PlaceholderWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PlaceholderWriter.class);

  private final KubernetesClient client;
  private final PlaceholderPods pods;
  private final boolean pack;

  private PlaceholderWriter(KubernetesClient client, PlaceholderPods pods, boolean pack) {
    this.client = client;
    this.pods = pods;
    this.pack = pack;
  }

  /** Placeholders of reservation slots: placed by the scheduler. */
  public static PlaceholderWriter spreading(KubernetesClient client, PlaceholderPods pods) {
    return new PlaceholderWriter(client, pods, false);
  }

  /** Placeholders of pool cards: preferring the nodes of the pool's other placeholders. */
  public static PlaceholderWriter packing(KubernetesClient client, PlaceholderPods pods) {
    return new PlaceholderWriter(client, pods, true);
  }

  /**
   * Applies the plan; returns why placeholders could not be created (e.g. the PriorityClass is
   * missing, a quota is exhausted), or null when all went well. Such slots stay unheld and the
   * reservation says why; nothing else fails.
   */
  public String apply(
      HasMetadata holder,
      PlaceholderPlan plan,
      SlotShape shape,
      PlaceholderPods.Placement placement) {
    String namespace = holder.getMetadata().getNamespace();
    String name = holder.getMetadata().getName();
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
      Pod pod =
          pack
              ? pods.buildPacked(holder, create.getKey(), shape, placement, create.getValue())
              : pods.build(holder, create.getKey(), shape, placement, create.getValue());
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
