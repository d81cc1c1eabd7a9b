package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.core.matching.PodBilling;
import io.gpureservation.core.matching.Reasons;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Time windows in the engine and the status, driven by a fake clock (docs/time-windows.md): edges,
 * accrual exactly at the edges however late the reconcile, lead time, startAt, and a DST change in
 * the window's zone.
 */
class WindowedReservationTest {
  private static final String NS = WindowedEngine.NS;
  private final WindowedEngine f = new WindowedEngine();

  @Test
  void beforeTheWindowNothingIsLive_andTheStatusNamesTheNextEdge() {
    CapacityReservationStatus s = f.reconcile(f.daily(2, null));

    assertThat(s.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_PENDING);
    assertThat(s.getIdle()).isZero();
    assertThat(s.getNextEdge()).isEqualTo("2026-11-23T08:00:00Z");
    assertThat(s.getNextEdgeKind()).isEqualTo(CapacityReservationStatus.EDGE_OPENS);
    assertThat(WindowedEngine.ready(s).getStatus()).isEqualTo("False");
    assertThat(WindowedEngine.ready(s).getReason())
        .isEqualTo(CapacityReservationConditions.REASON_WINDOW_CLOSED);
    assertThat(f.engine().tracker(NS).placeholders("tide")).isEmpty();
  }

