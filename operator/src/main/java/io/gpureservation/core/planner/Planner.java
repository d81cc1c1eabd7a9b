package io.gpureservation.core.planner;

import io.gpureservation.core.catalog.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Answers "what is the cheapest way to guarantee capacity for this demand" for a GPU pod trace
 * (docs/planner.md). Pure: no Kubernetes types; priced by the billing engine and the catalog.
 */
public final class Planner {
  private final Catalog catalog;
  private final PlanSettings settings;

  public Planner(Catalog catalog, PlanSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
    if (catalog.residentRegion(settings.region()).isEmpty()) {
      throw new IllegalArgumentException(
          "region: unknown region " + settings.region() + "; one of " + catalog.residentRegions());
    }
  }

  /**
   * Plans every shape of the trace over its span (first start to last end).
   *
   * @throws IllegalArgumentException when the trace is empty
   */
  public Plan plan(List<PodRun> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("the trace has no pods");
    }
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    Map<ShapeKey, List<PodRun>> byShape = new TreeMap<>();
    for (PodRun run : runs) {
      start = Math.min(start, run.startMillis());
      end = Math.max(end, run.endMillis());
      byShape.computeIfAbsent(run.shape(), k -> new ArrayList<>()).add(run);
    }
    requireShapesOfTargets(byShape.keySet());
    Span span = new Span(start, end);
    List<ShapePlan> shapes = new ArrayList<>();
    byShape.forEach((shape, podRuns) -> shapes.add(planShape(shape, Demand.of(podRuns, span))));
    return new Plan(span, settings, catalog.currency(), runs.size(), shapes);
  }

  // A target for a shape the trace does not have is most likely a typo: refuse it.
  private void requireShapesOfTargets(Set<ShapeKey> shapes) {
    for (String key : settings.targets().keySet()) {
      boolean known =
          shapes.stream().anyMatch(s -> s.toString().equals(key) || s.cardShape().equals(key));
      if (!known) {
        throw new IllegalArgumentException(
            "target " + key + ": the trace has no such shape; its shapes are " + shapes);
      }
    }
  }

  ShapePlan planShape(ShapeKey shape, Demand demand) {
    CoverageTarget target = settings.targetFor(shape);
    int level = target.level(demand);
    OptionPricer pricer =
        new OptionPricer(
            catalog, settings.region(), settings.zone(), shape, settings.borrowFillPercent());
    List<ProposedReservation> alwaysOn =
        level == 0 ? List.of() : List.of(new ProposedReservation(level, List.of()));
    List<ProposedReservation> windowed =
        new WindowFitter(settings.zone(), settings.maxWindowedReservations(), settings.leadTime())
            .fit(demand, level);
    List<Option> options =
        List.of(
            pricer.warmPods(demand, level),
            pricer.reservations(
                OptionKind.ALWAYS_ON, demand, level, StepFunction.constant(level), alwaysOn),
            pricer.reservations(
                OptionKind.WINDOWED,
                demand,
                level,
                LiveSlots.of(windowed, settings.zone(), demand.span()),
                windowed),
            pricer.residentPool(demand, level));
    return new ShapePlan(
        shape, target, level, demand.peak(), demand.pods(), demand, pricer.floor(demand), options);
  }
}
