package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reservation's region on real nodes (docs/capacity-reservation.md "Region"): it holds capacity
 * only on nodes of its region, matches only pods pinned to it, and a region no node has is named in
 * {@code CapacityHeld} until a node of that region registers. The declared nodes are all in
 * cn-hangzhou; each test adds nodes in another region. The operator runs with the chart's RBAC (it
 * needs list/watch on nodes) and webhook.
 */
class RegionIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String REGION = "topology.kubernetes.io/region";

  private ChartOperator operator;
  private String ns;
  private final List<String> nodes = new ArrayList<>();

  @BeforeEach
  void startOperator() {
    operator = ChartOperator.startWithWebhook(cluster);
    ns = cluster.createNamespace(cluster.namespace() + "-work");
  }

  @AfterEach
  void stopOperator() {
    operator.closeAndUnregisterWebhooks(cluster);
    nodes.forEach(cluster::removeNode);
  }

  @Test
  void aRegionalReservationHoldsInItsRegionAndTakesOnlyPodsPinnedThere() {
    addNode("l20-sh-1", "cn-shanghai");
    reservation("shanghai", "cn-shanghai");
    awaitStatus(
        "shanghai",
        s -> {
          assertThat(s.get("held")).isEqualTo(1);
          assertThat(condition(s, "CapacityHeld")).containsEntry("reason", "AllHeld");
        });
    Pod placeholder = pod("shanghai-hold-0");
    assertThat(placeholder.getSpec().getNodeSelector()).containsEntry(REGION, "cn-shanghai");
    assertThat(placeholder.getSpec().getNodeName()).isEqualTo("l20-sh-1");

    gpuPod("hangzhou-job", "cn-hangzhou");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(pod("hangzhou-job").getMetadata().getAnnotations())
                    .containsEntry("gpureservation.io/billing-mode", "pay-as-you-go"));
    assertThat(pod("hangzhou-job").getSpec().getNodeName()).doesNotStartWith("l20-sh");

    gpuPod("shanghai-job", "cn-shanghai");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod job = pod("shanghai-job");
              assertThat(job.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "reserved")
                  .containsEntry("gpureservation.io/reservation", "shanghai/0");
              assertThat(job.getSpec().getNodeName()).isEqualTo("l20-sh-1");
            });
    awaitStatus("shanghai", s -> assertThat(s.get("active")).isEqualTo(1));
  }

  @Test
  void aRegionNoNodeHasIsNamedUntilANodeOfThatRegionComes() {
    reservation("beijing", "cn-beijing");
    awaitStatus(
        "beijing",
        s ->
            assertThat(condition(s, "CapacityHeld"))
                .containsEntry("status", "False")
                .containsEntry("reason", "UnknownRegion")
                .containsEntry(
                    "message",
                    "spec.region cn-beijing: no node has the label"
                        + " topology.kubernetes.io/region=cn-beijing; 0 of 1 idle slot held"));

    addNode("l20-bj-1", "cn-beijing");
    awaitStatus(
        "beijing",
        s -> {
          assertThat(s.get("held")).isEqualTo(1);
          assertThat(condition(s, "CapacityHeld"))
              .containsEntry("status", "True")
              .containsEntry("reason", "AllHeld");
        });
  }

  // --- fixtures ---------------------------------------------------------------------------------

  private void addNode(String name, String region) {
    nodes.add(name);
    cluster.addNode(name, "L20", region + "-a", region, 8, "128", "920Gi");
  }

  private void reservation(String name, String region) {
    Workload.oneL20Slot(cluster, ns, name, "region", region);
  }

  private void gpuPod(String name, String region) {
    Workload.pinnedGpuPod(
        cluster, ns, name, Map.of("nvidia.com/gpu.product", "NVIDIA-L20", REGION, region));
  }

  private Pod pod(String name) {
    return cluster.admin().pods().inNamespace(ns).withName(name).get();
  }

  private static Map<String, Object> condition(Map<String, Object> status, String type) {
    return ReservationStatus.condition(status, type);
  }

  private void awaitStatus(String reservation, Consumer<Map<String, Object>> check) {
    ReservationStatus.await(cluster, ns, reservation, check);
  }
}
