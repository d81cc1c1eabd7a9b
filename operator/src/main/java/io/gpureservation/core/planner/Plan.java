package io.gpureservation.core.planner;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;

/** A whole plan: the span priced, the settings, one {@link ShapePlan} per shape in the trace. */
public record Plan(
    Span span, PlanSettings settings, String currency, int pods, List<ShapePlan> shapes) {
  public Plan {
    shapes = List.copyOf(shapes);
  }

  public ZoneId zone() {
    return settings.zone();
  }

  /** Sum of each shape's cheapest option, payable (cents). */
  public BigDecimal cheapestTotal() {
    return shapes.stream()
        .map(s -> s.cheapest().bill().payable())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Sum of each shape's warm pods option, payable (cents). */
  public BigDecimal warmPodsTotal() {
    return shapes.stream()
        .map(s -> s.option(OptionKind.WARM_PODS).bill().payable())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
