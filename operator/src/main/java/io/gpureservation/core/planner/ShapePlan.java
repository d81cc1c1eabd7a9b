package io.gpureservation.core.planner;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The plan of one shape: its demand, the guaranteed level, the floor and every option, the cheapest
 * option and its saving against warm pods.
 *
 * @param options warm pods, always-on, windowed, resident pool (in that order)
 */
public record ShapePlan(
    ShapeKey shape,
    CoverageTarget target,
    int level,
    int peak,
    int pods,
    Demand demand,
    Option floor,
    List<Option> options) {
  public ShapePlan {
    options = List.copyOf(options);
  }

  public Option option(OptionKind kind) {
    if (kind == OptionKind.PAY_AS_YOU_GO) {
      return floor;
    }
    return options.stream().filter(o -> o.kind() == kind).findFirst().orElseThrow();
  }

  /** The guaranteeing option with the lowest exact total (the first one on a tie). */
  public Option cheapest() {
    return options.stream()
        .filter(Option::guarantees)
        .min(Comparator.comparing(o -> o.bill().total()))
        .orElseThrow();
  }

  /** Warm pods' payable minus the cheapest option's payable (cents). */
  public BigDecimal savingVsWarmPods() {
    return option(OptionKind.WARM_PODS).bill().payable().subtract(cheapest().bill().payable());
  }

  /** The saving as a percent of the warm pods' payable; empty when warm pods cost nothing. */
  public Optional<BigDecimal> savingPercent() {
    BigDecimal warm = option(OptionKind.WARM_PODS).bill().payable();
    return warm.signum() == 0
        ? Optional.empty()
        : Optional.of(Percent.of(savingVsWarmPods(), warm));
  }

  /** What guaranteeing the target with {@code option} adds to the floor (cents). */
  public BigDecimal premiumOverFloor(Option option) {
    return option.bill().payable().subtract(floor.bill().payable());
  }
}
