package io.gpureservation.core.planner;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * What a plan is asked for (docs/planner.md): a coverage target per shape (keys {@code
 * namespace/L20x1} or {@code L20x1}, else {@code defaultTarget}), the time zone windows are written
 * in, the resident-pool price region, at most how many windowed reservations per shape, the lead
 * time of each window, and the share of idle reserved slot time borrowers would fill (percent,
 * 0..100; 0: no lending estimate, docs/planner.md "Lending").
 */
public record PlanSettings(
    CoverageTarget defaultTarget,
    Map<String, CoverageTarget> targets,
    ZoneId zone,
    String region,
    int maxWindowedReservations,
    Duration leadTime,
    BigDecimal borrowFillPercent) {
  public PlanSettings {
    Objects.requireNonNull(defaultTarget, "defaultTarget");
    targets = Map.copyOf(targets);
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(leadTime, "leadTime");
    LendingEstimate.requirePercent(borrowFillPercent);
  }

  /**
   * Peak for every shape, UTC, cn-hangzhou, up to 3 windowed reservations, no lead time, no lending
   * estimate.
   */
  public static PlanSettings defaults() {
    return new PlanSettings(
        new CoverageTarget.Peak(),
        Map.of(),
        ZoneId.of("UTC"),
        "cn-hangzhou",
        3,
        Duration.ZERO,
        BigDecimal.ZERO);
  }

  /** Whether the plan estimates what lending would have earned (a borrow fill above 0). */
  public boolean estimatesLending() {
    return borrowFillPercent.signum() > 0;
  }

  /** The target of a shape: {@code namespace/L20x1}, then {@code L20x1}, then the default. */
  public CoverageTarget targetFor(ShapeKey shape) {
    CoverageTarget exact = targets.get(shape.toString());
    if (exact != null) {
      return exact;
    }
    return targets.getOrDefault(shape.cardShape(), defaultTarget);
  }
}
