package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.ReservationAccrual;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * docs/lending.md, "Money": a reservation's status accrues a lent slot apart — neither idle nor
 * active, billed to the borrower at the lending rate — so that idle + unheld + active + lent
 * slot-seconds = slots × elapsed to the millisecond, through the engine and the status composer as
 * the reconcilers drive them.
 */
class LentAccrualTest {
  private final WindowedEngine f = new WindowedEngine();

  private CapacityReservation twoHeldSlots() {
    CapacityReservation r = f.add(reservation(WindowedEngine.NS, "gpu").quantity(2).build());
    r.getMetadata().setUid("uid-gpu");
    f.reconcile(r);
    f.holdIdleSlots("gpu");
    f.reconcile(r);
    return r;
  }

  @Test
  void aLentSlotCostsTheOwnerNothingAndTheBorrowerTheLendingRate() {
    CapacityReservation r = twoHeldSlots(); // 07:00

    f.at("2026-11-23T08:00:00Z");
    Pod batch = f.start(f.lend("gpu", "team-batch", "batch"));
    CapacityReservationStatus lent = f.reconcile(r);
    assertThat(lent.getLent()).isEqualTo(1);
    assertThat(lent.getIdle()).isEqualTo(1);

    f.at("2026-11-23T09:00:00Z");
    f.startPod("p1"); // deducts the idle slot 0
    f.reconcile(r);

    f.at("2026-11-23T10:00:00Z");
    f.delete(batch); // the loan ends: slot 1 is idle again (here its placeholder is still bound)
    CapacityReservationStatus after = f.reconcile(r);
    assertThat(after.getLent()).isZero();
    assertThat(after.getIdle()).isEqualTo(1);

    f.at("2026-11-23T11:00:00.007Z");
    ReservationAccrual a = f.reconcile(r).getAccrued();

    // idle: 2 slots 07-08, 1 slot 08-09, none 09-10, 1 slot 10-11:00.007
    assertThat(a.getIdleSlotSeconds()).isEqualTo("14400.007");
    assertThat(a.getActiveSlotSeconds()).isEqualTo("7200.007"); // p1 from 09:00
    assertThat(a.getLentSlotSeconds()).isEqualTo("7200"); // batch 08-10
    assertThat(a.getUnheldSlotSeconds()).isEqualTo("0.000");
    // every slot-millisecond in exactly one state: 2 slots x 4 h 7 ms
    assertThat(
            new BigDecimal(a.getIdleSlotSeconds())
                .add(new BigDecimal(a.getActiveSlotSeconds()))
                .add(new BigDecimal(a.getLentSlotSeconds()))
                .add(new BigDecimal(a.getUnheldSlotSeconds())))
        .isEqualByComparingTo("28800.014");
    // L20 example rates: 0.54 idle, 1.80 active, lending 60 % of 1.80 = 1.08
    assertThat(a.getLentCost()).isEqualTo("2.160000"); // the borrower's: 2 h x 1.08
    assertThat(a.getIdleCost()).isEqualTo("2.160001"); // 14400.007 s x 0.54 / 3600, HALF_UP
    assertThat(a.getActiveCost()).isEqualTo("3.600004"); // 7200.007 s x 1.80 / 3600, HALF_UP
    // exact: 1.08 x 7,200,000 ms
    assertThat(new BigDecimal(a.getLentRateMillis())).isEqualByComparingTo("7776000");
  }

  // Each write resumes the lent sums from the stored status; a status written before lending (no
  // lent fields) resumes at zero lent time.
  @Test
  void lentTimeResumesFromTheStoredStatus() {
    CapacityReservation r = twoHeldSlots();
    f.at("2026-11-23T08:00:00Z");
    f.start(f.lend("gpu", "team-batch", "batch"));
    f.reconcile(r);
    f.at("2026-11-23T08:30:00Z");
    assertThat(f.reconcile(r).getAccrued().getLentSlotSeconds()).isEqualTo("1800");

    r.getStatus().getAccrued().setLentSlotSeconds(null);
    r.getStatus().getAccrued().setLentRateMillis(null);
    f.at("2026-11-23T09:00:00Z");
    ReservationAccrual older = f.reconcile(r).getAccrued();
    assertThat(older.getLentSlotSeconds()).isEqualTo("1800"); // 08:30-09:00 only
    assertThat(older.getLentCost()).isEqualTo("0.540000");
  }

  // docs/lending.md, "Restart": the loan line stored in the status brings the loan back in a
  // rebuilt engine, even when the borrower's event comes first; the slot stays lent, billed to the
  // borrower, and the borrower is not matched in its own namespace.
  @Test
  void aRecordedLoanSurvivesARestartAndKeepsAccruingAsLent() {
    CapacityReservation r = twoHeldSlots();
    f.at("2026-11-23T08:00:00Z");
    Pod batch = f.start(f.lend("gpu", "team-batch", "batch"));
    CapacityReservationStatus before = f.reconcile(r);
    assertThat(before.getLoans()).hasSize(1);
    assertThat(before.getLoans().get(0).getStarted()).isTrue();

    f.at("2026-11-23T09:00:00Z");
    ReservationEngine restarted = f.restart();
    restarted.podChanged(batch); // the borrower's event first: its lender's namespace is loaded
    assertThat(restarted.lenderOf("uid-batch")).isEqualTo(WindowedEngine.NS);
    assertThat(restarted.billingOf("team-batch", "uid-batch"))
        .isEqualTo(io.gpureservation.core.matching.PodBilling.NOT_STARTED);
    CapacityReservationStatus after = f.reconcile(r);
    assertThat(after.getLoans()).isEqualTo(before.getLoans());
    assertThat(after.getLent()).isEqualTo(1);
    assertThat(after.getIdle()).isEqualTo(1);
    assertThat(after.getAccrued().getLentSlotSeconds()).isEqualTo("3600");
  }
}
