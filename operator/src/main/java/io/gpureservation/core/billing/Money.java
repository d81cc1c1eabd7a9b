package io.gpureservation.core.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;

/** The few rounding rules shared by the pricing models, in one place. */
public final class Money {
  /** Scale of a payable amount: cents. */
  public static final int CENTS = 2;

  /**
   * Scale of a time-prorated amount (rate per hour × milliseconds): 6 decimals, HALF_UP — well
   * below a cent, so summing a month of prorated lines and rounding to cents stays exact to the
   * cent.
   */
  public static final int PRORATED = 6;

  static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000L);
  private static final BigDecimal MILLIS_PER_SECOND = BigDecimal.valueOf(1000);

  private Money() {}

  /** {@code amount} rounded to cents, HALF_UP. */
  public static BigDecimal cents(BigDecimal amount) {
    return amount.setScale(CENTS, RoundingMode.HALF_UP);
  }

  /** Exact sum of the lines' amounts. */
  public static BigDecimal sum(Collection<LineItem> lines) {
    return lines.stream().map(LineItem::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Exact seconds of a millisecond count (scale 3). */
  public static BigDecimal seconds(long millis) {
    return BigDecimal.valueOf(millis).divide(MILLIS_PER_SECOND);
  }

  /** Hours of a millisecond count, {@link #PRORATED} decimals HALF_UP. */
  public static BigDecimal hours(long millis) {
    return perHour(BigDecimal.valueOf(millis));
  }

  /**
   * {@code hourlyRate × millis / 3,600,000} from the exact product {@code rateTimesMillis}, rounded
   * to {@link #PRORATED} decimals HALF_UP (the only division of a prorated charge).
   */
  public static BigDecimal perHour(BigDecimal rateTimesMillis) {
    return rateTimesMillis.divide(MILLIS_PER_HOUR, PRORATED, RoundingMode.HALF_UP);
  }

  /** {@code value} as a whole number rounded up (CEILING), e.g. a cycle's CU. */
  public static BigDecimal ceilWhole(BigDecimal value) {
    return value.setScale(0, RoundingMode.CEILING);
  }

  /** Non-negative check that names the offending field. */
  public static BigDecimal requireNonNegative(BigDecimal value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    if (value.signum() < 0) {
      throw new IllegalArgumentException(field + " must not be negative: " + value.toPlainString());
    }
    return value;
  }
}
