package io.gpureservation.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReservationAccrualTest {
  private static final BigDecimal RESERVATION = new BigDecimal("0.54");
  private static final BigDecimal PAYG = new BigDecimal("1.80");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Conservation law: over any chain of intervals, idle + active = slots × elapsed, exactly. */
  @Test
  void conservation_idlePlusActiveSlotTimeIsSlotsTimesElapsed() {
    Random random = new Random(20260101L);
    for (int run = 0; run < 200; run++) {
      int slots = 1 + random.nextInt(16);
      ReservationAccrual accrual = ReservationAccrual.ZERO;
      Instant t = T0;
      for (int step = 0; step < 50; step++) {
        // sub-millisecond instants too: time is counted in whole epoch milliseconds
        Instant next = t.plusNanos(random.nextLong(0, 7_200_000_000_000L));
        int active = random.nextInt(slots + 1);
        accrual = accrual.advance(t, next, slots - active, active, RESERVATION, PAYG);
        t = next;
      }
      long elapsed = t.toEpochMilli() - T0.toEpochMilli();
      assertThat(accrual.idleSlotMillis() + accrual.activeSlotMillis()).isEqualTo(slots * elapsed);
      assertThat(accrual.idleSlotSeconds().add(accrual.activeSlotSeconds()))
          .isEqualByComparingTo(Money.seconds(slots * elapsed));
    }
  }

  @Test
  void eachSlotIsBilledOncePerInstant_idleAtReservationRate_activeAtPodRate() {
    // 2 slots for 1 h: 1 idle, 1 deducted → 0.54 + 1.80
    ReservationAccrual a =
        ReservationAccrual.ZERO.advance(T0, T0.plusSeconds(3600), 1, 1, RESERVATION, PAYG);
    assertThat(a.idleSlotSeconds()).isEqualByComparingTo("3600");
    assertThat(a.activeSlotSeconds()).isEqualByComparingTo("3600");
    assertThat(a.idleCost()).isEqualByComparingTo("0.54");
    assertThat(a.activeCost()).isEqualByComparingTo("1.80");
    assertThat(a.totalCost()).isEqualByComparingTo("2.34");
  }

  @Test
  void costIsRoundedOnceNotPerStep() {
    // 3,600 steps of 1 s at 0.01/h: each step alone would be 0.0000027…, the sum is 0.01 exactly
    ReservationAccrual a = ReservationAccrual.ZERO;
    for (int s = 0; s < 3600; s++) {
      a = a.advance(T0.plusSeconds(s), T0.plusSeconds(s + 1), 1, 0, new BigDecimal("0.01"), PAYG);
    }
    assertThat(a.idleCost()).isEqualByComparingTo("0.01");
  }

  @Test
  void restore_continuesFromPersistedTotals() {
    ReservationAccrual before =
        ReservationAccrual.ZERO.advance(T0, T0.plusSeconds(1800), 2, 0, RESERVATION, PAYG);
    ReservationAccrual restored =
        ReservationAccrual.restore(
            before.idleSlotMillis(),
            before.activeSlotMillis(),
            before.idleCost(),
            before.activeCost());
    assertThat(restored).isEqualTo(before);
    assertThat(
            ReservationAccrual.restore(
                before.idleSlotSeconds(),
                before.activeSlotSeconds(),
                before.idleCost(),
                before.activeCost()))
        .isEqualTo(before);
    ReservationAccrual after =
        restored.advance(T0.plusSeconds(1800), T0.plusSeconds(3600), 0, 2, RESERVATION, PAYG);
    assertThat(after.idleCost()).isEqualByComparingTo("0.54");
    assertThat(after.activeCost()).isEqualByComparingTo("1.80");
  }

  @Test
  void refusesBackwardsIntervalsAndNegativeInput() {
    assertThatThrownBy(
            () -> ReservationAccrual.ZERO.advance(T0.plusSeconds(1), T0, 1, 0, RESERVATION, PAYG))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReservationAccrual.ZERO.advance(T0, T0, -1, 0, RESERVATION, PAYG))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> ReservationAccrual.ZERO.advance(T0, T0, 1, 0, RESERVATION.negate(), PAYG))
        .hasMessageStartingWith("reservationHourlyRate");
  }

  /**
   * A status is written every second for 10,000 seconds (1 idle T4 slot at the example rate of 0.21
   * an hour): resuming from the persisted exact sums gives 0.21 x 10,000 / 3,600 = 0.583333
   * (rounded once), where resuming from 6-decimal costs would drift to 0.58.
   */
  @Test
  void resumingFromPersistedExactSumsRoundsOnceNotPerWrite() {
    BigDecimal rate = new BigDecimal("0.21");
    ReservationAccrual exact = ReservationAccrual.ZERO;
    ReservationAccrual rounded = ReservationAccrual.ZERO;
    Instant t = T0;
    for (int step = 0; step < 10_000; step++) {
      Instant next = t.plusSeconds(1);
      ReservationAccrual e = exact.advance(t, next, 1, 0, rate, PAYG);
      exact =
          ReservationAccrual.restoreExact(
              e.idleSlotMillis(),
              e.activeSlotMillis(),
              new BigDecimal(e.idleRateMillis().toPlainString()),
              new BigDecimal(e.activeRateMillis().toPlainString()));
      ReservationAccrual r = rounded.advance(t, next, 1, 0, rate, PAYG);
      rounded =
          ReservationAccrual.restore(
              r.idleSlotMillis(),
              r.activeSlotMillis(),
              new BigDecimal(r.idleCost().toPlainString()),
              new BigDecimal(r.activeCost().toPlainString()));
      t = next;
    }

    assertThat(exact.idleCost()).isEqualByComparingTo("0.583333");
    assertThat(rounded.idleCost()).isEqualByComparingTo("0.580000");
  }

  /** docs/lending.md "Money": lent slots are the borrowers', never in the owner's total. */
  @Test
  void lentSlotsAreCountedApartAndLeftOutOfTheOwnersCost() {
    BigDecimal lending = new BigDecimal("1.08");
    ReservationAccrual a =
        ReservationAccrual.ZERO.advance(
            T0, T0.plusSeconds(3600), 1, 1, 2, new BigDecimal("0.54"), PAYG, lending);

    assertThat(a.slotMillis()).isEqualTo(4L * 3_600_000);
    assertThat(a.lentSlotSeconds()).isEqualByComparingTo("7200");
    assertThat(a.lentCost()).isEqualByComparingTo("2.160000");
    assertThat(a.totalCost()).isEqualByComparingTo(a.idleCost().add(a.activeCost()));
    assertThat(
            ReservationAccrual.restoreExact(
                a.idleSlotMillis(),
                a.activeSlotMillis(),
                a.lentSlotMillis(),
                a.idleRateMillis(),
                a.activeRateMillis(),
                a.lentRateMillis()))
        .isEqualTo(a);
    assertThatThrownBy(() -> ReservationAccrual.ZERO.advance(T0, T0, 0, 0, -1, PAYG, PAYG, lending))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
