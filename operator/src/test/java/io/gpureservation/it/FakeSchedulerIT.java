package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpureservation.demo.FakeScheduler;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fake scheduler on a real API server: it binds ungated pods (as the real scheduler, through
 * pods/binding) and leaves pods with scheduling gates pending until the gate is removed — the
 * mechanism ResidentPool relies on, which the mock server cannot show.
 */
class FakeSchedulerIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.plain().withFakeScheduler();

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
            .withImage("busybox")
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

  @Test
  void bindsUngatedPodsToANodeLabelledWithTheirSelectorAndMarksThemRunning() {
    create("plain", Map.of(), null);
    create("l20", Map.of("nvidia.com/gpu.product", "NVIDIA-L20"), null);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(get("plain").getSpec().getNodeName()).isEqualTo(FakeScheduler.NODE_NAME);
              assertThat(get("plain").getStatus().getPhase()).isEqualTo("Running");
              assertThat(get("l20").getStatus().getPhase()).isEqualTo("Running");
            });
    String node = get("l20").getSpec().getNodeName();
    assertThat(node)
        .isEqualTo(FakeScheduler.nodeNameFor(Map.of("nvidia.com/gpu.product", "NVIDIA-L20")));
    assertThat(cluster.admin().nodes().withName(node).get().getMetadata().getLabels())
        .containsEntry("nvidia.com/gpu.product", "NVIDIA-L20");
  }

  @Test
  void leavesGatedPodsPendingUntilTheGateIsRemoved() {
    create("gated", Map.of(), "gpureservation.io/resident-pool");
    create("witness", Map.of(), null);
    // Events of one watch arrive in order: once the later pod is bound, the gated one was seen.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("witness").getSpec().getNodeName() != null);
    assertThat(get("gated").getSpec().getNodeName()).isNull();
    assertThat(get("gated").getStatus().getPhase()).isEqualTo("Pending");

    cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .withName("gated")
        .edit(p -> new PodBuilder(p).editSpec().withSchedulingGates().endSpec().build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> FakeScheduler.NODE_NAME.equals(get("gated").getSpec().getNodeName()));
  }
}
