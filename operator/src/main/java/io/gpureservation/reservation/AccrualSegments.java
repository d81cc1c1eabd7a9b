package io.gpureservation.reservation;

import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.ReservationAccrual;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.window.LivePeriods;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Advances a reservation's accrual from the stored status to now, exactly at the edges of its live
 * periods (docs/time-windows.md, "Accrual"): over {@code [accruedUntil, first edge)} the stored
 * status's counts apply, after the edge the counts being written now; only live time accrues.
 * Before windows existed the only edge was releaseAt, where slots stop costing however late the
 * expiry is processed. Lent slots (docs/lending.md, "Money") accrue apart, at the lending rate:
 * idle + unheld + active + lent slot time = live slots × live time, to the millisecond.
 */
final class AccrualSegments {
  private final Catalog catalog;
  private final ReservationShapes.Resolution resolution;
  private final String region;

  private io.gpureservation.core.billing.ReservationAccrual accrual =
      io.gpureservation.core.billing.ReservationAccrual.ZERO;
  private long unheldMillis;

  AccrualSegments(Catalog catalog, ReservationShapes.Resolution resolution, String region) {
    this.catalog = catalog;
    this.resolution = resolution;
    this.region = region;
  }

  ReservationAccrual accrue(
      CapacityReservationStatus previous, CapacityReservationStatus next, Instant now) {
    // Nothing accrues after releaseAt: an expired reservation's accrual ends there, and its status
    // stops changing (docs/capacity-reservation.md, "Accrual").
    Instant releaseAt = resolution.ok() ? resolution.periods().releaseAt() : null;
    if (releaseAt != null && releaseAt.isBefore(now)) {
      now = releaseAt;
    }
    ReservationAccrual before = previous.getAccrued();
    Instant from = now;
    if (before != null && before.getAccruedUntil() != null) {
      accrual = restore(before);
      from = Instant.parse(before.getAccruedUntil());
      unheldMillis = millis(before.getUnheldSlotSeconds());
    }
    if (resolution.ok() && from.isBefore(now)) {
      LivePeriods periods = resolution.periods();
      Instant edge = periods.firstChange(from, now).map(LivePeriods.Edge::at).orElse(now);
      segment(periods, from, edge, previous);
      // past the first edge the counts are those written now (the matcher changed at the edge)
      for (Instant cursor = edge; cursor.isBefore(now); ) {
        Instant end = periods.firstChange(cursor, now).map(LivePeriods.Edge::at).orElse(now);
        segment(periods, cursor, end, next);
        cursor = end;
      }
    }
    return result(from.isAfter(now) ? from : now);
  }

  // [t0, t1) with one status's counts; nothing accrues outside the live periods.
  private void segment(
      LivePeriods periods, Instant t0, Instant t1, CapacityReservationStatus counts) {
    if (!t0.isBefore(t1) || !periods.isLive(t0)) {
      return;
    }
    int unheld = Math.max(0, count(counts.getIdle()) - heldIdle(counts));
    unheldMillis += unheld * (t1.toEpochMilli() - t0.toEpochMilli());
    String type = resolution.shape().cardType();
    int cards = resolution.shape().cards();
    // a lent slot is neither idle nor active: billed to its borrower at the lending rate, never to
    // the owner (docs/lending.md, "Money")
    accrual =
        accrual.advance(
            t0,
            t1,
            heldIdle(counts),
            count(counts.getActive()),
            count(counts.getLent()),
            catalog.reservationHourlyRate(type, cards, region).orElse(BigDecimal.ZERO),
            catalog.payAsYouGoHourlyRate(type, cards, region).orElse(BigDecimal.ZERO),
            catalog.lendingHourlyRate(type, cards, region).orElse(BigDecimal.ZERO));
  }

  private ReservationAccrual result(Instant until) {
    ReservationAccrual result = new ReservationAccrual();
    result.setAccruedUntil(until.toString());
    result.setIdleSlotSeconds(accrual.idleSlotSeconds().toPlainString());
    result.setActiveSlotSeconds(accrual.activeSlotSeconds().toPlainString());
    result.setUnheldSlotSeconds(BigDecimal.valueOf(unheldMillis, 3).toPlainString());
    result.setIdleCost(accrual.idleCost().toPlainString());
    result.setActiveCost(accrual.activeCost().toPlainString());
    result.setIdleRateMillis(accrual.idleRateMillis().toPlainString());
    result.setActiveRateMillis(accrual.activeRateMillis().toPlainString());
    result.setLentSlotSeconds(accrual.lentSlotSeconds().toPlainString());
    result.setLentCost(accrual.lentCost().toPlainString());
    result.setLentRateMillis(accrual.lentRateMillis().toPlainString());
    result.setCurrency(catalog.currency());
    return result;
  }

  // The exact sums when the status has them; rounded costs only from an older status.
  private static io.gpureservation.core.billing.ReservationAccrual restore(
      ReservationAccrual before) {
    long idle = millis(before.getIdleSlotSeconds());
    long active = millis(before.getActiveSlotSeconds());
    if (before.getIdleRateMillis() != null && before.getActiveRateMillis() != null) {
      // a status written before lending has no lent time: none was lent
      return io.gpureservation.core.billing.ReservationAccrual.restoreExact(
          idle,
          active,
          millis(before.getLentSlotSeconds()),
          new BigDecimal(before.getIdleRateMillis()),
          new BigDecimal(before.getActiveRateMillis()),
          decimal(before.getLentRateMillis()));
    }
    return io.gpureservation.core.billing.ReservationAccrual.restore(
        idle, active, decimal(before.getIdleCost()), decimal(before.getActiveCost()));
  }

  // An idle slot costs the reservation rate only while its capacity is held
  // (docs/billing.md "Capacity reservations"); a status written before holding existed has no
  // held count, and all its idle slots counted.
  private static int heldIdle(CapacityReservationStatus status) {
    return status.getHeld() != null ? status.getHeld() : count(status.getIdle());
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }

  private static long millis(String seconds) {
    return seconds == null ? 0 : new BigDecimal(seconds).movePointRight(3).longValueExact();
  }

  private static BigDecimal decimal(String amount) {
    return amount == null ? BigDecimal.ZERO : new BigDecimal(amount);
  }
}
