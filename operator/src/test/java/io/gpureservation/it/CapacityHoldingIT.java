package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Capacity really held (docs/capacity-holding.md), on the project's cluster with KWOK GPU nodes:
 * placeholders hold idle slots on nodes, the reservation says how many are held, a matching pod is
 * handed a held slot's node through the capacity gate, and the slot is held again on that node when
 * the pod ends. The operator runs with the chart's RBAC and webhook configuration; workloads live
 * in a namespace of their own (the chart never gates pods in the operator's namespace). Each test
 * adds GPU nodes in a zone of its own, so the held capacity is exactly what the test sees.
 */
class CapacityHoldingIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String L20 = "NVIDIA-L20";

  private ChartOperator operator;
  private String ns;
  private String zone;
  private int nodes;

  @BeforeEach
  void startOperator() {
    operator = ChartOperator.startWithWebhook(cluster);
    ns = cluster.createNamespace(cluster.namespace() + "-work");
    zone = "zone-" + cluster.namespace().substring(3);
  }

  @AfterEach
  void stopOperator() {
    operator.closeAndUnregisterWebhooks(cluster);
    for (int i = 1; i <= nodes; i++) {
      cluster.removeNode(node(i));
    }
  }

  @Test
  void slotsNoNodeCanTakeAreUnheldAndCostNothingUntilANodeComes() {
    addNode(); // 8 L20 cards: two slots of 4 fit
    reservation("four-card", 4, 3);
    awaitStatus(
        "four-card",
        s -> {
          assertThat(s.get("held")).isEqualTo(2);
          assertThat(condition(s, "CapacityHeld"))
              .containsEntry("status", "False")
              .containsEntry("reason", "InsufficientCapacity")
              .containsEntry(
                  "message",
                  "2 of 3 idle slots held; no node with 4 × L20, 64 vCPU, 460Gi free in zone "
                      + zone);
        });
    assertThat(placeholders("four-card"))
        .filteredOn(p -> p.getSpec().getNodeName() == null)
        .hasSize(1);

    addNode();
    awaitStatus(
        "four-card",
        s -> {
          assertThat(s.get("held")).isEqualTo(3);
          assertThat(condition(s, "CapacityHeld"))
              .containsEntry("status", "True")
              .containsEntry("reason", "AllHeld");
        });
  }

  @Test
  void aMatchingPodIsHandedAHeldSlotsNodeAndTheSlotIsHeldThereAgainWhenItEnds() {
    addNode();
    // Every L20 card of the zone held: 8 slots of 1 card, 16 vCPU, 100Gi fill a 128 vCPU, 920Gi
    // node.
    reservation("serving", 1, 8, "16", "100Gi");
    awaitStatus("serving", s -> assertThat(s.get("held")).isEqualTo(8));

    Pod outsider = gpuPod("two-cards", 2, "Never");
    Pod matching = gpuPod("infer", 1, "Never");
    assertThat(outsider.getSpec().getSchedulingGates())
        .extracting("name")
        .contains("gpureservation.io/capacity");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod infer = pod("infer");
              assertThat(infer.getSpec().getSchedulingGates()).isEmpty();
              assertThat(infer.getSpec().getNodeName()).isEqualTo(node(1));
              assertThat(infer.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "reserved");
            });
    String slot = pod("infer").getMetadata().getAnnotations().get("gpureservation.io/reservation");
    assertThat(
            cluster
                .admin()
                .pods()
                .inNamespace(ns)
                .withName("serving-hold-" + slot.split("/")[1])
                .get())
        .isNull();
    awaitStatus(
        "serving",
        s -> {
          assertThat(s.get("active")).isEqualTo(1);
          assertThat(s.get("idle")).isEqualTo(7);
          assertThat(s.get("held")).isEqualTo(7);
        });
    // No held slot fits a two-card pod, and every card of the zone is held: it waits, ungated.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod waiting = pod("two-cards");
              assertThat(waiting.getSpec().getSchedulingGates()).isEmpty();
              assertThat(waiting.getSpec().getNodeName()).isNull();
            });

    cluster.admin().pods().inNamespace(ns).withName("infer").delete();
    awaitStatus("serving", s -> assertThat(s.get("held")).isEqualTo(8));
    assertThat(placeholders("serving"))
        .hasSize(8)
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(node(1)));
  }

  @Test
  void aUserPodWearingPlaceholderLabelsIsBilledLikeAnyGpuPod() {
    addNode();
    reservation("serving", 1, 1);
    awaitStatus("serving", s -> assertThat(s.get("held")).isEqualTo(1));
    cluster
        .admin()
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder(podSpec("serving-hold-0-impostor", 1, "Always"))
                .editMetadata()
                .addToLabels("gpureservation.io/placeholder-for", "serving")
                .addToLabels("gpureservation.io/slot", "0")
                .endMetadata()
                .build())
        .create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(pod("serving-hold-0-impostor").getMetadata().getAnnotations())
                    .containsEntry("gpureservation.io/billing-mode", "reserved")
                    .containsEntry("gpureservation.io/reservation", "serving/0"));
  }

  @Test
  void withTheWebhookUnreachableGpuPodsAreStillCreatedAndRun() {
    addNode();
    reservation("serving", 1, 1);
    awaitStatus("serving", s -> assertThat(s.get("held")).isEqualTo(1));
    // The webhook configuration now points at a port nothing listens on.
    for (MutatingWebhookConfiguration mwc :
        cluster
            .admin()
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .list()
            .getItems()) {
      mwc.getMetadata().setResourceVersion(null);
      mwc.getWebhooks().forEach(w -> w.getClientConfig().setUrl("https://127.0.0.1:1/mutate-pods"));
      cluster.admin().resource(mwc).update();
    }
    Pod created = gpuPod("unhooked", 1, "Always");
    assertThat(created.getSpec().getSchedulingGates()).isEmpty();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod live = pod("unhooked");
              assertThat(live.getStatus().getPhase()).isEqualTo("Running");
              assertThat(live.getMetadata().getAnnotations())
                  .containsKey("gpureservation.io/billing-mode");
            });
  }

  // --- fixtures ---------------------------------------------------------------------------------

  private String node(int i) {
    return "l20-" + zone + "-" + i;
  }

  private void addNode() {
    nodes++;
    cluster.addNode(node(nodes), "L20", zone, 8, "128", "920Gi");
  }

  private void reservation(String name, int cards, int quantity) {
    reservation(name, cards, quantity, null, null);
  }

  private void reservation(String name, int cards, int quantity, String cpu, String memory) {
    Map<String, Object> spec =
        new java.util.HashMap<>(
            Map.of("cardType", "L20", "cards", cards, "quantity", quantity, "zone", zone));
    if (cpu != null) {
      spec.put("cpu", cpu);
      spec.put("memory", memory);
    }
    Workload.reservation(cluster, ns, name, spec);
  }

  private Pod podSpec(String name, int cards, String restartPolicy) {
    Map<String, Quantity> resources =
        Map.of(
            "cpu", new Quantity("8"),
            "memory", new Quantity("64Gi"),
            "nvidia.com/gpu", new Quantity(String.valueOf(cards)));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy(restartPolicy)
        .addToNodeSelector("nvidia.com/gpu.product", L20)
        .addToNodeSelector("topology.kubernetes.io/zone", zone)
        .addNewContainer()
        .withName("main")
        .withImage("registry.example.com/inference:1.0")
        .withNewResources()
        .withRequests(resources)
        .withLimits(resources)
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private Pod gpuPod(String name, int cards, String restartPolicy) {
    return cluster
        .admin()
        .pods()
        .inNamespace(ns)
        .resource(podSpec(name, cards, restartPolicy))
        .create();
  }

  private Pod pod(String name) {
    return cluster.admin().pods().inNamespace(ns).withName(name).get();
  }

  private List<Pod> placeholders(String reservation) {
    return cluster
        .admin()
        .pods()
        .inNamespace(ns)
        .withLabel("gpureservation.io/placeholder-for", reservation)
        .list()
        .getItems();
  }

  private static Map<String, Object> condition(Map<String, Object> status, String type) {
    return ReservationStatus.condition(status, type);
  }

  private void awaitStatus(String reservation, Consumer<Map<String, Object>> check) {
    ReservationStatus.await(cluster, ns, reservation, check);
  }
}
