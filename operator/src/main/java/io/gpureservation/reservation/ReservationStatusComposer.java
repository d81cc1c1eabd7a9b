package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Condition;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.ReservationAccrual;
import io.gpureservation.api.v1alpha1.SlotHolding;
import io.gpureservation.cluster.Conditions;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.Holding;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Builds a reservation's whole status from the matcher's ledger, the previous status (for accrual
 * and condition transition times) and the time. One composer serves every writer, so no writer can
 * clobber another's fields.
 */
final class ReservationStatusComposer {
  private final Catalog catalog;

  ReservationStatusComposer(Catalog catalog) {
    this.catalog = catalog;
  }

  CapacityReservationStatus compose(
      CapacityReservation r,
      ReservationShapes.Resolution resolution,
      SlotsView slots,
      Instant now) {
    CapacityReservationStatus previous =
        r.getStatus() == null ? new CapacityReservationStatus() : r.getStatus();
    List<Holding> ledger = slots.ledger();
    CapacityReservationStatus next = new CapacityReservationStatus();
    next.setObservedGeneration(r.getMetadata().getGeneration());
    next.setLedger(
        ledger.stream()
            .map(h -> new SlotHolding(h.slot(), h.podName(), h.podUid(), h.since().toString()))
            .toList());
    next.setActive(ledger.size());
    next.setIdle(slots.idle());
    if (resolution.ok()) {
      next.setSlotCpu(resolution.shape().cpuMillis() + "m");
      next.setSlotMemory(String.valueOf(resolution.shape().memoryBytes()));
    }
    boolean expired = ReservationShapes.isExpired(r, now);
    next.setPhase(
        expired ? CapacityReservationStatus.PHASE_EXPIRED : CapacityReservationStatus.PHASE_ACTIVE);
    next.setExpiredAt(expired ? expiredAt(previous, r, now) : null);
    next.setLockInEnded(LockIn.ended(r, previous, now));
    Instant releaseAt = ReservationShapes.releaseAt(r);
    // Slots stop costing at releaseAt exactly, however late the expiry is processed.
    Instant accrueTo = expired && releaseAt != null && releaseAt.isBefore(now) ? releaseAt : now;
    next.setAccrued(accrue(previous, resolution, r.getSpec().getRegion(), accrueTo));
    next.setConditions(
        pricing(r, readiness(r, previous, resolution, expired, now), resolution, now));
    return next;
  }

  // Billing is never silently zero: without both rates the cost fields say nothing, and this
  // condition (the Price column of `kubectl get gcr`) says which catalog entry to add.
  private List<Condition> pricing(
      CapacityReservation r,
      List<Condition> conditions,
      ReservationShapes.Resolution resolution,
      Instant now) {
    Long generation = r.getMetadata().getGeneration();
    if (!resolution.ok()) {
      return conditions.stream()
          .filter(c -> !CapacityReservationConditions.PRICE_KNOWN.equals(c.getType()))
          .toList();
    }
    String type = resolution.shape().cardType();
    int cards = resolution.shape().cards();
    boolean known =
        catalog.reservationHourlyRate(type, cards, r.getSpec().getRegion()).isPresent()
            && catalog.payAsYouGoHourlyRate(type, cards, r.getSpec().getRegion()).isPresent();
    String message =
        known
            ? "the catalog prices " + cards + " x " + type + " idle and active slots"
            : "the catalog has no rate for "
                + cards
                + " x "
                + type
                + ": cost stays 0 until the catalog (CATALOG_FILE, Helm value catalog) has"
                + " cardTypes."
                + type
                + ".exampleRates (reservationPerCardHour, payAsYouGoPerCardHour) and a spec"
                + " with cards: "
                + cards;
    return Conditions.set(
        conditions,
        CapacityReservationConditions.PRICE_KNOWN,
        known,
        known
            ? CapacityReservationConditions.REASON_RATES_FOUND
            : CapacityReservationConditions.REASON_RATE_MISSING,
        message,
        generation,
        now);
  }

