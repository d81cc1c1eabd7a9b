package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.SlotHolding;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
 * The ledger survives SIGKILL (docs/architecture.md, "Ledger first, annotation second"): the
 * operator runs as its own process and is killed with kill -9 at random points of a pod churn on
 * the project's cluster (pods are scheduled, run and deleted by kube-scheduler, the
 * controller-manager and KWOK). Afterwards no slot is held twice, no pod holds two slots, no
 * deduction was lost or moved, every annotation agrees with the ledgers, and each reservation's
 * idle (held) + unheld + active slot-seconds equal its slots times the time accrued.
 */
class OperatorCrashIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final List<String> RESERVATIONS = List.of("first", "second");
  private static final int SLOTS = 3;
  private static final Duration CHURN = Duration.ofSeconds(45);

  private final Random random = new Random(20261124L);
  private Process operator;

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.destroyForcibly();
    }
  }

  @Test
  void killNineDuringAPodChurnLosesAndDoublesNothing() throws Exception {
    Map<String, Instant> accrualStart = new HashMap<>();
    for (String name : RESERVATIONS) {
      Workload.reservation(cluster, name, "L20", 1, SLOTS);
    }
    operator = start();
    for (String name : RESERVATIONS) {
      CapacityReservationStatus s = awaitStatus(name);
      // The first status read may already hold some accrual (placeholders binding write it):
      // conservation is checked from this point on.
      accrualStart.put(
          name,
          Instant.parse(s.getAccrued().getAccruedUntil())
              .minusMillis(slotSeconds(s).movePointRight(3).longValueExact() / SLOTS));
    }

    Map<String, String> firstSlotOfPod = new HashMap<>(); // pod uid -> "reservation/slot"
    List<String> live = new ArrayList<>();
    int created = 0;
    int kills = 0;
    Instant end = Instant.now().plus(CHURN);
    Instant nextKill = Instant.now().plusMillis(2000 + random.nextInt(4000));
    while (Instant.now().isBefore(end)) {
      if (live.size() < 10 && (live.isEmpty() || random.nextInt(3) > 0)) {
        String name = "churn-" + created++;
        Workload.gpuPod(cluster, name, "L20", 1);
        live.add(name);
      } else {
        String victim = live.remove(random.nextInt(live.size()));
        cluster.admin().pods().inNamespace(cluster.namespace()).withName(victim).delete();
      }
      recordDeductions(firstSlotOfPod);
      if (Instant.now().isAfter(nextKill)) {
        operator.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
        kills++;
        Thread.sleep(random.nextInt(1500));
        operator = start();
        nextKill = Instant.now().plusMillis(2000 + random.nextInt(4000));
      }
      Thread.sleep(200 + random.nextInt(300));
    }
    System.out.printf("churn: %d pods created, %d kills%n", created, kills);
    assertThat(kills).isGreaterThanOrEqualTo(5);

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertConverged(firstSlotOfPod, accrualStart));
  }

  private void assertConverged(Map<String, String> firstSlotOfPod, Map<String, Instant> start) {
    Map<String, Pod> pods = new HashMap<>();
    // The churned GPU pods, not the reservations' placeholders (docs/capacity-holding.md).
    for (Pod p :
        cluster
            .admin()
            .pods()
            .inNamespace(cluster.namespace())
            .withoutLabel("gpureservation.io/placeholder-for")
            .list()
            .getItems()) {
      if (p.getMetadata().getDeletionTimestamp() == null
          && p.getSpec().getNodeName() != null
          && "Running".equals(p.getStatus().getPhase())) {
        pods.put(p.getMetadata().getUid(), p);
      }
    }
    Set<String> holders = new HashSet<>();
    int idle = 0;
    for (String name : RESERVATIONS) {
      CapacityReservation r = reservation(name);
      CapacityReservationStatus s = r.getStatus();
      Set<Integer> slots = new HashSet<>();
      for (SlotHolding h : s.getLedger()) {
        assertThat(slots.add(h.getSlot())).as("slot %s/%d held twice", name, h.getSlot()).isTrue();
        assertThat(h.getSlot()).isBetween(0, SLOTS - 1);
        assertThat(holders.add(h.getPodUid())).as("pod %s in two slots", h.getPod()).isTrue();
        assertThat(pods).as("holder %s is a live pod", h.getPod()).containsKey(h.getPodUid());
        assertThat(annotations(pods.get(h.getPodUid())))
            .containsEntry(GpuReservation.BILLING_MODE_ANNOTATION, GpuReservation.MODE_RESERVED)
            .containsEntry(GpuReservation.RESERVATION_ANNOTATION, name + "/" + h.getSlot());
      }
      assertThat(s.getActive()).isEqualTo(s.getLedger().size());
      assertThat(s.getActive() + s.getIdle()).isEqualTo(SLOTS);
      idle += s.getIdle();
      // Idle slots are billed while held; the unheld time is counted apart (placeholders wait
      // for a node): together they are every slot all the time.
      BigDecimal slotSeconds = slotSeconds(s);
      // Accrual counts whole milliseconds of the clock (docs/capacity-reservation.md, "Status").
      long elapsedMillis =
          Instant.parse(s.getAccrued().getAccruedUntil()).toEpochMilli()
              - start.get(name).toEpochMilli();
      assertThat(slotSeconds)
          .as("slot-seconds of %s", name)
          .isEqualByComparingTo(BigDecimal.valueOf(elapsedMillis * SLOTS).movePointLeft(3));
    }
    for (Pod p : pods.values()) {
      String uid = p.getMetadata().getUid();
      if (!holders.contains(uid)) {
        assertThat(annotations(p))
            .as("pod %s", p.getMetadata().getName())
            .containsEntry(
                GpuReservation.BILLING_MODE_ANNOTATION, GpuReservation.MODE_PAY_AS_YOU_GO);
        assertThat(idle).as("an idle slot beside pay-as-you-go pod %s", uid).isZero();
      }
      String first = firstSlotOfPod.get(uid);
      if (first != null) {
        assertThat(annotations(p).get(GpuReservation.RESERVATION_ANNOTATION))
            .as("deduction of %s kept", p.getMetadata().getName())
            .isEqualTo(first);
      }
    }
  }

  private static BigDecimal slotSeconds(CapacityReservationStatus s) {
    return new BigDecimal(s.getAccrued().getIdleSlotSeconds())
        .add(new BigDecimal(s.getAccrued().getUnheldSlotSeconds()))
        .add(new BigDecimal(s.getAccrued().getActiveSlotSeconds()));
  }

  // Every deduction seen in a stored ledger, so that a lost or moved one shows at the end.
  private void recordDeductions(Map<String, String> firstSlotOfPod) {
    for (String name : RESERVATIONS) {
      CapacityReservationStatus s = reservation(name).getStatus();
      if (s != null) {
        s.getLedger()
            .forEach(h -> firstSlotOfPod.putIfAbsent(h.getPodUid(), name + "/" + h.getSlot()));
      }
    }
  }

  private Process start() throws IOException {
    return OperatorProcess.start(cluster.kubeconfig(), "OperatorCrashIT", Map.of());
  }

  private CapacityReservation reservation(String name) {
    return cluster
        .admin()
        .resources(CapacityReservation.class)
        .inNamespace(cluster.namespace())
        .withName(name)
        .get();
  }

  private CapacityReservationStatus awaitStatus(String name) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> reservation(name).getStatus(),
            s -> s != null && s.getAccrued() != null && s.getAccrued().getAccruedUntil() != null);
  }

  private static Map<String, String> annotations(Pod p) {
    return p.getMetadata().getAnnotations() == null ? Map.of() : p.getMetadata().getAnnotations();
  }
}
