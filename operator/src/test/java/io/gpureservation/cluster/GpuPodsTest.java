package io.gpureservation.cluster;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.PodDef;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a Kubernetes pod becomes what the matcher sees; odd pods never throw. */
class GpuPodsTest {
  private final GpuPods gpuPods = new GpuPods(OperatorConfig.defaults(), Catalog.defaults());

  private Pod withUid(Pod pod) {
    pod.getMetadata().setUid("uid-" + pod.getMetadata().getName());
    pod.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    return pod;
  }

  @Test
  void nodeLabelSpellingMapsToTheCatalogCardType() {
    PodDef def =
        gpuPods.toPodDef(withUid(gpuPod("ns", "p").size(2, "8", "16Gi").build())).orElseThrow();

    assertThat(def.size().cardType()).isEqualTo("L20");
    assertThat(def.size().cards()).isEqualTo(2);
    assertThat(def.size().cpuMillis()).isEqualTo(8000);
    assertThat(def.lifecycle()).isEqualTo(PodDef.Lifecycle.STARTED);
  }

  @Test
  void cardTypeLabelWinsOverTheNodeSelector() {
    PodDef def =
        gpuPods.toPodDef(withUid(gpuPod("ns", "p").cardLabel("A10").build())).orElseThrow();

    assertThat(def.size().cardType()).isEqualTo("A10");
  }

  // docs/capacity-reservation.md "The node decides the card".
  @Test
  void aBoundPodsCardTypeIsItsNodes_whateverItDeclares() {
    GpuPods withNodes =
        new GpuPods(
            OperatorConfig.defaults(),
            Catalog.defaults(),
            node ->
                switch (node) {
                  case "a10-node" -> java.util.Optional.of("NVIDIA-A10");
                  case "l20-node" -> java.util.Optional.of("GN8IS");
                  default -> java.util.Optional.empty();
                });
    Pod declaresL20OnA10 = withUid(gpuPod("ns", "p").cardLabel("L20").build());
    declaresL20OnA10.getSpec().setNodeName("a10-node");
    Pod agrees = withUid(gpuPod("ns", "q").cardLabel("L20").build());
    agrees.getSpec().setNodeName("l20-node");
    Pod unknownNode = withUid(gpuPod("ns", "r").cardLabel("L20").build());
    unknownNode.getSpec().setNodeName("new-node");
    Pod unbound = withUid(gpuPod("ns", "s").cardLabel("L20").unscheduled().build());

    PodDef overruled = withNodes.toPodDef(declaresL20OnA10).orElseThrow();
    assertThat(overruled.size().cardType()).isEqualTo("A10");
    assertThat(overruled.ignoredCardType()).isEqualTo("L20");
    assertThat(withNodes.toPodDef(agrees).orElseThrow().ignoredCardType()).isNull();
    assertThat(withNodes.toPodDef(agrees).orElseThrow().size().cardType()).isEqualTo("L20");
    assertThat(withNodes.toPodDef(unknownNode).orElseThrow().size().cardType()).isEqualTo("L20");
    assertThat(withNodes.toPodDef(unbound).orElseThrow().size().cardType()).isEqualTo("L20");
    assertThat(withNodes.toPodDef(unbound).orElseThrow().ignoredCardType()).isNull();
  }

  @Test
  void zoneComesFromARequiredAffinityThatPinsOneZone() {
    Pod pod = withUid(gpuPod("ns", "p").build());
    pod.getSpec().setAffinity(ClusterFixtures.requiredZoneAffinity("zone-b"));

    assertThat(gpuPods.toPodDef(pod).orElseThrow().zone()).isEqualTo("zone-b");
  }

  @Test
  void regionComesFromTheNodeSelectorOrARequiredAffinity() {
    Pod bySelector = withUid(gpuPod("ns", "a").build());
    bySelector.getSpec().getNodeSelector().put(GpuPods.REGION_LABEL, "cn-shanghai");
    Pod byAffinity = withUid(gpuPod("ns", "b").build());
    byAffinity
        .getSpec()
        .setAffinity(ClusterFixtures.requiredAffinity(GpuPods.REGION_LABEL, "cn-hangzhou"));
    Pod zoneOnly = withUid(gpuPod("ns", "c").build());
    zoneOnly.getSpec().setAffinity(ClusterFixtures.requiredZoneAffinity("cn-shanghai-a"));

    assertThat(gpuPods.toPodDef(bySelector).orElseThrow().region()).isEqualTo("cn-shanghai");
    assertThat(gpuPods.toPodDef(byAffinity).orElseThrow().region()).isEqualTo("cn-hangzhou");
    assertThat(gpuPods.toPodDef(zoneOnly).orElseThrow().region()).isNull();
  }

