package io.gpureservation.cluster;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.core.catalog.Catalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pod cache keeps pruned pods: the matcher must read the same thing from a pruned pod as from
 * the original (docs/performance.md, "Memory").
 */
class PrunedPodsTest {
  private final GpuPods gpuPods = new GpuPods(OperatorConfig.defaults(), Catalog.defaults());
  private final PrunedPods pruner =
      new PrunedPods(gpuPods, List.of(GpuReservation.BILLING_MODE_ANNOTATION));

  private static Pod withIdentity(Pod pod) {
    pod.getMetadata().setUid("uid-" + pod.getMetadata().getName());
    pod.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    return pod;
  }

  private void assertSameForTheMatcher(Pod pod) {
    Pod pruned = pruner.apply(pod);
    assertThat(gpuPods.isGpuPod(pruned)).isEqualTo(gpuPods.isGpuPod(pod));
    assertThat(gpuPods.toPodDef(pruned)).isEqualTo(gpuPods.toPodDef(pod));
    GpuPods.PoolLookup anyPool =
        (ns, name) -> {
          ResidentPool pool = new ResidentPool();
          pool.getMetadata().setName(name);
          pool.getMetadata().setUid("uid-pool");
          return Optional.of(pool);
        };
    assertThat(GpuPods.belongsToAPool(pruned, anyPool))
        .isEqualTo(GpuPods.belongsToAPool(pod, anyPool));
  }

  @Test
  void plainGpuPodReadsTheSame() {
    assertSameForTheMatcher(withIdentity(gpuPod("ns", "p").label("team", "ml").build()));
  }

  @Test
  void initContainersSidecarsAndOverheadFoldIntoTheSameEffectiveRequest() {
    Pod pod = withIdentity(gpuPod("ns", "p").size(1, "2", "8Gi").build());
    PodSpec spec = pod.getSpec();
    spec.setInitContainers(
        List.of(
            new ContainerBuilder()
                .withName("warmup")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("12"), "memory", new Quantity("1Gi")))
                .endResources()
                .build(),
            new ContainerBuilder()
                .withName("proxy")
                .withRestartPolicy("Always")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("500m")))
                .endResources()
                .build()));
    spec.setOverhead(Map.of("memory", new Quantity("256Mi")));

    assertSameForTheMatcher(pod);
  }

  @Test
  void podLevelResourcesFoldIntoTheSameEffectiveRequest() {
    Pod pod = withIdentity(gpuPod("ns", "p").size(1, "2", "8Gi").build());
    pod.getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("16"), "memory", new Quantity("128Gi")))
                .build());

    assertSameForTheMatcher(pod);
    assertThat(gpuPods.toPodDef(pruner.apply(pod)).orElseThrow().size().cpuMillis())
        .isEqualTo(16000);
  }

  @Test
  void zoneAffinityBecomesTheSameZone_andTheBindTimeIsKept() {
    Pod pod = withIdentity(gpuPod("ns", "p").build());
    pod.getSpec().setAffinity(ClusterFixtures.requiredZoneAffinity("zone-b"));
    PodCondition scheduled =
        new PodConditionBuilder()
            .withType("PodScheduled")
            .withStatus("True")
            .withLastTransitionTime("2026-01-01T00:05:00Z")
            .build();
    pod.getStatus().setConditions(List.of(scheduled));

    assertSameForTheMatcher(pod);
  }

  @Test
  void regionPinsBySelectorOrAffinityReadTheSame() {
    Pod bySelector = withIdentity(gpuPod("ns", "s").build());
    bySelector.getSpec().getNodeSelector().put(GpuPods.REGION_LABEL, "cn-shanghai");
    Pod byAffinity = withIdentity(gpuPod("ns", "a").build());
    byAffinity
        .getSpec()
        .setAffinity(ClusterFixtures.requiredAffinity(GpuPods.REGION_LABEL, "cn-shanghai"));

    assertSameForTheMatcher(bySelector);
    assertSameForTheMatcher(byAffinity);
  }

  @Test
  void bestEffortCardLabelledAndResidentPoolPodsReadTheSame() {
    Pod bestEffort = withIdentity(gpuPod("ns", "be").build());
    bestEffort.getSpec().getContainers().get(0).getResources().setRequests(Map.of());
    assertSameForTheMatcher(bestEffort);
    assertSameForTheMatcher(withIdentity(gpuPod("ns", "a10").cardLabel("A10").build()));
    assertSameForTheMatcher(
        withIdentity(
            gpuPod("ns", "pool").label(GpuReservation.RESIDENT_POOL_LABEL, "inference").build()));
  }

  @Test
  void onlyTheOperatorsAnnotationsAreKept_andANonGpuPodKeepsOnlyItsName() {
    Pod pod =
        withIdentity(
            gpuPod("ns", "p")
                .annotation(GpuReservation.BILLING_MODE_ANNOTATION, "reserved")
                .annotation("kubectl.kubernetes.io/last-applied-configuration", "{...}")
                .build());
    pod.getMetadata().setManagedFields(List.of(new ManagedFieldsEntry()));

    Pod pruned = pruner.apply(pod);

    assertThat(pruned.getMetadata().getAnnotations())
        .containsOnlyKeys(GpuReservation.BILLING_MODE_ANNOTATION);
    assertThat(pruned.getMetadata().getManagedFields()).isNullOrEmpty();
    Pod web = withIdentity(gpuPod("ns", "web").size(0, "1", "1Gi").build());
    assertThat(Serialization.asJson(pruner.apply(web)))
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\",\"uid\":\"uid-web\"}}");
  }

  @Test
  void aPodNamingAPoolIsKeptWithItsGates_evenWithoutAGpu() {
    Pod pod =
        withIdentity(
            gpuPod("ns", "fn")
                .size(0, "1", "1Gi")
                .label(GpuReservation.RESIDENT_POOL_LABEL, "missing")
                .build());
    pod.getSpec()
        .setSchedulingGates(
            List.of(
                new io.fabric8.kubernetes.api.model.PodSchedulingGate("other.io/gate"),
                new io.fabric8.kubernetes.api.model.PodSchedulingGate(
                    GpuReservation.RESIDENT_POOL_GATE)));

    Pod pruned = pruner.apply(pod);

    assertThat(GpuPods.namesAPool(pruned)).isTrue();
    assertThat(pruned.getSpec().getSchedulingGates()).isEqualTo(pod.getSpec().getSchedulingGates());
    assertThat(pruned.getMetadata().getAnnotations()).isEmpty();
  }
}
