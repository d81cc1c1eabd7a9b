package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference's seven-phase billing example (docs/capacity-reservation.md; the reference's
 * "Billing example") on real nodes with held capacity: two reservations of one L20 slot each, two
 * pods handed held slots, and per phase the slot time and cost the operator accrued in status.
 *
 * <p>Time is not asserted: each phase is checked between two status writes of the operator (the
 * accrual timer runs every second) while nothing changes, from the times the operator recorded
 * ({@code accrued.accruedUntil}): every millisecond between them is accrued to the one kind of slot
 * time the phase says — unheld (costs nothing), idle (the reservation rate, 0.54/h) or active (the
 * pay-as-you-go rate, 1.80/h; the bundled example rates) — and the exact rate × milliseconds sums
 * give the rounded costs. Phase 1 ("purchased, not yet active") is the slots before any node can
 * hold them: the reservations' zone has no node until phase 2 adds one.
 */
class WalkThroughHeldIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();
  private static final BigDecimal RESERVATION_RATE = new BigDecimal("0.54");
  private static final BigDecimal PAY_AS_YOU_GO_RATE = new BigDecimal("1.80");
  private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000L);
  private static final List<String> RESERVATIONS = List.of("walkthrough-a", "walkthrough-b");

  private ChartOperator operator;
  private String ns;
  private String zone;
  private String node;

  /** One kind of slot time a phase accrues. */
  private enum Slot {
    UNHELD,
    IDLE,
    ACTIVE
  }

  @BeforeEach
  void startOperator() {
    operator =
        ChartOperator.start(
            cluster, ChartOperator.chartRbac(cluster), Map.of("ACCRUAL_INTERVAL_SECONDS", "1"));
    operator.registerLoopbackWebhook(cluster);
    ns = cluster.createNamespace(cluster.namespace() + "-work");
    zone = "zone-" + cluster.namespace().substring(3);
    node = "l20-" + zone;
  }

  @AfterEach
  void stopOperator() {
    operator.closeAndUnregisterWebhooks(cluster);
    cluster.removeNode(node);
  }

  @Test
  void sevenPhasesAccrueWhatTheReferenceBillsInEachPhase() {
    // Phase 1: purchased, not yet active — no node of the zone can hold the slots.
    RESERVATIONS.forEach(this::reservation);
    for (String r : RESERVATIONS) {
      awaitStatus(r, s -> assertThat(s).containsEntry("idle", 1).containsEntry("held", 0));
    }
    phase("1 (purchased, not held)", Slot.UNHELD, Slot.UNHELD);

    // Phase 2: both reservations idle, held on the new node: 2 x reservation rate x duration.
    cluster.addNode(node, "L20", zone, 8, "128", "920Gi");
    for (String r : RESERVATIONS) {
      awaitStatus(r, s -> assertThat(s).containsEntry("idle", 1).containsEntry("held", 1));
    }
    requireUnheldUntilHeld(phase("2 (both idle)", Slot.IDLE, Slot.IDLE));

    // Phase 3: Pod1 running on a held slot, the other idle.
    gpuPod("pod1");
    String first = deducted("pod1");
    String second = RESERVATIONS.get(1 - RESERVATIONS.indexOf(first));
    awaitStatus(first, s -> assertThat(s).containsEntry("active", 1).containsEntry("idle", 0));
    phaseBy("3 (Pod1 running)", Map.of(first, Slot.ACTIVE, second, Slot.IDLE));

    // Phase 4: both pods running: only pay-as-you-go rates.
    gpuPod("pod2");
    assertThat(deducted("pod2")).isEqualTo(second);
    awaitStatus(second, s -> assertThat(s).containsEntry("active", 1).containsEntry("idle", 0));
    phaseBy("4 (both pods running)", Map.of(first, Slot.ACTIVE, second, Slot.ACTIVE));

    // Phase 5: Pod1 ends; its slot is held again on the node it ran on.
    cluster.admin().pods().inNamespace(ns).withName("pod1").delete();
    awaitStatus(
        first,
        s ->
            assertThat(s)
                .containsEntry("active", 0)
                .containsEntry("idle", 1)
                .containsEntry("held", 1));
    phaseBy("5 (Pod2 running)", Map.of(first, Slot.IDLE, second, Slot.ACTIVE));

    // Phase 6: Pod2 ends; both idle again.
    cluster.admin().pods().inNamespace(ns).withName("pod2").delete();
    awaitStatus(
        second,
        s ->
            assertThat(s)
                .containsEntry("active", 0)
                .containsEntry("idle", 1)
                .containsEntry("held", 1));
    Map<String, ReservationAccrued> six = phase("6 (both idle again)", Slot.IDLE, Slot.IDLE);

    // Phase 7: the reservations expire; accrual stops at releaseAt exactly, placeholders go.
    Instant releaseAt = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
    for (String r : RESERVATIONS) {
      cluster
          .admin()
          .genericKubernetesResources("gpureservation.io/v1alpha1", "CapacityReservation")
          .inNamespace(ns)
          .withName(r)
          .edit(
              gcr -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> spec =
                    (Map<String, Object>) gcr.getAdditionalProperties().get("spec");
                spec.put("releaseAt", releaseAt.toString());
                return gcr;
              });
    }
    for (String r : RESERVATIONS) {
      awaitStatus(r, s -> assertThat(s).containsEntry("phase", "Expired"));
      ReservationAccrued end = ReservationAccrued.of(ReservationStatus.read(cluster, ns, r));
      assertThat(end.until()).isEqualTo(releaseAt);
      long heldUntilRelease = releaseAt.toEpochMilli() - six.get(r).until().toEpochMilli();
      assertThat(end.idleMillis() - six.get(r).idleMillis()).isEqualTo(heldUntilRelease);
      assertThat(end.activeMillis()).isEqualTo(six.get(r).activeMillis());
      assertRatesExplainCosts(end);
      System.out.printf(
          "phase 7 (released): %s accrued %s in all, nothing after %s%n", r, end.cost(), releaseAt);
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .admin()
                            .pods()
                            .inNamespace(ns)
                            .withLabel("gpureservation.io/placeholder-for")
                            .list()
                            .getItems())
                    .isEmpty());
  }

  // --- phases -----------------------------------------------------------------------------------

  private Map<String, ReservationAccrued> phase(String name, Slot a, Slot b) {
    return phaseBy(name, Map.of(RESERVATIONS.get(0), a, RESERVATIONS.get(1), b));
  }

  /**
   * Reads each reservation's accrual, waits for a status written at least 2 s of operator time
   * later with nothing changed, and checks that all of it went to the phase's kind of slot time at
   * that kind's rate. Returns the later accruals.
   */
  private Map<String, ReservationAccrued> phaseBy(String name, Map<String, Slot> slots) {
    Map<String, ReservationAccrued> after = new LinkedHashMap<>();
    BigDecimal phaseCost = BigDecimal.ZERO;
    for (String r : RESERVATIONS) {
      ReservationAccrued from = ReservationAccrued.of(ReservationStatus.read(cluster, ns, r));
      Slot slot = slots.get(r);
      awaitStatus(
          r,
          s ->
              assertThat(ReservationAccrued.of(s).until())
                  .isAfterOrEqualTo(from.until().plusSeconds(2)));
      ReservationAccrued to = ReservationAccrued.of(ReservationStatus.read(cluster, ns, r));
      long elapsed = to.until().toEpochMilli() - from.until().toEpochMilli();
      assertThat(to.unheldMillis() - from.unheldMillis())
          .as("phase %s: %s unheld", name, r)
          .isEqualTo(slot == Slot.UNHELD ? elapsed : 0);
      assertThat(to.idleMillis() - from.idleMillis())
          .as("phase %s: %s idle", name, r)
          .isEqualTo(slot == Slot.IDLE ? elapsed : 0);
      assertThat(to.activeMillis() - from.activeMillis())
          .as("phase %s: %s active", name, r)
          .isEqualTo(slot == Slot.ACTIVE ? elapsed : 0);
      // idle at the reservation rate, active at the pay-as-you-go rate, unheld at nothing
      BigDecimal rate =
          switch (slot) {
            case UNHELD -> BigDecimal.ZERO;
            case IDLE -> RESERVATION_RATE;
            case ACTIVE -> PAY_AS_YOU_GO_RATE;
          };
      assertThat(
              to.idleRateMillis()
                  .add(to.activeRateMillis())
                  .subtract(from.idleRateMillis())
                  .subtract(from.activeRateMillis()))
          .as("phase %s: %s rate x milliseconds", name, r)
          .isEqualByComparingTo(rate.multiply(BigDecimal.valueOf(elapsed)));
      assertRatesExplainCosts(to);
      BigDecimal cost = to.cost().subtract(from.cost());
      phaseCost = phaseCost.add(cost);
      System.out.printf(
          "phase %s: %s %s for %d ms at %s/h accrued %s%n", name, r, slot, elapsed, rate, cost);
      after.put(r, to);
    }
    System.out.printf("phase %s: accrued %s over both reservations%n", name, phaseCost);
    return after;
  }

  // Phase 1's slot time was unheld and cost nothing: the idle time is only what came after.
  private static void requireUnheldUntilHeld(Map<String, ReservationAccrued> phaseTwo) {
    phaseTwo.forEach(
        (r, a) -> {
          assertThat(a.unheldMillis()).as("%s unheld in phase 1", r).isPositive();
          assertThat(a.activeMillis()).isZero();
        });
  }

  // The costs in status are the exact rate x milliseconds sums / 3,600,000, 6 decimals HALF_UP.
  private static void assertRatesExplainCosts(ReservationAccrued a) {
    assertThat(a.idleRateMillis())
        .isEqualByComparingTo(RESERVATION_RATE.multiply(BigDecimal.valueOf(a.idleMillis())));
    assertThat(a.activeRateMillis())
        .isEqualByComparingTo(PAY_AS_YOU_GO_RATE.multiply(BigDecimal.valueOf(a.activeMillis())));
    assertThat(a.idleCost())
        .isEqualByComparingTo(a.idleRateMillis().divide(MILLIS_PER_HOUR, 6, RoundingMode.HALF_UP));
    assertThat(a.activeCost())
        .isEqualByComparingTo(
            a.activeRateMillis().divide(MILLIS_PER_HOUR, 6, RoundingMode.HALF_UP));
  }

  // --- fixtures ---------------------------------------------------------------------------------

  private void reservation(String name) {
    Workload.oneL20Slot(cluster, ns, name, "zone", zone);
  }

  private void gpuPod(String name) {
    Workload.pinnedGpuPod(
        cluster,
        ns,
        name,
        Map.of("nvidia.com/gpu.product", "NVIDIA-L20", "topology.kubernetes.io/zone", zone));
  }

  /** The reservation the pod deducted, once it runs on the node with the billing annotation. */
  private String deducted(String pod) {
    String[] slot = new String[1];
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Pod live = cluster.admin().pods().inNamespace(ns).withName(pod).get();
              assertThat(live.getSpec().getNodeName()).isEqualTo(node);
              assertThat(live.getMetadata().getAnnotations())
                  .containsEntry("gpureservation.io/billing-mode", "reserved");
              slot[0] = live.getMetadata().getAnnotations().get("gpureservation.io/reservation");
            });
    return slot[0].split("/")[0];
  }

  private void awaitStatus(String reservation, Consumer<Map<String, Object>> check) {
    ReservationStatus.await(cluster, ns, reservation, check);
  }
}
