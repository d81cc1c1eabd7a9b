package io.gpureservation.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.HashMap;
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

  /**
   * One slot of 1 L20 card, 16 vCPU, 100Gi, with one more spec field ({@code zone}, {@code
   * region}).
   */
  static GenericKubernetesResource oneL20Slot(
      RealCluster cluster, String namespace, String name, String field, String value) {
    return l20Slots(cluster, namespace, name, 1, field, value);
  }

  /** {@code quantity} slots of 1 L20 card, 16 vCPU, 100Gi, with one more spec field. */
  static GenericKubernetesResource l20Slots(
      RealCluster cluster,
      String namespace,
      String name,
      int quantity,
      String field,
      Object value) {
    return reservation(
        cluster,
        namespace,
        name,
        Map.of(
            "cardType",
            "L20",
            "cards",
            1,
            "quantity",
            quantity,
            "cpu",
            "16",
            "memory",
            "100Gi",
            field,
            value));
  }

  /** A reservation in {@code namespace} with this spec. */
  static GenericKubernetesResource reservation(
      RealCluster cluster, String namespace, String name, Map<String, Object> spec) {
    return reservation(cluster.admin(), namespace, name, spec);
  }

  /**
   * A reservation of one L20 slot in {@code zone}, lending it to pods of namespaces labelled {@code
   * gpu-borrower: "true"} with this grace period (docs/lending.md, "The API").
   */
  static GenericKubernetesResource lendingL20Slot(
      RealCluster cluster, String namespace, String name, String zone, int graceSeconds) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("cardType", "L20");
    spec.put("cards", 1);
    spec.put("quantity", 1);
    spec.put("cpu", "16");
    spec.put("memory", "100Gi");
    spec.put("zone", zone);
    spec.put(
        "lending",
        Map.of(
            "enabled",
            true,
            "namespaceSelector",
            Map.of("matchLabels", Map.of("gpu-borrower", "true")),
            "reclaimGracePeriodSeconds",
            graceSeconds));
    return reservation(cluster, namespace, name, spec);
  }

  /**
   * Deletes a reservation and waits until its finalizer let it go (the operator runs): a lending
   * reservation left behind would lend to the next test's borrowers.
   */
  static void deleteReservation(RealCluster cluster, String namespace, String name) {
    var reservation =
        cluster
            .admin()
            .genericKubernetesResources("gpureservation.io/v1alpha1", "CapacityReservation")
            .inNamespace(namespace)
            .withName(name);
    reservation.delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> reservation.get() == null);
  }

  /** A reservation in {@code namespace} with this spec, created by {@code client}. */
  static GenericKubernetesResource reservation(
      KubernetesClient client, String namespace, String name, Map<String, Object> spec) {
    return client
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
    Pod pod =
        podOf(
            cluster.namespace(),
            name,
            cards,
            Map.of("nvidia.com/gpu.product", "NVIDIA-" + cardType),
            "busybox");
    pod.getMetadata().setLabels(Map.of("gpureservation.io/card-type", cardType));
    return cluster.admin().pods().inNamespace(cluster.namespace()).resource(pod).create();
  }

  /**
   * A one-card GPU pod (8 vCPU, 64Gi, {@code restartPolicy: Never}) in {@code namespace} placed
   * only by {@code nodeSelector} (card type, zone, region), without a card-type label.
   */
  static Pod pinnedGpuPod(
      RealCluster cluster, String namespace, String name, Map<String, String> nodeSelector) {
    Pod pod = podOf(namespace, name, 1, nodeSelector, "registry.example.com/batch:1.0");
    pod.getSpec().setRestartPolicy("Never");
    return cluster.admin().pods().inNamespace(namespace).resource(pod).create();
  }

  private static Pod podOf(
      String namespace, String name, int cards, Map<String, String> nodeSelector, String image) {
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("8"),
            "memory", new Quantity("64Gi"),
            "nvidia.com/gpu", new Quantity(String.valueOf(cards)));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(nodeSelector)
        .addNewContainer()
        .withName("main")
        .withImage(image)
        .withNewResources()
        .withRequests(resources)
        .withLimits(resources)
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  /** A GPU pod of {@code cards} cards, 1 vCPU and 1Gi, with no node selection of its own. */
  static PodBuilder smallGpuPod(String name, int cards) {
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("1"),
            "memory", new Quantity("1Gi"),
            "nvidia.com/gpu", new Quantity(String.valueOf(cards)));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("registry.example.com/inference:1.0")
        .withNewResources()
        .withRequests(resources)
        .withLimits(resources)
        .endResources()
        .endContainer()
        .endSpec();
  }

  /** Creates a pod of ResidentPool {@code pool} taking {@code cards} cards in {@code namespace}. */
  static Pod poolPod(RealCluster cluster, String namespace, String name, String pool, int cards) {
    return cluster
        .admin()
        .pods()
        .inNamespace(namespace)
        .resource(
            smallGpuPod(name, cards)
                .editMetadata()
                .withNamespace(namespace)
                .addToLabels("gpureservation.io/resident-pool", pool)
                .endMetadata()
                .build())
        .create();
  }

  /** The CEL selector of NVIDIA's DRA driver for a whole L20 (its productName has a space). */
  static final String L20_DEVICE =
      "device.attributes[\"gpu.nvidia.com\"].productName == \"NVIDIA L20\"";

  /**
   * A ResourceClaimTemplate in the test namespace: one device of {@code deviceClass} that {@code
   * cel} selects (docs/testing.md "GPUs through DRA").
   */
  static void claimTemplate(RealCluster cluster, String name, String deviceClass, String cel) {
    claimTemplate(cluster, cluster.namespace(), name, deviceClass, cel);
  }

  /** {@link #claimTemplate} in {@code namespace}. */
  static void claimTemplate(
      RealCluster cluster, String namespace, String name, String deviceClass, String cel) {
    claimObject(
        cluster,
        namespace,
        "ResourceClaimTemplate",
        name,
        "spec:\n  " + oneDevice(deviceClass, cel).replace("\n", "\n  "));
  }

  /** Until the capacity-gate webhook gates {@code probe} (a dry-run create). */
  static void awaitWebhookGates(RealCluster cluster, Pod probe, Duration wait) {
    await()
        .atMost(wait)
        .until(
            () ->
                !cluster
                    .admin()
                    .pods()
                    .inNamespace(probe.getMetadata().getNamespace())
                    .resource(probe)
                    .dryRun()
                    .create()
                    .getSpec()
                    .getSchedulingGates()
                    .isEmpty());
  }

  /** A ResourceClaim in the test namespace, as {@link #claimTemplate}, for pods to share. */
  static void claim(RealCluster cluster, String name, String deviceClass, String cel) {
    claimObject(cluster, cluster.namespace(), "ResourceClaim", name, oneDevice(deviceClass, cel));
  }

  private static String oneDevice(String deviceClass, String cel) {
    return """
        devices:
          requests:
          - name: gpu
            exactly:
              deviceClassName: %s
              count: 1
              selectors:
              - cel: {expression: '%s'}"""
        .formatted(deviceClass, cel);
  }

  private static void claimObject(
      RealCluster cluster, String namespace, String kind, String name, String spec) {
    String yaml =
        "apiVersion: resource.k8s.io/v1\nkind: %s\nmetadata: {name: %s}\nspec:\n  %s\n"
            .formatted(kind, name, spec.replace("\n", "\n  "));
    cluster.admin().resource(yaml).inNamespace(namespace).create();
  }
}
