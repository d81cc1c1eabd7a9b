package io.gpureservation.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.billing.ReservationAccrual;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * docs/planner.md "Lending": idle slot time × the borrow fill × the lending rate, exact, divided
 * once by 3,600,000 to 6 decimals HALF_UP. L20 x1 example rates: lending 1.08 (60 % of 1.80),
 * reservation 0.54 per slot-hour.
 */
class LendingEstimateTest {
  private static final BigDecimal LENDING = new BigDecimal("1.08");
  private static final BigDecimal RESERVATION = new BigDecimal("0.54");
  private static final long HOUR = Duration.ofHours(1).toMillis();

  private static LendingEstimate estimate(long idleMillis, String percent) {
    return new LendingEstimate(idleMillis, new BigDecimal(percent), LENDING, RESERVATION);
  }

  @Test
  void halfOfFortyIdleSlotHoursEarnsTwentyHoursAtTheLendingRate() {
    LendingEstimate e = estimate(40 * HOUR, "50");
    assertThat(e.idleSlotHours()).isEqualByComparingTo("40");
    assertThat(e.lentSlotHours()).isEqualByComparingTo("20");
    // 20 x 1.08; the owner does not pay 20 x 0.54 of idle time
    assertThat(e.earned()).isEqualTo(new BigDecimal("21.600000"));
    assertThat(e.ownerSaving()).isEqualTo(new BigDecimal("10.800000"));
  }

  @Test
  void aFractionalFillIsExactUntilTheOneDivision() {
    // 12 h x 33.3 % = 14,385,600 ms = 3.996 slot-hours; x 1.08 = 4.31568; x 0.54 = 2.15784
    LendingEstimate e = estimate(12 * HOUR, "33.3");
    assertThat(e.lentSlotHours()).isEqualTo(new BigDecimal("3.996000"));
    assertThat(e.earned()).isEqualTo(new BigDecimal("4.315680"));
    assertThat(e.ownerSaving()).isEqualTo(new BigDecimal("2.157840"));
  }

  @Test
  void sixDecimalsRoundHalfUp() {
    // 1 ms x 100 % x 1.80 / 3,600,000 = 0.0000005: HALF_UP gives 0.000001 (HALF_EVEN would not)
    LendingEstimate e =
        new LendingEstimate(1, new BigDecimal("100"), new BigDecimal("1.80"), LENDING);
    assertThat(e.earned()).isEqualTo(new BigDecimal("0.000001"));
    // 1 ms x 50 % x 1.08 = 0.00000015 per hour: below half a millionth, 0
    assertThat(estimate(1, "50").earned()).isEqualTo(new BigDecimal("0.000000"));
  }

  @Test
  void aFullFillIsWhatTheOperatorsAccrualBillsForLentSlots() {
    // the same slot time accrued as lent (borrowers) and as idle (the owner's, not paid when lent)
    long idle = 7 * HOUR + 1_234;
    LendingEstimate e = estimate(idle, "100");
    ReservationAccrual lent =
        ReservationAccrual.ZERO.advance(
            Instant.EPOCH, Instant.ofEpochMilli(idle), 0, 0, 1, RESERVATION, RESERVATION, LENDING);
    ReservationAccrual owner =
        ReservationAccrual.ZERO.advance(
            Instant.EPOCH, Instant.ofEpochMilli(idle), 1, 0, RESERVATION, RESERVATION);
    assertThat(e.earned()).isEqualTo(lent.lentCost());
    assertThat(e.ownerSaving()).isEqualTo(owner.idleCost());
  }

  @Test
  void noFillEarnsNothing() {
    assertThat(estimate(40 * HOUR, "0").earned()).isZero();
  }

  @Test
  void aFillOutsideZeroToHundredIsRefused() {
    assertThatThrownBy(() -> estimate(HOUR, "100.01"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("borrow fill must be a percent between 0 and 100: 100.01");
    assertThatThrownBy(() -> estimate(HOUR, "-1"))
        .hasMessage("borrow fill must be a percent between 0 and 100: -1");
  }
}
