package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.SlotHolding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hand-over survives SIGKILL (docs/capacity-holding.md "Hand-over"): the operator, with its
 * capacity gate webhook, runs as its own process and is killed with kill -9 at 20 random points of
 * a loop that creates and deletes matching pods. Afterwards no pod is still gated, no slot is held
 * both by a placeholder and by a pod, no slot is lost (every slot is deducted, or idle with one
 * placeholder), and every pod's annotations agree with the ledger.
 */
class HandOverCrashIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final int SLOTS = 4;
  private static final int KILLS = 20;

  private final Random random = new Random(20261124L);
  private KillableOperator operator;

  @AfterEach
  void stopOperator() throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void killNineDuringHandOversLeavesNoPodGatedAndNoSlotHeldTwiceOrLost() throws Exception {
    operator = new KillableOperator(cluster, "HandOverCrashIT");
    operator.registerWebhook("handover-crash", "capacity-gate.gpureservation.io", "Ignore", null);
    Workload.reservation(cluster, "serving", "L20", 1, SLOTS);
    operator.start();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> status() != null && Integer.valueOf(SLOTS).equals(status().getHeld()));

    List<String> live = new ArrayList<>();
    Set<String> handedOver = new HashSet<>();
    int created = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      int steps = 1 + random.nextInt(3);
      for (int i = 0; i < steps; i++) {
        if (live.size() < SLOTS + 1 && (live.isEmpty() || random.nextBoolean())) {
          String name = "handed-" + created++;
          Workload.gpuPod(cluster, name, "L20", 1);
          live.add(name);
        } else {
          String victim = live.remove(random.nextInt(live.size()));
          cluster.admin().pods().inNamespace(cluster.namespace()).withName(victim).delete();
        }
        Thread.sleep(random.nextInt(400));
        cluster.admin().pods().inNamespace(cluster.namespace()).list().getItems().stream()
            .filter(p -> annotations(p).containsKey(GpuReservation.HANDOVER_ANNOTATION))
            .forEach(p -> handedOver.add(p.getMetadata().getName()));
      }
      operator.kill(); // SIGKILL at a random point of the hand-overs
      Thread.sleep(random.nextInt(800));
      operator.start(); // returns once its informers have listed the cluster
    }
    System.out.printf(
        "hand-over churn: %d pods created, %d handed a held slot, %d kills%n",
        created, handedOver.size(), KILLS);
    assertThat(handedOver).as("pods handed a held slot").isNotEmpty();

    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(this::assertConverged);
  }

  private void assertConverged() {
    List<Pod> all = cluster.admin().pods().inNamespace(cluster.namespace()).list().getItems();
    Map<Integer, Integer> placeholdersBySlot = new HashMap<>();
    Map<String, Pod> running = new HashMap<>();
    for (Pod p : all) {
      if (p.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String name = p.getMetadata().getName();
      if (name.startsWith("serving-hold-")) {
        assertThat(p.getSpec().getNodeName()).as("placeholder %s bound", name).isNotNull();
        placeholdersBySlot.merge(Integer.parseInt(name.substring(13)), 1, Integer::sum);
        continue;
      }
      assertThat(p.getSpec().getSchedulingGates())
          .as("pod %s still gated", name)
          .noneMatch(g -> GpuReservation.CAPACITY_GATE.equals(g.getName()));
      assertThat(p.getStatus().getPhase()).as("pod %s runs", name).isEqualTo("Running");
      running.put(p.getMetadata().getUid(), p);
    }
    CapacityReservationStatus s = status();
    Set<Integer> deducted = new HashSet<>();
    for (SlotHolding h : s.getLedger()) {
      assertThat(deducted.add(h.getSlot())).as("slot %d deducted twice", h.getSlot()).isTrue();
      assertThat(placeholdersBySlot)
          .as("slot %d held by a pod and a placeholder", h.getSlot())
          .doesNotContainKey(h.getSlot());
      assertThat(running).as("holder %s runs", h.getPod()).containsKey(h.getPodUid());
      assertThat(annotations(running.get(h.getPodUid())))
          .containsEntry(GpuReservation.BILLING_MODE_ANNOTATION, GpuReservation.MODE_RESERVED)
          .containsEntry(GpuReservation.RESERVATION_ANNOTATION, "serving/" + h.getSlot());
    }
    placeholdersBySlot.forEach(
        (slot, count) -> assertThat(count).as("placeholders of slot %d", slot).isEqualTo(1));
    assertThat(deducted.size() + placeholdersBySlot.size())
        .as("slots accounted for")
        .isEqualTo(SLOTS);
    assertThat(s.getHeld()).isEqualTo(placeholdersBySlot.size());
    for (Pod p : running.values()) {
      boolean holds =
          s.getLedger().stream().anyMatch(h -> h.getPodUid().equals(p.getMetadata().getUid()));
      if (!holds) {
        assertThat(annotations(p))
            .as("pod %s", p.getMetadata().getName())
            .containsEntry(
                GpuReservation.BILLING_MODE_ANNOTATION, GpuReservation.MODE_PAY_AS_YOU_GO);
        assertThat(s.getIdle()).as("an idle slot beside pay-as-you-go pod").isZero();
      }
    }
  }

  private CapacityReservationStatus status() {
    CapacityReservation r =
        cluster
            .admin()
            .resources(CapacityReservation.class)
            .inNamespace(cluster.namespace())
            .withName("serving")
            .get();
    return r == null ? null : r.getStatus();
  }

  private static Map<String, String> annotations(Pod p) {
    return p.getMetadata().getAnnotations() == null ? Map.of() : p.getMetadata().getAnnotations();
  }
}
