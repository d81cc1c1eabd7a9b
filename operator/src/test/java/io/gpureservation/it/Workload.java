package io.gpureservation.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Map;

/** Reservations and GPU pods in the current test namespace, as a user would create them. */
final class Workload {
  private Workload() {}

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      reservations(RealCluster cluster) {
    return cluster
        .admin()
        .genericKubernetesResources("gpureservation.io/v1alpha1", "CapacityReservation")
        .inNamespace(cluster.namespace());
  }

  /** A reservation of {@code quantity} slots of {@code cards} cards, 16 vCPU, 128Gi each. */
  static GenericKubernetesResource reservation(
      RealCluster cluster, String name, String cardType, int cards, int quantity) {
    return reservation(
        cluster,
        cluster.namespace(),
        name,
        Map.of(
            "cardType",
            cardType,
            "cards",
            cards,
            "cpu",
            "16",
            "memory",
            "128Gi",
            "quantity",
            quantity));
  }

  /** A reservation in {@code namespace} with this spec. */
  static GenericKubernetesResource reservation(
      RealCluster cluster, String namespace, String name, Map<String, Object> spec) {
    return cluster
        .admin()
        .genericKubernetesResources("gpureservation.io/v1alpha1", "CapacityReservation")
        .inNamespace(namespace)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("gpureservation.io/v1alpha1")
                .withKind("CapacityReservation")
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build())
        .create();
  }

  /**
   * A GPU pod of {@code cards} cards, 8 vCPU, 64Gi, labelled with its card type and pinned to nodes
   * of that card (node label {@code nvidia.com/gpu.product: NVIDIA-<cardType>}, as the test
   * cluster's nodes carry it).
   */
  static Pod gpuPod(RealCluster cluster, String name, String cardType, int cards) {
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("8"),
            "memory", new Quantity("64Gi"),
            "nvidia.com/gpu", new Quantity(String.valueOf(cards)));
    return cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("gpureservation.io/card-type", cardType)
                .endMetadata()
                .withNewSpec()
                .addToNodeSelector("nvidia.com/gpu.product", "NVIDIA-" + cardType)
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .withNewResources()
                .withRequests(resources)
                .withLimits(resources)
                .endResources()
                .endContainer()
                .endSpec()
                .build())
        .create();
  }
}
