package io.gpureservation.core.planner;

import io.gpureservation.core.billing.Money;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What lending the idle slots of a reservation option would have earned on the trace
 * (docs/planner.md, "Lending"): borrowers fill {@code borrowFillPercent} % of the slot time the
 * option's reservations were live and not used by the trace's pods, at the catalog's lending rate
 * (docs/lending.md, "Slot states and money"). Each amount is an exact product divided once by
 * 3,600,000 to 6 decimals, HALF_UP ({@link Money#perHour}); cents HALF_UP on display.
 *
 * @param idleSlotMillis idle slot time of the option's reservations over the trace
 * @param borrowFillPercent the share of it borrowers would have filled, 0..100
 * @param lendingRate what a borrower pays per slot-hour (cards × the per-card lending rate)
 * @param reservationRate what the owner pays per idle slot-hour, and not while a slot is lent
 */
public record LendingEstimate(
    long idleSlotMillis,
    BigDecimal borrowFillPercent,
    BigDecimal lendingRate,
    BigDecimal reservationRate) {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  public LendingEstimate {
    Objects.requireNonNull(lendingRate, "lendingRate");
    Objects.requireNonNull(reservationRate, "reservationRate");
    requirePercent(borrowFillPercent);
    if (idleSlotMillis < 0) {
      throw new IllegalArgumentException("idleSlotMillis must not be negative: " + idleSlotMillis);
    }
  }

  /**
   * Refuses a borrow fill outside 0..100 with a message naming the value.
   *
   * @return the value
   */
  public static BigDecimal requirePercent(BigDecimal borrowFillPercent) {
    Objects.requireNonNull(borrowFillPercent, "borrowFillPercent");
    if (borrowFillPercent.signum() < 0 || borrowFillPercent.compareTo(HUNDRED) > 0) {
      throw new IllegalArgumentException(
          "borrow fill must be a percent between 0 and 100: " + borrowFillPercent.toPlainString());
    }
    return borrowFillPercent;
  }

  /** Idle slot-hours, 6 decimals HALF_UP. */
  public BigDecimal idleSlotHours() {
    return Money.hours(idleSlotMillis);
  }

  /** Slot-hours borrowers would have run on: idle × fill / 100, 6 decimals HALF_UP. */
  public BigDecimal lentSlotHours() {
    return Money.perHour(lentSlotMillis());
  }

  /** What borrowers would have paid: the lending rate × the lent slot time. */
  public BigDecimal earned() {
    return Money.perHour(lendingRate.multiply(lentSlotMillis()));
  }

  /** The owner's idle time it would not have paid (a lent slot costs the owner nothing). */
  public BigDecimal ownerSaving() {
    return Money.perHour(reservationRate.multiply(lentSlotMillis()));
  }

  // exact: a share of the idle milliseconds, possibly a fraction of one
  private BigDecimal lentSlotMillis() {
    return BigDecimal.valueOf(idleSlotMillis).multiply(borrowFillPercent).divide(HUNDRED);
  }
}
