package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

  /**
   * Idle + unheld + active + lent slot-milliseconds of a stored status: every slot, all the time
   * accrued (docs/lending.md, "Accrual").
   */
  @SuppressWarnings("unchecked")
  static long slotMillis(Map<String, Object> status) {
    Map<String, Object> a = (Map<String, Object>) status.get("accrued");
    long total = 0;
    for (String kind : List.of("idle", "unheld", "active", "lent")) {
      Object seconds = a.get(kind + "SlotSeconds");
      total += seconds == null ? 0 : millis(seconds);
    }
    return total;
  }

  /**
   * Waits until the reservation holds its {@code slots} and has an accrual, and returns when that
   * accrual began ({@link #start}). The first status read may already hold some accrual:
   * conservation counts from there (OperatorCrashIT).
   */
  static Instant awaitStart(RealCluster cluster, String namespace, String name, int slots) {
    ReservationStatus.await(
        cluster, namespace, name, s -> assertThat(s.get("held")).isEqualTo(slots));
    Map<String, Object> first =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> ReservationStatus.read(cluster, namespace, name),
                s -> s.get("accrued") instanceof Map<?, ?> a && a.get("accruedUntil") != null);
    return start(first, slots);
  }

  /**
   * When the accrual of a status of a constant {@code slots} began: its accruedUntil less its slot
   * time per slot. A later status of the same slots accrues every millisecond since then exactly
   * once.
   */
  @SuppressWarnings("unchecked")
  static Instant start(Map<String, Object> status, int slots) {
    Map<String, Object> a = (Map<String, Object>) status.get("accrued");
    return Instant.parse((String) a.get("accruedUntil")).minusMillis(slotMillis(status) / slots);
  }

  /**
   * Asserts that a status of {@code slots} accrued every millisecond since {@code start} exactly
   * once, and that its lent time (some, when {@code lent}) is billed at its exact rate: lentCost =
   * lentRateMillis / 3,600,000, 6 decimals HALF_UP.
   */
  @SuppressWarnings("unchecked")
  static void assertConserved(Map<String, Object> status, Instant start, int slots, boolean lent) {
    Map<String, Object> a = (Map<String, Object>) status.get("accrued");
    long elapsed =
        Instant.parse((String) a.get("accruedUntil")).toEpochMilli() - start.toEpochMilli();
    assertThat(slotMillis(status)).as("slot-milliseconds").isEqualTo(elapsed * slots);
    if (lent) {
      assertThat(millis(a.get("lentSlotSeconds"))).as("lent milliseconds").isPositive();
      BigDecimal rateMillis = new BigDecimal((String) a.get("lentRateMillis"));
      assertThat(new BigDecimal((String) a.get("lentCost")))
          .isEqualByComparingTo(
              rateMillis.divide(BigDecimal.valueOf(3_600_000), 6, RoundingMode.HALF_UP));
    }
  }
}