  private static String expiredAt(
      CapacityReservationStatus previous, CapacityReservation r, Instant now) {
    if (previous.getExpiredAt() != null) {
      return previous.getExpiredAt();
    }
    Instant at = ReservationShapes.releaseAt(r);
    return (at == null ? now : at).toString();
  }

  private static List<Condition> readiness(
      CapacityReservation r,
      CapacityReservationStatus previous,
      ReservationShapes.Resolution resolution,
      boolean expired,
      Instant now) {
    Long generation = r.getMetadata().getGeneration();
    if (!resolution.ok()) {
      return Conditions.set(
          previous.getConditions(),
          CapacityReservationConditions.READY,
          false,
          resolution.problemReason(),
          resolution.problemMessage(),
          generation,
          now);
    }
    if (expired) {
      return Conditions.set(
          previous.getConditions(),
          CapacityReservationConditions.READY,
          false,
          CapacityReservationConditions.REASON_EXPIRED,
          "the reservation reached spec.releaseAt; its slots are released",
          generation,
          now);
    }
    return Conditions.set(
        previous.getConditions(),
        CapacityReservationConditions.READY,
        true,
        CapacityReservationConditions.REASON_ACTIVE,
        "slots are offered to matching pods",
        generation,
        now);
  }

  // Over [accruedUntil, now) the counts were those of the previous status: accrue them.
  private ReservationAccrual accrue(
      CapacityReservationStatus previous,
      ReservationShapes.Resolution resolution,
      String region,
      Instant now) {
    ReservationAccrual before = previous.getAccrued();
    io.gpureservation.core.billing.ReservationAccrual accrual =
        io.gpureservation.core.billing.ReservationAccrual.ZERO;
    Instant from = now;
    if (before != null && before.getAccruedUntil() != null) {
      accrual = restore(before);
      from = Instant.parse(before.getAccruedUntil());
    }
    if (resolution.ok() && from.isBefore(now)) {
      String type = resolution.shape().cardType();
      int cards = resolution.shape().cards();
      accrual =
          accrual.advance(
              from,
              now,
              count(previous.getIdle()),
              count(previous.getActive()),
              catalog.reservationHourlyRate(type, cards, region).orElse(BigDecimal.ZERO),
              catalog.payAsYouGoHourlyRate(type, cards, region).orElse(BigDecimal.ZERO));
    }
    ReservationAccrual result = new ReservationAccrual();
    result.setAccruedUntil((from.isAfter(now) ? from : now).toString());
    result.setIdleSlotSeconds(accrual.idleSlotSeconds().toPlainString());
    result.setActiveSlotSeconds(accrual.activeSlotSeconds().toPlainString());
    result.setIdleCost(accrual.idleCost().toPlainString());
    result.setActiveCost(accrual.activeCost().toPlainString());
    result.setIdleRateMillis(accrual.idleRateMillis().toPlainString());
    result.setActiveRateMillis(accrual.activeRateMillis().toPlainString());
    result.setCurrency(catalog.currency());
    return result;
  }

  // The exact sums when the status has them; rounded costs only from an older status.
  private static io.gpureservation.core.billing.ReservationAccrual restore(
      ReservationAccrual before) {
    long idle = millis(before.getIdleSlotSeconds());
    long active = millis(before.getActiveSlotSeconds());
    if (before.getIdleRateMillis() != null && before.getActiveRateMillis() != null) {
      return io.gpureservation.core.billing.ReservationAccrual.restoreExact(
          idle,
          active,
          new BigDecimal(before.getIdleRateMillis()),
          new BigDecimal(before.getActiveRateMillis()));
    }
    return io.gpureservation.core.billing.ReservationAccrual.restore(
        idle, active, decimal(before.getIdleCost()), decimal(before.getActiveCost()));
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
