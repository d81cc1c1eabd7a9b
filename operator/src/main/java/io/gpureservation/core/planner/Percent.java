package io.gpureservation.core.planner;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Percentages in a plan: 1 decimal, HALF_UP. */
final class Percent {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Percent() {}

  static BigDecimal of(long part, long whole) {
    return of(BigDecimal.valueOf(part), BigDecimal.valueOf(whole));
  }

  static BigDecimal of(BigDecimal part, BigDecimal whole) {
    return part.multiply(HUNDRED).divide(whole, 1, RoundingMode.HALF_UP);
  }
}
