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
}
