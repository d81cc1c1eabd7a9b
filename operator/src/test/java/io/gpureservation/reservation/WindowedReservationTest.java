package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.MutableClock;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.holding.PlaceholderState;
import io.gpureservation.core.matching.PodBilling;
import io.gpureservation.core.matching.Reasons;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Time windows in the engine and the status, driven by a fake clock (docs/time-windows.md): edges,
 * accrual exactly at the edges however late the reconcile, a DST change in the window's zone,
 * windows the operator refuses, and a restart in the middle of a window and across an edge.
 */
class WindowedReservationTest {
  private static final String NS = "team-a";
  private static final Catalog CATALOG = Catalog.defaults();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T07:00:00Z"));
  private final ReservationShapes shapes = new ReservationShapes(CATALOG);
  private final ReservationStatusComposer composer = new ReservationStatusComposer(CATALOG);
  private final List<CapacityReservation> reservations = new ArrayList<>();
  private final List<Pod> pods = new ArrayList<>();
  private ReservationEngine engine = newEngine();

  private ReservationEngine newEngine() {
    ReservationEngine e =
        new ReservationEngine(new GpuPods(OperatorConfig.defaults(), CATALOG), shapes, clock);
    e.useCaches(
        new ClusterCaches() {
          @Override
          public List<CapacityReservation> reservations(String namespace) {
            return List.copyOf(reservations);
          }

          @Override
          public List<CapacityReservation> allReservations() {
            return List.copyOf(reservations);
          }

          @Override
          public List<Pod> pods(String namespace) {
            return List.copyOf(pods);
          }

          @Override
          public void awaitSynced() {}
        });
    return e;
  }

  // "0 8 * * *" UTC for 2 h: live 08:00 to 10:00 every day
  private CapacityReservation daily(int quantity, String lead) {
    CapacityReservation r =
        reservation(NS, "tide").quantity(quantity).window("0 8 * * *", "UTC", "2h", lead).build();
    r.getMetadata().setUid("uid-tide");
    r.getMetadata().setCreationTimestamp("2026-11-23T06:00:00Z");
    r.getMetadata().setGeneration(1L);
    reservations.add(r);
    return r;
  }

  // What one reconcile does: tell the engine, then store the status composed from the matcher.
  private CapacityReservationStatus reconcile(CapacityReservation r) {
    ReservationShapes.Resolution resolution = shapes.resolve(r.getSpec());
    engine.reservationChanged(r, resolution);
    CapacityReservationStatus status =
        composer.compose(
            r, resolution, engine.slots(NS, r.getMetadata().getName()), clock.instant());
    r.setStatus(status);
    return status;
  }

  // The scheduler bound every idle slot's placeholder.
  private void holdIdleSlots(String reservation) {
    engine.change(
        NS,
        (m, tracker) -> {
          m.idleSlotIndices(reservation)
              .forEach(
                  slot ->
                      tracker.placeholder(
                          reservation, slot, new PlaceholderState("node-1", false)));
          return null;
        });
  }

  private Pod startPod(String name) {
    Pod pod = gpuPod(NS, name).build();
    pod.getMetadata().setUid("uid-" + name);
    pod.getMetadata().setCreationTimestamp(clock.instant().toString());
    pods.add(pod);
    engine.podChanged(pod);
    return pod;
  }

  private void at(String time) {
    clock.advance(Duration.between(clock.instant(), Instant.parse(time)));
  }

