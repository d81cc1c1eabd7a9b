package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationSpec;
import io.gpureservation.api.v1alpha1.LendingSpec;
import io.gpureservation.api.v1alpha1.PlaceholderSpec;
import io.gpureservation.api.v1alpha1.PodSelectorRequirement;
import io.gpureservation.api.v1alpha1.ReservationPodSelector;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.cluster.Pods;
import io.gpureservation.core.catalog.CardSpec;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.lending.LendingTerms;
import io.gpureservation.core.matching.PodSelector;
import io.gpureservation.core.matching.Reasons;
import io.gpureservation.core.matching.ReservationDef;
import io.gpureservation.core.matching.SlotShape;
import io.gpureservation.core.window.LivePeriods;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Translates a CapacityReservation into the matcher's definition, defaulting from the catalog. */
public final class ReservationShapes {
  private final Catalog catalog;
  private final ReservationWindows windows = new ReservationWindows();

  ReservationShapes(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Where the reservation's placeholders may go: its card type's node-label values, zone and
   * region.
   */
  PlaceholderPods.Placement placement(CapacityReservation r, SlotShape shape) {
    PlaceholderSpec extra = r.getSpec().getPlaceholders();
    return new PlaceholderPods.Placement(
        catalog.nodeLabelValues(shape.cardType()),
        r.getSpec().getZone(),
        extra == null ? null : extra.getNodeSelector(),
        extra == null ? null : extra.getTolerations(),
        r.getSpec().getRegion(),
        extra == null ? null : extra.getDeviceClassName());
  }

  /** A resolved slot shape and pod selector, or why the reservation cannot offer slots. */
  record Resolution(
      SlotShape shape,
      PodSelector selector,
      String problemReason,
      String problemMessage,
      LivePeriods periods) {
    Resolution(SlotShape shape, PodSelector selector, String problemReason, String problemMessage) {
      this(shape, selector, problemReason, problemMessage, LivePeriods.ALWAYS);
    }

    boolean ok() {
      return problemReason == null;
    }

    /** Whether the reservation is live at {@code t} (docs/time-windows.md). */
    boolean liveAt(Instant t) {
      return ok() && periods.isLive(t);
    }

    static Resolution problem(String reason, String message) {
      return new Resolution(null, null, reason, message);
    }
  }

  /**
   * Reads the spec. A problem affects this reservation only: it is not Ready and offers no slots,
   * and everything else in its namespace carries on (docs/capacity-reservation.md, "A reservation
   * the operator cannot read").
   */
  Resolution resolve(CapacityReservationSpec spec) {
    try {
      return read(spec);
    } catch (RuntimeException unforeseen) {
      // The general guard: whatever else a spec can hold that the operator cannot compute with
      // makes this reservation alone not Ready; its namespace and the operator carry on.
      return Resolution.problem(
          CapacityReservationConditions.REASON_UNPROCESSABLE,
          "the operator cannot process this reservation's spec: " + unforeseen);
    }
  }

  private Resolution read(CapacityReservationSpec spec) {
    PodSelector selector;
    try {
      selector = selector(spec.getPodSelector());
    } catch (IllegalArgumentException e) {
      return Resolution.problem(
          CapacityReservationConditions.REASON_INVALID_POD_SELECTOR,
          "spec.podSelector cannot be read: " + e.getMessage());
    }
    Resolution shape = resolveShape(spec);
    if (!shape.ok()) {
      return shape;
    }
    ReservationWindows.Reading periods = windows.read(spec);
    if (periods.problem() != null) {
      return Resolution.problem(
          CapacityReservationConditions.REASON_INVALID_WINDOW, periods.problem());
    }
    return new Resolution(shape.shape(), selector, null, null, periods.periods());
  }

  private Resolution resolveShape(CapacityReservationSpec spec) {
    String cardType = catalog.canonicalCardType(spec.getCardType()).orElse(spec.getCardType());
    int cards = spec.getCards() == null ? 0 : spec.getCards();
    if (spec.getCpu() != null && spec.getMemory() != null) {
      return shape(cardType, cards, spec.getCpu(), spec.getMemory());
    }
    CardSpec highest = catalog.cardSpec(cardType, cards).orElse(null);
    if (highest == null) {
      return Resolution.problem(
          CapacityReservationConditions.REASON_UNKNOWN_CARD_SPEC,
          "the catalog has no specification for "
              + cards
              + " x "
              + spec.getCardType()
              + ": set spec.cpu and spec.memory, or use a card type and count from the catalog");
    }
    return shape(
        cardType,
        cards,
        spec.getCpu() != null ? spec.getCpu() : new Quantity(highest.cpuMillis() + "m"),
        spec.getMemory() != null
            ? spec.getMemory()
            : new Quantity(String.valueOf(highest.memoryBytes())));
  }

  private static Resolution shape(String cardType, int cards, Quantity cpu, Quantity memory) {
    try {
      long cpuMillis =
          cpu.getNumericalAmount()
              .movePointRight(3)
              .setScale(0, RoundingMode.FLOOR)
              .longValueExact();
      long memoryBytes =
          memory.getNumericalAmount().setScale(0, RoundingMode.FLOOR).longValueExact();
      return new Resolution(
          new SlotShape(cardType, cards, cpuMillis, memoryBytes), null, null, null);
    } catch (RuntimeException e) {
      return Resolution.problem(
          CapacityReservationConditions.REASON_INVALID_QUANTITY,
          "spec.cpu or spec.memory is not a valid quantity: " + e);
    }
  }

  /**
   * The matcher's view; inactive when unresolved, outside its live periods (before startAt, between
   * windows, expired) or being deleted.
   */
  ReservationDef toDef(CapacityReservation r, Resolution resolution, Instant now) {
    boolean active =
        resolution.liveAt(now)
            && !isExpired(r, now)
            && r.getMetadata().getDeletionTimestamp() == null;
    SlotShape shape =
        resolution.ok() ? resolution.shape() : new SlotShape(r.getSpec().getCardType(), 0, 0, 0);
    Integer quantity = r.getSpec().getQuantity();
    return new ReservationDef(
        r.getMetadata().getName(),
        shape,
        quantity == null || quantity < 0 ? 0 : quantity,
        r.getSpec().getZone(),
        resolution.ok() ? resolution.selector() : PodSelector.ALL,
        Pods.createdAt(r),
        active,
        r.getSpec().getRegion());
  }

  /**
   * Why an inactive reservation's holders are released: its window closed (or it has not started),
   * else expiry — also for a spec the operator cannot read, as before windows existed.
   */
  static String releaseReason(CapacityReservation r, Resolution resolution, Instant now) {
    return resolution.ok() && !isExpired(r, now) && !resolution.periods().isLive(now)
        ? Reasons.RESERVATION_WINDOW_CLOSED
        : Reasons.RESERVATION_EXPIRED;
  }

  static boolean isExpired(CapacityReservation r, Instant now) {
    Instant releaseAt = releaseAt(r);
    return releaseAt != null && !now.isBefore(releaseAt);
  }

  static Instant releaseAt(CapacityReservation r) {
    return instant(r.getSpec().getReleaseAt());
  }

  /** An RFC 3339 spec time; null when absent or malformed. */
  static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      return null; // the CRD pattern refuses this on a real API server
    }
  }

  /** The default of {@code spec.lending.reclaimGracePeriodSeconds} (docs/lending.md, "The API"). */
  static final Duration DEFAULT_RECLAIM_GRACE = Duration.ofSeconds(30);

  /**
   * The reservation's {@code spec.lending} as the core's terms (docs/lending.md, "The API"); a
   * selector that cannot be read lends to no namespace.
   */
  static LendingTerms lending(CapacityReservation r) {
    return lending(r.getSpec() == null ? null : r.getSpec().getLending());
  }

  /**
   * A {@code spec.lending} as the core's terms, the same for a reservation and a ResidentPool
   * (docs/lending.md, "The API" and "Resident pools").
   */
  public static LendingTerms lending(LendingSpec spec) {
    if (spec == null || !Boolean.TRUE.equals(spec.getEnabled())) {
      return LendingTerms.NONE;
    }
    PodSelector namespaces;
    try {
      namespaces =
          spec.getNamespaceSelector() == null ? null : selector(spec.getNamespaceSelector());
    } catch (IllegalArgumentException unreadable) {
      namespaces = null;
    }
    Integer grace = spec.getReclaimGracePeriodSeconds();
    return new LendingTerms(
        true,
        namespaces,
        grace == null ? DEFAULT_RECLAIM_GRACE : Duration.ofSeconds(Math.max(0, grace)));
  }

  // Throws IllegalArgumentException for an operator or values Kubernetes would not accept.
  private static PodSelector selector(ReservationPodSelector selector) {
    if (selector == null) {
      return PodSelector.ALL;
    }
    Map<String, String> labels =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<PodSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    return new PodSelector(
        labels,
        expressions.stream()
            .map(
                e ->
                    new PodSelector.Requirement(
                        e.getKey(),
                        PodSelector.Operator.parse(e.getOperator()),
                        e.getValues() == null ? new HashSet<>() : new HashSet<>(e.getValues())))
            .toList());
  }
}
