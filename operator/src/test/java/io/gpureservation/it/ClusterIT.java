package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The project's test cluster itself (docs/testing.md "The test cluster"): the declared KWOK GPU
 * nodes are Ready with their card type, zone and GPU capacity; kube-scheduler places pods by those
 * labels and leaves gated pods alone; nodes come and go at a test's request.
 */
class ClusterIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.plain();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void declaredGpuNodesAreReadyWithCardTypeZoneRegionAndGpuCapacity() throws IOException {
    for (ClusterNodesTest.Node declared : ClusterNodesTest.declaredNodes()) {
      Node node = cluster.admin().nodes().withName(declared.name()).get();
      assertThat(node).as(declared.name()).isNotNull();
      assertThat(node.getMetadata().getLabels())
          .containsEntry("nvidia.com/gpu.product", declared.product())
          .containsEntry("topology.kubernetes.io/zone", declared.zone())
          .containsEntry("topology.kubernetes.io/region", declared.region());
      assertThat(node.getStatus().getAllocatable())
          .containsEntry("nvidia.com/gpu", new Quantity(String.valueOf(declared.gpus())));
      assertThat(node.getStatus().getConditions())
          .anySatisfy(
              c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
              });
    }
  }

  @Test
  void schedulerPlacesPodsByCardTypeAndZone() {
    create(
        "l20-b",
        Map.of("nvidia.com/gpu.product", "NVIDIA-L20", "topology.kubernetes.io/zone", "zone-b"),
        null);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get("l20-b").getStatus().getPhase()).isEqualTo("Running"));
    Node node = cluster.admin().nodes().withName(get("l20-b").getSpec().getNodeName()).get();
    assertThat(node.getMetadata().getLabels())
        .containsEntry("nvidia.com/gpu.product", "NVIDIA-L20")
        .containsEntry("topology.kubernetes.io/zone", "zone-b");
  }

  @Test
  void gatedPodStaysUnscheduledUntilTheGateIsLifted() {
    create("gated", Map.of(), "gpureservation.io/resident-pool");
    create("witness", Map.of(), null);
    // Events of one watch arrive in order: once the later pod is bound, the gated one was seen.
    await().atMost(WAIT).until(() -> get("witness").getSpec().getNodeName() != null);
    assertThat(get("gated").getSpec().getNodeName()).isNull();
    assertThat(get("gated").getStatus().getPhase()).isEqualTo("Pending");

    cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .withName("gated")
        .edit(p -> new PodBuilder(p).editSpec().withSchedulingGates().endSpec().build());
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get("gated").getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  void addedNodeRunsPodsAndRemovedNodeTakesItsPodsAlong() {
    cluster.addNode("l20-extra", "L20", "zone-c", 8, "128", "920Gi");
    create("on-extra", Map.of("topology.kubernetes.io/zone", "zone-c"), null);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(get("on-extra").getSpec().getNodeName()).isEqualTo("l20-extra");
              assertThat(get("on-extra").getStatus().getPhase()).isEqualTo("Running");
            });

    cluster.removeNode("l20-extra");
    // The pod garbage collector deletes pods bound to a node that no longer exists.
    await().atMost(Duration.ofSeconds(180)).until(() -> get("on-extra") == null);
  }

  private Pod create(String name, Map<String, String> nodeSelector, String gate) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNodeSelector(nodeSelector)
            .addNewContainer()
            .withName("main")
            .withImage("registry.example.com/app:1.0")
            .withNewResources()
            .addToLimits("nvidia.com/gpu", new Quantity("1"))
            .endResources()
            .endContainer()
            .endSpec();
    if (gate != null) {
      pod.editSpec().addNewSchedulingGate(gate).endSpec();
    }
    return cluster.admin().pods().inNamespace(cluster.namespace()).resource(pod.build()).create();
  }

  private Pod get(String name) {
    return cluster.admin().pods().inNamespace(cluster.namespace()).withName(name).get();
  }
}