  @Test
  void startedAtIsWhenThePodWasScheduled() {
    Pod pod = withUid(gpuPod("ns", "p").build());
    PodCondition scheduled = new PodCondition();
    scheduled.setType("PodScheduled");
    scheduled.setStatus("True");
    scheduled.setLastTransitionTime("2026-01-01T00:05:00Z");
    pod.getStatus().setConditions(List.of(scheduled));

    assertThat(gpuPods.toPodDef(pod).orElseThrow().startedAt())
        .isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
  }

  @Test
  void unscheduledPodIsPending_andEndedPodIsEnded() {
    assertThat(GpuPods.lifecycle(gpuPod("ns", "p").unscheduled().build()))
        .isEqualTo(PodDef.Lifecycle.PENDING);
    Pod done = gpuPod("ns", "q").build();
    done.getStatus().setPhase("Failed");
    assertThat(GpuPods.lifecycle(done)).isEqualTo(PodDef.Lifecycle.ENDED);
  }

  @Test
  void malformedQuantityIsNeitherAGpuPodNorACrash() {
    Pod pod = withUid(gpuPod("ns", "p").build());
    pod.getSpec()
        .getContainers()
        .get(0)
        .getResources()
        .getLimits()
        .put("nvidia.com/gpu", new Quantity("lots"));

    assertThat(gpuPods.isGpuPod(pod)).isFalse();
    assertThat(gpuPods.toPodDef(pod)).isEmpty();
  }

  // docs/lending.md, "Resident pools": a pool's borrower is the pool's while it waits behind the
  // pool loan gate or while the pool's stored loan lines hold its uid; the annotation alone, which
  // a tenant can write, proves nothing.
  @Test
  void aPoolsBorrowerIsThePoolsOnlyBehindTheGateOrWithAStoredLoanLine() {
    io.gpureservation.api.v1alpha1.ResidentPool pool =
        new io.gpureservation.api.v1alpha1.ResidentPool();
    pool.getMetadata().setName("inference");
    pool.getMetadata().setNamespace("team-a");
    pool.setStatus(new io.gpureservation.api.v1alpha1.ResidentPoolStatus());
    GpuPods.PoolLookup pools =
        (ns, name) ->
            "team-a".equals(ns) && "inference".equals(name)
                ? java.util.Optional.of(pool)
                : java.util.Optional.empty();
    Pod forged =
        withUid(
            gpuPod("team-batch", "batch")
                .annotation("gpureservation.io/lending-pool", "team-a/inference")
                .annotation("gpureservation.io/billing-mode", "borrowed")
                .build());
    assertThat(GpuPods.belongsToAPool(forged, pools)).as("annotation alone").isFalse();

    io.gpureservation.api.v1alpha1.PoolLoan line = new io.gpureservation.api.v1alpha1.PoolLoan();
    line.setPodUid(forged.getMetadata().getUid());
    pool.getStatus().setLoans(java.util.List.of(line));
    assertThat(GpuPods.belongsToAPool(forged, pools)).as("stored loan line").isTrue();
    forged.getMetadata().getAnnotations().put("gpureservation.io/lending-pool", "team-a/another");
    assertThat(GpuPods.belongsToAPool(forged, pools)).as("another pool named").isFalse();

    Pod gated = withUid(gpuPod("team-batch", "waiting").build());
    gated
        .getSpec()
        .setSchedulingGates(
            java.util.List.of(
                new io.fabric8.kubernetes.api.model.PodSchedulingGate(
                    io.gpureservation.api.v1alpha1.GpuReservation.POOL_LOAN_GATE)));
    assertThat(GpuPods.belongsToAPool(gated, pools)).as("behind the pool loan gate").isTrue();
  }
}