  private static Condition ready(CapacityReservationStatus s) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals(CapacityReservationConditions.READY))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void beforeTheWindowNothingIsLive_andTheStatusNamesTheNextEdge() {
    CapacityReservationStatus s = reconcile(daily(2, null));

    assertThat(s.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_PENDING);
    assertThat(s.getIdle()).isZero();
    assertThat(s.getNextEdge()).isEqualTo("2026-11-23T08:00:00Z");
    assertThat(s.getNextEdgeKind()).isEqualTo(CapacityReservationStatus.EDGE_OPENS);
    assertThat(ready(s).getStatus()).isEqualTo("False");
    assertThat(ready(s).getReason()).isEqualTo(CapacityReservationConditions.REASON_WINDOW_CLOSED);
    assertThat(engine.tracker(NS).placeholders("tide")).isEmpty();
  }

  @Test
  void atTheStartARunningPayAsYouGoPodIsMatched_atTheEndItReturnsWithReservationWindowClosed() {
    CapacityReservation r = daily(1, null);
    reconcile(r);
    Pod pod = startPod("infer-1");
    assertThat(engine.billingOf(NS, "uid-infer-1"))
        .isEqualTo(
            new PodBilling.PayAsYouGo(
                Reasons.NO_MATCHING_RESERVATION, Instant.parse("2026-11-23T07:00:00Z")));

    at("2026-11-23T08:00:00.250Z"); // the wake-up comes a little after the edge
    CapacityReservationStatus open = reconcile(r);
    assertThat(open.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
    assertThat(open.getNextEdge()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(open.getNextEdgeKind()).isEqualTo(CapacityReservationStatus.EDGE_CLOSES);
    assertThat(engine.billingOf(NS, "uid-infer-1")).isInstanceOf(PodBilling.Reserved.class);
    // the slot was deducted from the edge on: accrual starts exactly there
    assertThat(new BigDecimal(open.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("0.250");

    at("2026-11-23T10:00:03Z"); // and the close is seen three seconds late
    CapacityReservationStatus closed = reconcile(r);
    assertThat(closed.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_PENDING);
    assertThat(closed.getLedger()).isEmpty();
    assertThat(new BigDecimal(closed.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("7200.000");
    assertThat(closed.getNextEdge()).isEqualTo("2026-11-24T08:00:00Z");
    assertThat(engine.billingOf(NS, pod.getMetadata().getUid()))
        .isEqualTo(
            new PodBilling.PayAsYouGo(
                Reasons.RESERVATION_WINDOW_CLOSED, Instant.parse("2026-11-23T10:00:03Z")));

    at("2026-11-24T07:59:00Z"); // nothing accrues between windows
    assertThat(new BigDecimal(reconcile(r).getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("7200.000");
  }

  @Test
  void heldIdleSlotsAccrueOnlyInsideTheWindow_toTheMillisecond() {
    CapacityReservation r = daily(2, null);
    reconcile(r);
    at("2026-11-23T08:00:00.100Z");
    reconcile(r);
    holdIdleSlots("tide");
    at("2026-11-23T08:00:00.400Z");
    CapacityReservationStatus held = reconcile(r);
    assertThat(held.getHeld()).isEqualTo(2);
    // [08:00, 08:00:00.100) had no status yet, [.100, .400) two unheld slots: nothing billed
    assertThat(new BigDecimal(held.getAccrued().getIdleSlotSeconds()))
        .isEqualByComparingTo("0.000");
    assertThat(new BigDecimal(held.getAccrued().getUnheldSlotSeconds()))
        .isEqualByComparingTo("0.800");

    at("2026-11-23T11:30:00Z");
    CapacityReservationStatus after = reconcile(r);
    // 2 slots held from 08:00:00.400 to 10:00:00 exactly
    assertThat(new BigDecimal(after.getAccrued().getIdleSlotSeconds()))
        .isEqualByComparingTo("14399.200");
    assertThat(after.getIdle()).isZero();
    assertThat(engine.slots(NS, "tide").idle()).isZero();
  }

  @Test
  void podsAreGatedForHandOverOnlyWhileAReservationIsLive() {
    // docs/capacity-holding.md "Hand-over": a closed window holds nothing a pod could be handed
    daily(1, null);
    assertThat(engine.hasLiveReservations(NS)).isFalse();

    at("2026-11-23T08:00:00Z");
    assertThat(engine.hasLiveReservations(NS)).isTrue();
  }

  @Test
  void leadTimeOpensTheReservationEarly_andIsLiveTime() {
    // docs/time-windows.md, "Lead time": placeholders warm capacity from start - lead; billed
    CapacityReservation r = daily(1, "10m");
    assertThat(reconcile(r).getNextEdge()).isEqualTo("2026-11-23T07:50:00Z");

    at("2026-11-23T07:50:00Z");
    CapacityReservationStatus warm = reconcile(r);
    assertThat(warm.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
    assertThat(warm.getIdle()).isEqualTo(1);
  }

  @Test
  void startAtKeepsAReservationPendingUntilThen() {
    CapacityReservation r = reservation(NS, "later").startAt("2026-11-23T09:00:00Z").build();
    r.getMetadata().setGeneration(1L);
    reservations.add(r);
    startPod("early");

    CapacityReservationStatus s = reconcile(r);
    assertThat(s.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_PENDING);
    assertThat(ready(s).getReason()).isEqualTo(CapacityReservationConditions.REASON_NOT_STARTED);
    assertThat(s.getNextEdge()).isEqualTo("2026-11-23T09:00:00Z");
    assertThat(engine.billingOf(NS, "uid-early")).isInstanceOf(PodBilling.PayAsYouGo.class);

    at("2026-11-23T09:00:01Z");
    CapacityReservationStatus live = reconcile(r);
    assertThat(live.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
    assertThat(live.getNextEdge()).isNull();
    assertThat(engine.billingOf(NS, "uid-early")).isInstanceOf(PodBilling.Reserved.class);
    assertThat(new BigDecimal(live.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("1.000");
  }

  @Test
  void aDstChangeInTheWindowsZoneMovesTheEdgesInUtc() {
    // Europe/Berlin springs forward on 2026-03-29: 08:00 local is 07:00Z the day before, 06:00Z
    at("2026-03-28T06:30:00Z");
    CapacityReservation r =
        reservation(NS, "berlin").window("0 8 * * *", "Europe/Berlin", "1h", null).build();
    r.getMetadata().setGeneration(1L);
    reservations.add(r);
    CapacityReservationStatus before = reconcile(r);
    assertThat(before.getNextEdge()).isEqualTo("2026-03-28T07:00:00Z");

    at("2026-03-29T06:30:00Z"); // summer time: the window is already open
    CapacityReservationStatus after = reconcile(r);
    assertThat(after.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
    assertThat(after.getNextEdge()).isEqualTo("2026-03-29T07:00:00Z");
    assertThat(after.getNextEdgeKind()).isEqualTo(CapacityReservationStatus.EDGE_CLOSES);
  }

  @Test
  void overlappingWindowsAreRefused_theReservationHoldsAndBillsNothing() {
    CapacityReservation r =
        reservation(NS, "overlap")
            .window("0 8 * * *", "UTC", "12h", null)
            .window("0 18 * * *", "UTC", "4h", null)
            .build();
    r.getMetadata().setGeneration(1L);
    reservations.add(r);
    startPod("p");
    at("2026-11-23T09:00:00Z");
    reconcile(r);
    at("2026-11-23T10:00:00Z");
    CapacityReservationStatus s = reconcile(r);

    assertThat(ready(s).getStatus()).isEqualTo("False");
    assertThat(ready(s).getReason()).isEqualTo(CapacityReservationConditions.REASON_INVALID_WINDOW);
    assertThat(ready(s).getMessage())
        .startsWith("spec.windows overlap: windows[0] live 2026-01-01T08:00:00Z")
        .contains("overlaps windows[1]");
    assertThat(s.getIdle()).isZero();
    assertThat(new BigDecimal(s.getAccrued().getIdleSlotSeconds())).isEqualByComparingTo("0.000");
    assertThat(engine.billingOf(NS, "uid-p")).isInstanceOf(PodBilling.PayAsYouGo.class);
  }

  @Test
  void cronAndZoneTheApiServerCannotCheckAreRefusedNamingTheField() {
    CapacityReservation badCron =
        reservation(NS, "cron").window("61 8 * * *", "UTC", "1h", null).build();
    CapacityReservation badZone =
        reservation(NS, "zone")
            .window("0 8 * * *", "UTC", "1h", null)
            .window("0 20 * * *", "Mars/Olympus", "1h", null)
            .build();

    assertThat(shapes.resolve(badCron.getSpec()).problemMessage())
        .isEqualTo("spec.windows[0].schedule: minute: 61 is out of range 0-59");
    assertThat(shapes.resolve(badZone.getSpec()).problemMessage())
        .isEqualTo("spec.windows[1].timeZone: unknown time zone Mars/Olympus");
    assertThat(shapes.resolve(badZone.getSpec()).problemReason())
        .isEqualTo(CapacityReservationConditions.REASON_INVALID_WINDOW);
  }

  @Test
  void aRestartInTheMiddleOfAWindowAgreesWithTheRunningEngine() {
    CapacityReservation r = daily(1, null);
    at("2026-11-23T08:30:00Z");
    reconcile(r);
    startPod("infer-1");
    CapacityReservationStatus stored = reconcile(r);
    PodBilling running = engine.billingOf(NS, "uid-infer-1");
    assertThat(running).isInstanceOf(PodBilling.Reserved.class);

    at("2026-11-23T09:00:00Z");
    engine = newEngine(); // built from the stored status and the pods, as after a restart
    assertThat(engine.billingOf(NS, "uid-infer-1")).isEqualTo(running);
    CapacityReservationStatus next = reconcile(r);
    assertThat(next.getLedger()).isEqualTo(stored.getLedger());
    assertThat(new BigDecimal(next.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("1800.000");
  }

  @Test
  void aRestartAcrossTheClosingEdgeAgreesWithTheRunningEngine() {
    CapacityReservation r = daily(1, null);
    at("2026-11-23T09:00:00Z");
    reconcile(r);
    startPod("infer-1");
    reconcile(r);
    CapacityReservation stored = r;

    // the running engine sees the close at 10:30
    at("2026-11-23T10:30:00Z");
    ReservationEngine running = engine;
    CapacityReservationStatus storedStatus = stored.getStatus();
    CapacityReservationStatus seenRunning = reconcile(r);
    PodBilling releasedRunning = running.billingOf(NS, "uid-infer-1");

    // a new engine starting at 10:30 from the status stored before the edge
    r.setStatus(storedStatus);
    engine = newEngine();
    PodBilling releasedRestarted = engine.billingOf(NS, "uid-infer-1");
    CapacityReservationStatus seenRestarted = reconcile(r);

    assertThat(releasedRestarted)
        .isEqualTo(releasedRunning)
        .isEqualTo(
            new PodBilling.PayAsYouGo(
                Reasons.RESERVATION_WINDOW_CLOSED, Instant.parse("2026-11-23T10:30:00Z")));
    assertThat(seenRestarted.getLedger()).isEqualTo(seenRunning.getLedger()).isEmpty();
    assertThat(seenRestarted.getAccrued().getActiveSlotSeconds())
        .isEqualTo(seenRunning.getAccrued().getActiveSlotSeconds());
    assertThat(new BigDecimal(seenRunning.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("3600");
  }
}
