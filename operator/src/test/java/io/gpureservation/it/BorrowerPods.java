package io.gpureservation.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/**
 * What the lending ITs share (docs/lending.md): borrowers' namespaces and pods, the Events they
 * get, and the wait for the webhook's first answers.
 */
final class BorrowerPods {
  private BorrowerPods() {}

  /** Labels the namespace (e.g. {@code gpu-borrower: "true"}, so that a lender lends to it). */
  static void label(RealCluster cluster, String namespace, String key, String value) {
    cluster.admin().namespaces().withName(namespace).edit(n -> withLabel(n, key, value));
  }

  private static Namespace withLabel(Namespace n, String key, String value) {
    if (n.getMetadata().getLabels() == null) {
      n.getMetadata().setLabels(new HashMap<>());
    }
    n.getMetadata().getLabels().put(key, value);
    return n;
  }

  /** The reasons of the Events in the namespace. */
  static List<String> reasons(RealCluster cluster, String namespace) {
    return cluster.admin().v1().events().inNamespace(namespace).list().getItems().stream()
        .map(Event::getReason)
        .toList();
  }

  /**
   * The webhook's answers count from the first pod on (HandOverContentionIT.awaitWebhookGates): a
   * dry run of the probe goes through the mutating webhooks until one gates it.
   */
  static void awaitWebhookGates(RealCluster cluster, Pod probe, Duration wait) {
    await()
        .atMost(wait)
        .until(
            () -> {
              Pod answered =
                  cluster
                      .admin()
                      .pods()
                      .inNamespace(probe.getMetadata().getNamespace())
                      .resource(probe)
                      .dryRun()
                      .create();
              return answered.getSpec().getSchedulingGates() != null
                  && !answered.getSpec().getSchedulingGates().isEmpty();
            });
  }

  /** A one-card L20 pod (Workload.smallGpuPod) of the namespace, asking to borrow or not. */
  static PodBuilder l20Pod(String namespace, String name, boolean borrows) {
    PodBuilder pod =
        Workload.smallGpuPod(name, 1)
            .editMetadata()
            .withNamespace(namespace)
            .endMetadata()
            .editSpec()
            .addToNodeSelector("nvidia.com/gpu.product", "NVIDIA-L20")
            .endSpec();
    if (borrows) {
      pod.editMetadata().addToLabels("gpureservation.io/borrow", "true").endMetadata();
    }
    return pod;
  }
}
