package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.core.matching.PodBilling;
import io.gpureservation.core.matching.Reasons;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Time windows the operator refuses (docs/time-windows.md, "On a CapacityReservation"), and a
 * restart in the middle of a window and across an edge ("Restart"): an engine built from the stored
 * state agrees with the one that kept running.
 */
class RefusedWindowsAndRestartTest {
  private static final String NS = WindowedEngine.NS;
  private final WindowedEngine f = new WindowedEngine();

  @Test
  void overlappingWindowsAreRefused_theReservationHoldsAndBillsNothing() {
    CapacityReservation r =
        reservation(NS, "overlap")
            .window("0 8 * * *", "UTC", "12h", null)
            .window("0 18 * * *", "UTC", "4h", null)
            .build();
    f.add(r);
    f.startPod("p");
    f.at("2026-11-23T09:00:00Z");
    f.reconcile(r);
    f.at("2026-11-23T10:00:00Z");
    CapacityReservationStatus s = f.reconcile(r);

    assertThat(WindowedEngine.ready(s).getStatus()).isEqualTo("False");
    assertThat(WindowedEngine.ready(s).getReason())
        .isEqualTo(CapacityReservationConditions.REASON_INVALID_WINDOW);
    assertThat(WindowedEngine.ready(s).getMessage())
        .startsWith("spec.windows overlap: windows[0] live 2026-01-01T08:00:00Z")
        .contains("overlaps windows[1]");
    assertThat(s.getIdle()).isZero();
    assertThat(new BigDecimal(s.getAccrued().getIdleSlotSeconds())).isEqualByComparingTo("0.000");
    assertThat(f.engine().billingOf(NS, "uid-p")).isInstanceOf(PodBilling.PayAsYouGo.class);
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

    assertThat(f.shapes().resolve(badCron.getSpec()).problemMessage())
        .isEqualTo("spec.windows[0].schedule: minute: 61 is out of range 0-59");
    assertThat(f.shapes().resolve(badZone.getSpec()).problemMessage())
        .isEqualTo("spec.windows[1].timeZone: unknown time zone Mars/Olympus");
    assertThat(f.shapes().resolve(badZone.getSpec()).problemReason())
        .isEqualTo(CapacityReservationConditions.REASON_INVALID_WINDOW);
  }

  // docs/capacity-reservation.md, "A reservation the operator cannot read": the CRD refuses this
  // lead; one stored before the bound is refused by the operator, naming the field.
  @Test
  void aLeadTooLargeForAnyClockIsRefusedNamingTheField() {
    CapacityReservation r =
        reservation(NS, "lead").window("0 8 * * *", "UTC", "1h", "99999999999999999999h").build();

    ReservationShapes.Resolution resolution = f.shapes().resolve(r.getSpec());

    assertThat(resolution.problemReason())
        .isEqualTo(CapacityReservationConditions.REASON_INVALID_WINDOW);
    assertThat(resolution.problemMessage())
        .isEqualTo("spec.windows[0].lead: too large to be a duration: 99999999999999999999h");
  }

  // The general guard: whatever else cannot be computed with makes this reservation alone
  // Unprocessable instead of throwing into its namespace's load.
  @Test
  void aSpecTheOperatorCannotComputeWithIsUnprocessable_notAnException() {
    CapacityReservation r = reservation(NS, "hole").build();
    r.getSpec().setWindows(new java.util.ArrayList<>(java.util.Collections.singletonList(null)));

    ReservationShapes.Resolution resolution = f.shapes().resolve(r.getSpec());

    assertThat(resolution.problemReason())
        .isEqualTo(CapacityReservationConditions.REASON_UNPROCESSABLE);
    assertThat(resolution.problemMessage())
        .startsWith("the operator cannot process this reservation's spec: ");
  }

  @Test
  void aRestartInTheMiddleOfAWindowAgreesWithTheRunningEngine() {
    CapacityReservation r = f.daily(1, null);
    f.at("2026-11-23T08:30:00Z");
    f.reconcile(r);
    f.startPod("infer-1");
    CapacityReservationStatus stored = f.reconcile(r);
    PodBilling running = f.engine().billingOf(NS, "uid-infer-1");
    assertThat(running).isInstanceOf(PodBilling.Reserved.class);

    f.at("2026-11-23T09:00:00Z");
    f.restart(); // built from the stored status and the pods, as after a restart
    assertThat(f.engine().billingOf(NS, "uid-infer-1")).isEqualTo(running);
    CapacityReservationStatus next = f.reconcile(r);
    assertThat(next.getLedger()).isEqualTo(stored.getLedger());
    assertThat(new BigDecimal(next.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("1800.000");
  }

  /** What the running engine and one built now from {@code stored} see of a reservation and pod. */
  private record Seen(
      CapacityReservationStatus running,
      PodBilling runningPod,
      CapacityReservationStatus restarted,
      PodBilling restartedPod) {
    /** The restarted engine agrees: same pod billing, ledger and accrual. */
    Seen agree() {
      assertThat(restartedPod).isEqualTo(runningPod);
      assertThat(restarted.getLedger()).isEqualTo(running.getLedger());
      assertThat(restarted.getAccrued()).usingRecursiveComparison().isEqualTo(running.getAccrued());
      return this;
    }
  }

  // The running engine reconciles now; then a new engine starts now from the status stored before.
  private Seen runningAndRestarted(CapacityReservation r, CapacityReservationStatus stored) {
    ReservationEngine running = f.engine();
    CapacityReservationStatus seenRunning = f.reconcile(r);
    r.setStatus(stored);
    f.restart();
    CapacityReservationStatus seenRestarted = f.reconcile(r);
    return new Seen(
        seenRunning,
        running.billingOf(NS, "uid-infer-1"),
        seenRestarted,
        f.engine().billingOf(NS, "uid-infer-1"));
  }

  @Test
  void aRestartAcrossTheClosingEdgeAgreesWithTheRunningEngine() {
    CapacityReservation r = f.daily(1, null);
    f.at("2026-11-23T09:00:00Z");
    f.reconcile(r);
    f.startPod("infer-1");
    CapacityReservationStatus stored = f.reconcile(r);

    f.at("2026-11-23T10:30:00Z"); // the close at 10:00 is seen at 10:30
    Seen seen = runningAndRestarted(r, stored).agree();

    assertThat(seen.runningPod())
        .isEqualTo(
            new PodBilling.PayAsYouGo(
                Reasons.RESERVATION_WINDOW_CLOSED, Instant.parse("2026-11-23T10:30:00Z")));
    assertThat(seen.running().getLedger()).isEmpty();
    assertThat(new BigDecimal(seen.running().getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("3600");
  }

  @Test
  void aRestartAcrossTheOpeningEdgeAgreesWithTheRunningEngine() {
    CapacityReservation r = f.daily(1, null);
    f.at("2026-11-23T07:30:00Z");
    f.startPod("infer-1");
    CapacityReservationStatus pending = f.reconcile(r);

    f.at("2026-11-23T08:20:00Z"); // the start at 08:00 is seen at 08:20
    Seen seen = runningAndRestarted(r, pending).agree();

    assertThat(seen.runningPod()).isInstanceOf(PodBilling.Reserved.class);
    assertThat(seen.running().getLedger()).hasSize(1);
    // the running pod is billed to the reservation from the edge, both ways
    assertThat(new BigDecimal(seen.running().getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("1200");
  }
}
