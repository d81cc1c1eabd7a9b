package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.FUNCTION_LABEL;
import static io.gpureservation.api.v1alpha1.GpuReservation.INSTANCE_CONCURRENCY;
import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_GATE;
import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_LABEL;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolSpec;
import io.gpureservation.api.v1alpha1.ResidentPoolSubscription;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.cluster.PlaceholderWriter;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.pool.BillingPoolPricing;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Fixture builders for pools and pool pods (also used by the real-API-server tests). */
public final class Pools {
  public static final String NS = "team-a";

  private Pools() {}

  /** A Hangzhou Ada pool of {@code cards} cards with {@code diskGB} per card, 1-month term. */
  public static ResidentPool pool(String name, int cards, int diskGB) {
    ResidentPoolSubscription sub = new ResidentPoolSubscription();
    sub.setTermMonths(1);
    sub.setAutoRenew(false);
    sub.setRenewals(0L);
    ResidentPoolSpec spec = new ResidentPoolSpec();
    spec.setRegion("cn-hangzhou");
    spec.setCardType("Ada");
    spec.setCards(cards);
    spec.setDiskPerCardGB(diskGB);
    spec.setSubscription(sub);
    ResidentPool pool = new ResidentPool();
    pool.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .withUid(UUID.randomUUID().toString())
            .withGeneration(1L)
            .build());
    pool.setSpec(spec);
    return pool;
  }

  /** A gated pod of a pool function taking {@code gpus} cards and {@code disk} of storage. */
  public static PodBuilder pod(String name, String pool, String function, int gpus, String disk) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .withUid(UUID.randomUUID().toString())
        .addToLabels(RESIDENT_POOL_LABEL, pool)
        .addToLabels(FUNCTION_LABEL, function)
        .endMetadata()
        .withNewSpec()
        .addNewSchedulingGate(RESIDENT_POOL_GATE)
        .addNewContainer()
        .withName("main")
        .withImage("inference:1")
        .withNewResources()
        .withRequests(
            Map.of(
                "nvidia.com/gpu", new Quantity(String.valueOf(gpus)),
                "ephemeral-storage", new Quantity(disk)))
        .withLimits(Map.of("nvidia.com/gpu", new Quantity(String.valueOf(gpus))))
        .endResources()
        .endContainer()
        .endSpec();
  }

  /** A planner with the default catalog and the default GPU resource and card-type label. */
  static PoolPlanner planner() {
    Catalog catalog = Catalog.defaults();
    return new PoolPlanner(
        new BillingPoolPricing(catalog),
        new PoolPodReader(catalog, List.of("nvidia.com/gpu"), "nvidia.com/gpu.product"),
        java.time.Duration.ofSeconds(120),
        PlaceholderPods.of(OperatorConfig.defaults()),
        OperatorConfig.defaults().holding().priority());
  }

  /** Pool placeholders as the operator makes them by default. */
  static PlaceholderWriter placeholderWriter(KubernetesClient client) {
    return PlaceholderWriter.packing(
        client, PlaceholderPods.of(OperatorConfig.defaults()), java.time.Clock.systemUTC());
  }

  /** The value of annotation {@code key} on the pod, or null. */
  public static String annotation(Pod pod, String key) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  static Pod created(PodBuilder pod, Instant at) {
    return pod.editMetadata().withCreationTimestamp(at.toString()).endMetadata().build();
  }

  static PodBuilder concurrency(PodBuilder pod, int concurrency) {
    return pod.editMetadata()
        .addToAnnotations(INSTANCE_CONCURRENCY, String.valueOf(concurrency))
        .endMetadata();
  }

  /** A placeholder of {@code pool} as the operator makes it, bound to {@code node} or pending. */
  static Pod placeholder(ResidentPool pool, int slot, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(PlaceholderPods.name(pool.getMetadata().getName(), slot))
        .withNamespace(pool.getMetadata().getNamespace())
        .addToOwnerReferences(
            new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                .withApiVersion("gpureservation.io/v1alpha1")
                .withKind("ResidentPool")
                .withName(pool.getMetadata().getName())
                .withUid(pool.getMetadata().getUid())
                .withController(true)
                .build())
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withPriorityClassName(OperatorConfig.defaults().holding().priorityClass())
        .addNewContainer()
        .withName("hold")
        .withImage(OperatorConfig.defaults().holding().image())
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * A one-card pod of {@code namespace} that asks to borrow, behind the pool loan gate the webhook
   * gives it (docs/lending.md, "Resident pools").
   */
  static PodBuilder borrower(String namespace, String name) {
    Map<String, Quantity> one = Map.of("nvidia.com/gpu", new Quantity("1"));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("gpureservation.io/borrow", "true")
        .endMetadata()
        .withNewSpec()
        .addNewSchedulingGate(io.gpureservation.api.v1alpha1.GpuReservation.POOL_LOAN_GATE)
        .addNewContainer()
        .withName("main")
        .withImage("batch:1")
        .withNewResources()
        .withRequests(one)
        .withLimits(one)
        .endResources()
        .endContainer()
        .endSpec();
  }
}
