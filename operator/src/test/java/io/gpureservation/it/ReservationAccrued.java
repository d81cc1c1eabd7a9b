package io.gpureservation.it;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** A reservation's {@code status.accrued} as the API server stores it, as exact numbers. */
record ReservationAccrued(
    Instant until,
    long idleMillis,
    long activeMillis,
    long unheldMillis,
    BigDecimal idleRateMillis,
    BigDecimal activeRateMillis,
    BigDecimal idleCost,
    BigDecimal activeCost) {
  @SuppressWarnings("unchecked")
  static ReservationAccrued of(Map<String, Object> status) {
    Map<String, Object> a = (Map<String, Object>) status.get("accrued");
    return new ReservationAccrued(
        Instant.parse((String) a.get("accruedUntil")),
        millis(a.get("idleSlotSeconds")),
        millis(a.get("activeSlotSeconds")),
        millis(a.get("unheldSlotSeconds")),
        new BigDecimal((String) a.get("idleRateMillis")),
        new BigDecimal((String) a.get("activeRateMillis")),
        new BigDecimal((String) a.get("idleCost")),
        new BigDecimal((String) a.get("activeCost")));
  }

  private static long millis(Object seconds) {
    return new BigDecimal((String) seconds).movePointRight(3).longValueExact();
  }

  BigDecimal cost() {
    return idleCost.add(activeCost);
  }
}