  @Test
  void atTheStartARunningPayAsYouGoPodIsMatched_atTheEndItReturnsWithReservationWindowClosed() {
    CapacityReservation r = f.daily(1, null);
    f.reconcile(r);
    Pod pod = f.startPod("infer-1");
    assertThat(f.engine().billingOf(NS, "uid-infer-1"))
        .isEqualTo(
            new PodBilling.PayAsYouGo(
                Reasons.NO_MATCHING_RESERVATION, Instant.parse("2026-11-23T07:00:00Z")));

    f.at("2026-11-23T08:00:00.250Z"); // the wake-up comes a little after the edge
    CapacityReservationStatus open = f.reconcile(r);
    assertThat(open.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
    assertThat(open.getNextEdge()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(open.getNextEdgeKind()).isEqualTo(CapacityReservationStatus.EDGE_CLOSES);
    assertThat(f.engine().billingOf(NS, "uid-infer-1")).isInstanceOf(PodBilling.Reserved.class);
    // the slot was deducted from the edge on: accrual starts exactly there
    assertThat(new BigDecimal(open.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("0.250");

    f.at("2026-11-23T10:00:03Z"); // and the close is seen three seconds late
    CapacityReservationStatus closed = f.reconcile(r);
    assertThat(closed.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_PENDING);
    assertThat(closed.getLedger()).isEmpty();
    assertThat(new BigDecimal(closed.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("7200.000");
    assertThat(closed.getNextEdge()).isEqualTo("2026-11-24T08:00:00Z");
    assertThat(f.engine().billingOf(NS, pod.getMetadata().getUid()))
        .isEqualTo(
            new PodBilling.PayAsYouGo(
                Reasons.RESERVATION_WINDOW_CLOSED, Instant.parse("2026-11-23T10:00:03Z")));

    f.at("2026-11-24T07:59:00Z"); // nothing accrues between windows
    assertThat(new BigDecimal(f.reconcile(r).getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("7200.000");
  }

  @Test
  void afterReleaseAtTheAccrualEndsThere_andLaterReconcilesChangeNothing() {
    CapacityReservation r =
        f.add(reservation(NS, "ends").quantity(1).releaseAt("2026-11-23T07:00:10Z").build());
    f.reconcile(r);
    f.holdIdleSlots("ends");
    f.reconcile(r);

    f.at("2026-11-23T07:00:12.500Z"); // the expiry is processed 2.5 s late
    CapacityReservationStatus expired = f.reconcile(r);
    assertThat(expired.getAccrued().getAccruedUntil()).isEqualTo("2026-11-23T07:00:10Z");
    assertThat(new BigDecimal(expired.getAccrued().getIdleSlotSeconds()))
        .isEqualByComparingTo("10.000");

    f.at("2026-11-23T08:00:00Z");
    assertThat(f.reconcile(r).getAccrued())
        .usingRecursiveComparison()
        .isEqualTo(expired.getAccrued());
  }

  @Test
  void heldIdleSlotsAccrueOnlyInsideTheWindow_toTheMillisecond() {
    CapacityReservation r = f.daily(2, null);
    f.reconcile(r);
    f.at("2026-11-23T08:00:00.100Z");
    f.reconcile(r);
    f.holdIdleSlots("tide");
    f.at("2026-11-23T08:00:00.400Z");
    CapacityReservationStatus held = f.reconcile(r);
    assertThat(held.getHeld()).isEqualTo(2);
    // [08:00, 08:00:00.100) had no status yet, [.100, .400) two unheld slots: nothing billed
    assertThat(new BigDecimal(held.getAccrued().getIdleSlotSeconds()))
        .isEqualByComparingTo("0.000");
    assertThat(new BigDecimal(held.getAccrued().getUnheldSlotSeconds()))
        .isEqualByComparingTo("0.800");

    f.at("2026-11-23T11:30:00Z");
    CapacityReservationStatus after = f.reconcile(r);
    // 2 slots held from 08:00:00.400 to 10:00:00 exactly
    assertThat(new BigDecimal(after.getAccrued().getIdleSlotSeconds()))
        .isEqualByComparingTo("14399.200");
    assertThat(after.getIdle()).isZero();
    assertThat(f.engine().slots(NS, "tide").idle()).isZero();
  }

  @Test
  void podsAreGatedForHandOverOnlyWhileAReservationIsLive() {
    // docs/capacity-holding.md "Hand-over": a closed window holds nothing a pod could be handed
    f.daily(1, null);
    assertThat(f.engine().hasLiveReservations(NS)).isFalse();

    f.at("2026-11-23T08:00:00Z");
    assertThat(f.engine().hasLiveReservations(NS)).isTrue();
  }

  @Test
  void leadTimeOpensTheReservationEarly_andIsLiveTime() {
    // docs/time-windows.md, "Lead time": placeholders warm capacity from start - lead; billed
    CapacityReservation r = f.daily(1, "10m");
    assertThat(f.reconcile(r).getNextEdge()).isEqualTo("2026-11-23T07:50:00Z");

    f.at("2026-11-23T07:50:00Z");
    CapacityReservationStatus warm = f.reconcile(r);
    assertThat(warm.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
    assertThat(warm.getIdle()).isEqualTo(1);
  }

  @Test
  void startAtKeepsAReservationPendingUntilThen() {
    CapacityReservation r = reservation(NS, "later").startAt("2026-11-23T09:00:00Z").build();
    f.add(r);
    f.startPod("early");

    CapacityReservationStatus s = f.reconcile(r);
    assertThat(s.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_PENDING);
    assertThat(WindowedEngine.ready(s).getReason())
        .isEqualTo(CapacityReservationConditions.REASON_NOT_STARTED);
    assertThat(s.getNextEdge()).isEqualTo("2026-11-23T09:00:00Z");
    assertThat(f.engine().billingOf(NS, "uid-early")).isInstanceOf(PodBilling.PayAsYouGo.class);

    f.at("2026-11-23T09:00:01Z");
    CapacityReservationStatus live = f.reconcile(r);
    assertThat(live.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
    assertThat(live.getNextEdge()).isNull();
    assertThat(f.engine().billingOf(NS, "uid-early")).isInstanceOf(PodBilling.Reserved.class);
    assertThat(new BigDecimal(live.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("1.000");
  }

  @Test
  void aDstChangeInTheWindowsZoneMovesTheEdgesInUtc() {
    // Europe/Berlin springs forward on 2026-03-29: 08:00 local is 07:00Z the day before, 06:00Z
    f.at("2026-03-28T06:30:00Z");
    CapacityReservation r =
        reservation(NS, "berlin").window("0 8 * * *", "Europe/Berlin", "1h", null).build();
    f.add(r);
    CapacityReservationStatus before = f.reconcile(r);
    assertThat(before.getNextEdge()).isEqualTo("2026-03-28T07:00:00Z");

    f.at("2026-03-29T06:30:00Z"); // summer time: the window is already open
    CapacityReservationStatus after = f.reconcile(r);
    assertThat(after.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
    assertThat(after.getNextEdge()).isEqualTo("2026-03-29T07:00:00Z");
    assertThat(after.getNextEdgeKind()).isEqualTo(CapacityReservationStatus.EDGE_CLOSES);
  }
}
