package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Condition;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.SlotHolding;
import io.gpureservation.api.v1alpha1.SlotLoan;
import io.gpureservation.cluster.Conditions;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.holding.HeldCapacity;
import io.gpureservation.core.matching.Holding;
import io.gpureservation.core.matching.Loan;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Builds a reservation's whole status from the matcher's ledger, the previous status (for accrual
 * and condition transition times) and the time. One composer serves every writer, so no writer can
 * clobber another's fields.
 */
final class ReservationStatusComposer {
  private final Catalog catalog;
  private final Predicate<String> regionHasNodes;

  /**
   * @param regionHasNodes whether some node carries a region's label (a {@link RegionNodes})
   */
  ReservationStatusComposer(Catalog catalog, Predicate<String> regionHasNodes) {
    this.catalog = catalog;
    this.regionHasNodes = regionHasNodes;
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
    next.setHeld(slots.held());
    next.setLent(slots.lent());
    // loan lines, stored before a borrower is annotated and read back on restart (docs/lending.md)
    next.setLoans(
        slots.loans().isEmpty()
            ? null
            : slots.loans().stream()
                .sorted(java.util.Comparator.comparingInt(Loan::slot))
                .map(
                    l ->
                        new SlotLoan(
                            l.slot(),
                            l.borrowerNamespace(),
                            l.borrowerName(),
                            l.borrowerUid(),
                            l.since().toString(),
                            l.started(),
                            l.reclaimedFor()))
                .toList());
    if (resolution.ok()) {
      next.setSlotCpu(resolution.shape().cpuMillis() + "m");
      next.setSlotMemory(String.valueOf(resolution.shape().memoryBytes()));
    }
    boolean expired = ReservationShapes.isExpired(r, now);
    boolean pending = !expired && resolution.ok() && !resolution.liveAt(now);
    next.setPhase(
        expired
            ? CapacityReservationStatus.PHASE_EXPIRED
            : pending
                ? CapacityReservationStatus.PHASE_PENDING
                : CapacityReservationStatus.PHASE_ACTIVE);
    next.setExpiredAt(expired ? expiredAt(previous, r, now) : null);
    next.setLockInEnded(LockIn.ended(r, previous, now));
    if (resolution.ok()) {
      resolution
          .periods()
          .nextEdge(now)
          .ifPresent(
              edge -> {
                next.setNextEdge(edge.at().toString());
                next.setNextEdgeKind(
                    edge.opens()
                        ? CapacityReservationStatus.EDGE_OPENS
                        : CapacityReservationStatus.EDGE_CLOSES);
              });
    }
    next.setAccrued(
        new AccrualSegments(catalog, resolution, r.getSpec().getRegion())
            .accrue(previous, next, now));
    next.setConditions(
        holding(
            r,
            pricing(r, readiness(r, previous, resolution, expired, now), resolution, now),
            resolution,
            slots,
            now));
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

  // docs/capacity-holding.md "Held or not": counts, and the shape no node could take. A region
  // no node has is named first: nothing can be held there (docs/capacity-reservation.md "Region").
  private List<Condition> holding(
      CapacityReservation r,
      List<Condition> conditions,
      ReservationShapes.Resolution resolution,
      SlotsView slots,
      Instant now) {
    if (!resolution.ok()) {
      return conditions.stream()
          .filter(c -> !CapacityReservationConditions.CAPACITY_HELD.equals(c.getType()))
          .toList();
    }
    String region = r.getSpec().getRegion();
    if (region != null && !regionHasNodes.test(region)) {
      return Conditions.set(
          conditions,
          CapacityReservationConditions.CAPACITY_HELD,
          false,
          CapacityReservationConditions.REASON_UNKNOWN_REGION,
          "spec.region "
              + region
              + ": no node has the label "
              + GpuPods.REGION_LABEL
              + "="
              + region
              + "; "
              + HeldCapacity.counts(slots.held(), slots.idle()),
          r.getMetadata().getGeneration(),
          now);
    }
    boolean all = slots.held() >= slots.idle();
    return Conditions.set(
        conditions,
        CapacityReservationConditions.CAPACITY_HELD,
        all,
        all
            ? CapacityReservationConditions.REASON_ALL_HELD
            : CapacityReservationConditions.REASON_INSUFFICIENT_CAPACITY,
        HeldCapacity.message(
            slots.held(),
            slots.idle(),
            resolution.shape(),
            r.getSpec().getZone(),
            r.getSpec().getRegion()),
        r.getMetadata().getGeneration(),
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
    if (!resolution.liveAt(now)) {
      Instant startAt = ReservationShapes.instant(r.getSpec().getStartAt());
      boolean notStarted = startAt != null && now.isBefore(startAt);
      return Conditions.set(
          previous.getConditions(),
          CapacityReservationConditions.READY,
          false,
          notStarted
              ? CapacityReservationConditions.REASON_NOT_STARTED
              : CapacityReservationConditions.REASON_WINDOW_CLOSED,
          notStarted
              ? "the reservation starts at spec.startAt " + startAt + "; no live slots before"
              : "outside every window of spec.windows: no live slots, nothing held or billed",
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
}
