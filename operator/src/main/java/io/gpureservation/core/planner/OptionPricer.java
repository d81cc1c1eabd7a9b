package io.gpureservation.core.planner;

import io.gpureservation.core.billing.Bill;
import io.gpureservation.core.billing.LineItem;
import io.gpureservation.core.billing.ReservationAccrual;
import io.gpureservation.core.billing.ResidentPoolPricing;
import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prices each option of one shape with the operator's billing engine (docs/planner.md, "How a plan
 * is priced"): slot time is accrued by {@link ReservationAccrual} — idle slots at the reservation
 * rate, deducted slots at the pod's pay-as-you-go rate — and the pool by {@link
 * ResidentPoolPricing}. Accrual is linear in slot-milliseconds and divides once on read, so one
 * {@code advance} per kind of slot time gives the exact sum the operator's per-transition chain
 * gives.
 */
final class OptionPricer {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
  private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000L);

  /** Disk per card of a planned pool: the smallest the pool sells (a trace carries no disk). */
  static final int POOL_DISK_PER_CARD_GB = ResidentPoolPricing.MIN_DISK_PER_CARD_GB;

  private final Catalog catalog;
  private final String region;
  private final ZoneId zone;
  private final ShapeKey shape;
  private final BigDecimal reservationRate;
  private final BigDecimal payAsYouGoRate;
  private final BigDecimal lendingRate;
  private final BigDecimal borrowFillPercent;

  OptionPricer(Catalog catalog, String region, ZoneId zone, ShapeKey shape) {
    this(catalog, region, zone, shape, BigDecimal.ZERO);
  }

  /**
   * @param borrowFillPercent share of idle reserved slot time borrowers would fill; 0: no lending
   *     estimate
   */
  OptionPricer(
      Catalog catalog, String region, ZoneId zone, ShapeKey shape, BigDecimal borrowFillPercent) {
    this.catalog = catalog;
    this.region = region;
    this.zone = zone;
    this.shape = shape;
    this.reservationRate =
        catalog.reservationHourlyRate(shape.cardType(), shape.cards()).orElseThrow();
    this.payAsYouGoRate =
        catalog.payAsYouGoHourlyRate(shape.cardType(), shape.cards()).orElseThrow();
    // the catalog's example rates, as the two above (--region is the pool's price region)
    this.lendingRate =
        catalog.lendingHourlyRate(shape.cardType(), shape.cards(), null).orElseThrow();
    this.borrowFillPercent = LendingEstimate.requirePercent(borrowFillPercent);
  }

  BigDecimal reservationRate() {
    return reservationRate;
  }

  BigDecimal payAsYouGoRate() {
    return payAsYouGoRate;
  }

  Option floor(Demand demand) {
    Sweep none = Sweep.of(demand, StepFunction.constant(0), 0);
    ReservationAccrual pods = accrue(0, none.podMillis(), payAsYouGoRate, payAsYouGoRate);
    List<LineItem> lines = new ArrayList<>();
    LineItem.addTimed(
        lines,
        "Pods, pay-as-you-go",
        none.podMillis(),
        "pod-hour",
        payAsYouGoRate,
        pods.activeCost());
    return option(
        OptionKind.PAY_AS_YOU_GO, lines, 0, 0, Optional.empty(), List.of(), 0, Optional.empty());
  }

  Option warmPods(Demand demand, int target) {
    Sweep warm = Sweep.of(demand, StepFunction.constant(target), target);
    ReservationAccrual pods =
        accrue(warm.idleMillis(), warm.podMillis(), payAsYouGoRate, payAsYouGoRate);
    List<LineItem> lines = new ArrayList<>();
    LineItem.addTimed(
        lines,
        "Pods serving demand",
        warm.podMillis(),
        "pod-hour",
        payAsYouGoRate,
        pods.activeCost());
    LineItem.addTimed(
        lines, "Warm pods waiting", warm.idleMillis(), "pod-hour", payAsYouGoRate, pods.idleCost());
    long guaranteed = (long) target * demand.span().millis();
    return option(
        OptionKind.WARM_PODS,
        lines,
        guaranteed,
        warm.heldMillis(),
        full(guaranteed),
        List.of(),
        0,
        Optional.empty());
  }

  /** Reservations (always-on or windowed) whose live slots are {@code live}. */
  Option reservations(
      OptionKind kind,
      Demand demand,
      int target,
      StepFunction live,
      List<ProposedReservation> proposed) {
    Sweep sweep = Sweep.of(demand, live, target);
    ReservationAccrual slots =
        accrue(sweep.idleMillis(), sweep.heldMillis(), reservationRate, payAsYouGoRate);
    ReservationAccrual plain = accrue(0, sweep.overflowMillis(), payAsYouGoRate, payAsYouGoRate);
    List<LineItem> lines = new ArrayList<>();
    LineItem.addTimed(
        lines, "Idle slots", sweep.idleMillis(), "slot-hour", reservationRate, slots.idleCost());
    LineItem.addTimed(
        lines,
        "Pods on reserved slots",
        sweep.heldMillis(),
        "pod-hour",
        payAsYouGoRate,
        slots.activeCost());
    LineItem.addTimed(
        lines,
        "Pods beyond the slots, pay-as-you-go",
        sweep.overflowMillis(),
        "pod-hour",
        payAsYouGoRate,
        plain.activeCost());
    long guaranteed = sweep.idleMillis() + sweep.heldMillis();
    return option(
        kind,
        lines,
        guaranteed,
        sweep.heldMillis(),
        full(guaranteed),
        proposed,
        sweep.shortfallMillis(),
        lending(sweep.idleMillis()));
  }

  // docs/planner.md "Lending": only a reservation's idle held slots are lent (docs/lending.md).
  private Optional<LendingEstimate> lending(long idleMillis) {
    return borrowFillPercent.signum() == 0
        ? Optional.empty()
        : Optional.of(
            new LendingEstimate(idleMillis, borrowFillPercent, lendingRate, reservationRate));
  }

  Option residentPool(Demand demand, int target) {
    String currency = catalog.currency();
    Optional<String> series = catalog.residentSeriesOf(shape.cardType());
    if (series.isEmpty()) {
      return Option.unavailable(
          OptionKind.RESIDENT_POOL,
          "no resident pool sells " + shape.cardType() + " (catalog cardTypes.*.residentSeries)",
          currency);
    }
    if (catalog.residentCardMonthlyPrice(region, series.get()).isEmpty()) {
      return Option.unavailable(
          OptionKind.RESIDENT_POOL, series.get() + " is not sold in region " + region, currency);
    }
    if (target == 0) {
      return Option.unavailable(OptionKind.RESIDENT_POOL, "the target is 0 pods", currency);
    }
    int cards = target * shape.cards();
    Bill month =
        new ResidentPoolPricing(catalog)
            .subscriptionFee(region, series.get(), cards, POOL_DISK_PER_CARD_GB, 1);
    Span span = demand.span();
    LocalDate firstDay = LocalDate.ofInstant(span.start(), zone);
    BigDecimal daily =
        ResidentPoolPricing.dailyPrice(month.total(), ResidentPoolPricing.termDays(firstDay, 1));
    long days = (span.millis() + DAY_MILLIS - 1) / DAY_MILLIS;
    Sweep sweep = Sweep.of(demand, StepFunction.constant(target), target);
    ReservationAccrual plain = accrue(0, sweep.overflowMillis(), payAsYouGoRate, payAsYouGoRate);
    List<LineItem> lines = new ArrayList<>();
    lines.add(
        LineItem.of(
            "Resident pool: "
                + cards
                + " "
                + series.get()
                + " cards, "
                + POOL_DISK_PER_CARD_GB
                + " GB disk each, "
                + region
                + ", daily price",
            BigDecimal.valueOf(days),
            "day",
            daily));
    LineItem.addTimed(
        lines,
        "Pods beyond the pool, pay-as-you-go",
        sweep.overflowMillis(),
        "pod-hour",
        payAsYouGoRate,
        plain.activeCost());
    long guaranteed = (long) target * span.millis();
    BigDecimal poolAmount = daily.multiply(BigDecimal.valueOf(days));
    // break-even: the pool costs what its used pod time would cost pay-as-you-go
    BigDecimal breakEven =
        Percent.of(
            poolAmount.multiply(MILLIS_PER_HOUR),
            payAsYouGoRate.multiply(BigDecimal.valueOf(guaranteed)));
    Optional<BigDecimal> reached =
        breakEven.compareTo(HUNDRED) <= 0 ? Optional.of(breakEven) : Optional.empty();
    return option(
        OptionKind.RESIDENT_POOL,
        lines,
        guaranteed,
        sweep.heldMillis(),
        reached,
        List.of(),
        0,
        Optional.empty());
  }

  // Warm pods and reservations bill at least the pay-as-you-go rate for every used slot-hour, so
  // they break even with no guarantee only when nothing they hold is ever idle.
  private static Optional<BigDecimal> full(long guaranteed) {
    return guaranteed == 0 ? Optional.empty() : Optional.of(new BigDecimal("100.0"));
  }

  private Option option(
      OptionKind kind,
      List<LineItem> lines,
      long guaranteed,
      long used,
      Optional<BigDecimal> breakEven,
      List<ProposedReservation> proposed,
      long shortfall,
      Optional<LendingEstimate> lending) {
    Bill bill =
        Bill.of(
            kind.label() + ": " + shape,
            catalog.currency(),
            lines,
            List.of(
                "Rates: reservation "
                    + reservationRate.toPlainString()
                    + "/slot-hour, pay-as-you-go "
                    + payAsYouGoRate.toPlainString()
                    + "/pod-hour (catalog)"));
    return new Option(kind, bill, guaranteed, used, breakEven, proposed, shortfall, null, lending);
  }

  private static ReservationAccrual accrue(
      long idleMillis, long heldMillis, BigDecimal idleRate, BigDecimal heldRate) {
    return ReservationAccrual.ZERO
        .advance(Instant.EPOCH, Instant.ofEpochMilli(idleMillis), 1, 0, idleRate, heldRate)
        .advance(Instant.EPOCH, Instant.ofEpochMilli(heldMillis), 0, 1, idleRate, heldRate);
  }
}
