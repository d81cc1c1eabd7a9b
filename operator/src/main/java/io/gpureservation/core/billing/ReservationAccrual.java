package io.gpureservation.core.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Accrued slot time and cost of one capacity reservation — an immutable value; {@link #advance}
 * returns the next value. Each slot is billed once per instant: idle slots at the reservation rate,
 * deducted (active) slots at the holding pod's pay-as-you-go rate, never both, never neither.
 *
 * <p>Time is counted in whole milliseconds ({@link Instant#toEpochMilli()}), so over any chain of
 * intervals {@code idleSlotMillis + activeSlotMillis = Σ slots × elapsed} exactly. Cost is kept as
 * the exact sum of {@code slots × millis × hourly rate}; {@link #idleCost()} and {@link
 * #activeCost()} divide it by 3,600,000 once, to {@link Money#PRORATED} (6) decimals HALF_UP, so no
 * rounding accumulates across steps. The exact sums themselves ({@link #idleRateMillis()}, {@link
 * #activeRateMillis()}: hourly rate × slot-milliseconds, the cost × 3,600,000) are what a status
 * persists, and {@link #restoreExact} resumes from them, so a chain of persisted steps rounds once
 * when shown, never per write. {@link #restore} (from rounded costs, at most 0.0000005 off per
 * restore) is only for a status written before the exact sums were kept.
 *
 * <p>Lent slots (docs/lending.md, "Money") are counted apart: {@link #lentSlotMillis()} at the
 * catalog's lending rate, billed to the borrowers, never to the reservation's owner — {@link
 * #totalCost()} is the owner's and leaves them out. With them, {@code idleSlotMillis +
 * activeSlotMillis + lentSlotMillis = Σ slots × elapsed} exactly ({@link #slotMillis()}).
 */
public final class ReservationAccrual {
  public static final ReservationAccrual ZERO =
      new ReservationAccrual(0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

  private final long idleSlotMillis;
  private final long activeSlotMillis;
  private final BigDecimal idleRateMillis;
  private final BigDecimal activeRateMillis;
  private final long lentSlotMillis;
  private final BigDecimal lentRateMillis;

  private ReservationAccrual(
      long idleSlotMillis,
      long activeSlotMillis,
      BigDecimal idleRateMillis,
      BigDecimal activeRateMillis) {
    this(idleSlotMillis, activeSlotMillis, idleRateMillis, activeRateMillis, 0, BigDecimal.ZERO);
  }

  private ReservationAccrual(
      long idleSlotMillis,
      long activeSlotMillis,
      BigDecimal idleRateMillis,
      BigDecimal activeRateMillis,
      long lentSlotMillis,
      BigDecimal lentRateMillis) {
    this.idleSlotMillis = idleSlotMillis;
    this.activeSlotMillis = activeSlotMillis;
    this.idleRateMillis = idleRateMillis;
    this.activeRateMillis = activeRateMillis;
    this.lentSlotMillis = lentSlotMillis;
    this.lentRateMillis = lentRateMillis;
  }

  /** Resumes from persisted totals (e.g. a reservation's status after an operator restart). */
  public static ReservationAccrual restore(
      long idleSlotMillis, long activeSlotMillis, BigDecimal idleCost, BigDecimal activeCost) {
    if (idleSlotMillis < 0 || activeSlotMillis < 0) {
      throw new IllegalArgumentException("slot milliseconds must not be negative");
    }
    Money.requireNonNegative(idleCost, "idleCost");
    Money.requireNonNegative(activeCost, "activeCost");
    return new ReservationAccrual(
        idleSlotMillis,
        activeSlotMillis,
        idleCost.multiply(Money.MILLIS_PER_HOUR),
        activeCost.multiply(Money.MILLIS_PER_HOUR));
  }

  /**
   * Resumes from persisted exact sums ({@link #idleRateMillis()}, {@link #activeRateMillis()}): no
   * rounding at all.
   */
  public static ReservationAccrual restoreExact(
      long idleSlotMillis,
      long activeSlotMillis,
      BigDecimal idleRateMillis,
      BigDecimal activeRateMillis) {
    if (idleSlotMillis < 0 || activeSlotMillis < 0) {
      throw new IllegalArgumentException("slot milliseconds must not be negative");
    }
    return new ReservationAccrual(
        idleSlotMillis,
        activeSlotMillis,
        Money.requireNonNegative(idleRateMillis, "idleRateMillis"),
        Money.requireNonNegative(activeRateMillis, "activeRateMillis"));
  }

  /**
   * {@link #restore(long, long, BigDecimal, BigDecimal)} from slot-seconds (at most 3 decimals).
   */
  public static ReservationAccrual restore(
      BigDecimal idleSlotSeconds,
      BigDecimal activeSlotSeconds,
      BigDecimal idleCost,
      BigDecimal activeCost) {
    return restore(
        millis(idleSlotSeconds, "idleSlotSeconds"),
        millis(activeSlotSeconds, "activeSlotSeconds"),
        idleCost,
        activeCost);
  }

  private static long millis(BigDecimal seconds, String field) {
    try {
      return Money.requireNonNegative(seconds, field).movePointRight(3).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(field + " must have at most 3 decimals: " + seconds);
    }
  }

  /**
   * Accrues the interval {@code [t0, t1)} during which {@code idleSlots} slots were idle and {@code
   * activeSlots} were deducted by pods.
   *
   * @param reservationHourlyRate price of one idle slot per hour
   * @param payAsYouGoHourlyRate price of one deducting pod per hour
   * @throws IllegalArgumentException if {@code t1} is before {@code t0}, a count or rate is
   *     negative
   */
  public ReservationAccrual advance(
      Instant t0,
      Instant t1,
      int idleSlots,
      int activeSlots,
      BigDecimal reservationHourlyRate,
      BigDecimal payAsYouGoHourlyRate) {
    long elapsed = t1.toEpochMilli() - t0.toEpochMilli();
    if (elapsed < 0) {
      throw new IllegalArgumentException("interval ends before it starts: " + t0 + " > " + t1);
    }
    if (idleSlots < 0 || activeSlots < 0) {
      throw new IllegalArgumentException("slot counts must not be negative");
    }
    return advance(
        t0,
        t1,
        idleSlots,
        activeSlots,
        0,
        reservationHourlyRate,
        payAsYouGoHourlyRate,
        BigDecimal.ZERO);
  }

  /**
   * As {@link #advance(Instant, Instant, int, int, BigDecimal, BigDecimal)}, with {@code lentSlots}
   * slots lent to borrowers at {@code lendingHourlyRate} per slot-hour (docs/lending.md, "Money").
   */
  public ReservationAccrual advance(
      Instant t0,
      Instant t1,
      int idleSlots,
      int activeSlots,
      int lentSlots,
      BigDecimal reservationHourlyRate,
      BigDecimal payAsYouGoHourlyRate,
      BigDecimal lendingHourlyRate) {
    long elapsed = t1.toEpochMilli() - t0.toEpochMilli();
    if (elapsed < 0) {
      throw new IllegalArgumentException("interval ends before it starts: " + t0 + " > " + t1);
    }
    if (idleSlots < 0 || activeSlots < 0 || lentSlots < 0) {
      throw new IllegalArgumentException("slot counts must not be negative");
    }
    Money.requireNonNegative(reservationHourlyRate, "reservationHourlyRate");
    Money.requireNonNegative(payAsYouGoHourlyRate, "payAsYouGoHourlyRate");
    Money.requireNonNegative(lendingHourlyRate, "lendingHourlyRate");
    long idleMillis = Math.multiplyExact(elapsed, idleSlots);
    long activeMillis = Math.multiplyExact(elapsed, activeSlots);
    long lentMillis = Math.multiplyExact(elapsed, lentSlots);
    return new ReservationAccrual(
        Math.addExact(idleSlotMillis, idleMillis),
        Math.addExact(activeSlotMillis, activeMillis),
        idleRateMillis.add(reservationHourlyRate.multiply(BigDecimal.valueOf(idleMillis))),
        activeRateMillis.add(payAsYouGoHourlyRate.multiply(BigDecimal.valueOf(activeMillis))),
        Math.addExact(lentSlotMillis, lentMillis),
        lentRateMillis.add(lendingHourlyRate.multiply(BigDecimal.valueOf(lentMillis))));
  }

  /** Resumes from persisted exact sums, lent slots included: no rounding at all. */
  public static ReservationAccrual restoreExact(
      long idleSlotMillis,
      long activeSlotMillis,
      long lentSlotMillis,
      BigDecimal idleRateMillis,
      BigDecimal activeRateMillis,
      BigDecimal lentRateMillis) {
    if (lentSlotMillis < 0) {
      throw new IllegalArgumentException("slot milliseconds must not be negative");
    }
    ReservationAccrual owner =
        restoreExact(idleSlotMillis, activeSlotMillis, idleRateMillis, activeRateMillis);
    return new ReservationAccrual(
        owner.idleSlotMillis,
        owner.activeSlotMillis,
        owner.idleRateMillis,
        owner.activeRateMillis,
        lentSlotMillis,
        Money.requireNonNegative(lentRateMillis, "lentRateMillis"));
  }

  /** Lent slot time in milliseconds (exact), billed to borrowers. */
  public long lentSlotMillis() {
    return lentSlotMillis;
  }

  /** Exact Σ lending rate × lent slot-milliseconds (the lent cost × 3,600,000). */
  public BigDecimal lentRateMillis() {
    return lentRateMillis;
  }

  /** Lent slot-seconds, exact (scale 3). */
  public BigDecimal lentSlotSeconds() {
    return Money.seconds(lentSlotMillis);
  }

  /** What borrowers pay for the lent slots, 6 decimals HALF_UP; never part of the owner's cost. */
  public BigDecimal lentCost() {
    return Money.perHour(lentRateMillis);
  }

  /**
   * Every slot-millisecond accrued, in whichever state: idle + active + lent. Equal to Σ slots ×
   * elapsed over the chain of intervals — the "billed exactly once" invariant in time.
   */
  public long slotMillis() {
    return Math.addExact(Math.addExact(idleSlotMillis, activeSlotMillis), lentSlotMillis);
  }

  /** Idle slot time in milliseconds (exact). */
  public long idleSlotMillis() {
    return idleSlotMillis;
  }

  /** Deducted slot time in milliseconds (exact). */
  public long activeSlotMillis() {
    return activeSlotMillis;
  }

  /** Exact Σ reservation rate × idle slot-milliseconds (the idle cost × 3,600,000). */
  public BigDecimal idleRateMillis() {
    return idleRateMillis;
  }

  /** Exact Σ pay-as-you-go rate × deducted slot-milliseconds (the active cost × 3,600,000). */
  public BigDecimal activeRateMillis() {
    return activeRateMillis;
  }

  /** Idle slot-seconds, exact (scale 3). */
  public BigDecimal idleSlotSeconds() {
    return Money.seconds(idleSlotMillis);
  }

  /** Deducted slot-seconds, exact (scale 3). */
  public BigDecimal activeSlotSeconds() {
    return Money.seconds(activeSlotMillis);
  }

  /** Cost of idle slots at the reservation rate, 6 decimals HALF_UP. */
  public BigDecimal idleCost() {
    return Money.perHour(idleRateMillis);
  }

  /** Cost of deducted slots at the pods' pay-as-you-go rate, 6 decimals HALF_UP. */
  public BigDecimal activeCost() {
    return Money.perHour(activeRateMillis);
  }

  /** Idle plus active cost, rounded once from the exact sum (6 decimals HALF_UP). */
  public BigDecimal totalCost() {
    return Money.perHour(idleRateMillis.add(activeRateMillis));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReservationAccrual other
        && idleSlotMillis == other.idleSlotMillis
        && activeSlotMillis == other.activeSlotMillis
        && idleRateMillis.compareTo(other.idleRateMillis) == 0
        && activeRateMillis.compareTo(other.activeRateMillis) == 0
        && lentSlotMillis == other.lentSlotMillis
        && lentRateMillis.compareTo(other.lentRateMillis) == 0;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(idleSlotMillis) * 31 + Long.hashCode(activeSlotMillis);
  }

  @Override
  public String toString() {
    return "ReservationAccrual[idle="
        + idleSlotSeconds()
        + "s/"
        + idleCost()
        + ", active="
        + activeSlotSeconds()
        + "s/"
        + activeCost()
        + (lentSlotMillis == 0 ? "" : ", lent=" + lentSlotSeconds() + "s/" + lentCost())
        + "]";
  }
}
