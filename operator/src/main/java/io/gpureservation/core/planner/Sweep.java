package io.gpureservation.core.planner;

/**
 * Demand against live reserved slots over the span, in slot-milliseconds (exact longs). Under the
 * matching rules (docs/capacity-reservation.md) every pod of a shape fits every slot of that shape
 * and a freed slot is taken at once by a waiting pod, so at each instant {@code min(demand, live)}
 * slots are deducted, the rest of the live slots are idle and the rest of the pods run
 * pay-as-you-go.
 *
 * @param podMillis the integral of demand
 * @param heldMillis deducted slot time: the integral of {@code min(demand, live)}
 * @param idleMillis idle slot time: the integral of {@code live - min(demand, live)}
 * @param overflowMillis pods without a slot: the integral of {@code max(0, demand - live)}
 * @param shortfallMillis guarantee missed: the integral of {@code max(0, min(demand, target) -
 *     live)}
 */
public record Sweep(
    long podMillis, long heldMillis, long idleMillis, long overflowMillis, long shortfallMillis) {

  /** Sweeps {@code live} against the demand over the demand's span; {@code target} caps demand. */
  public static Sweep of(Demand demand, StepFunction live, int target) {
    return of(demand, live, target, demand.span().startMillis(), demand.span().endMillis());
  }

  /** The same over {@code [from, to)} only (one billing hour, for savings plans). */
  public static Sweep of(Demand demand, StepFunction live, int target, long from, long to) {
    StepFunction d = demand.level();
    Span span = new Span(from, to);
    long t = span.startMillis();
    int i = d.firstAfter(t);
    int j = live.firstAfter(t);
    int dl = d.at(t);
    int ll = live.at(t);
    long pod = 0;
    long held = 0;
    long idle = 0;
    long overflow = 0;
    long shortfall = 0;
    while (t < span.endMillis()) {
      long next = span.endMillis();
      if (i < d.size()) {
        next = Math.min(next, d.time(i));
      }
      if (j < live.size()) {
        next = Math.min(next, live.time(j));
      }
      long dt = next - t;
      int deducted = Math.min(dl, ll);
      pod += dt * dl;
      held += dt * deducted;
      idle += dt * (ll - deducted);
      overflow += dt * (dl - deducted);
      shortfall += dt * Math.max(0, Math.min(dl, target) - ll);
      t = next;
      while (i < d.size() && d.time(i) <= t) {
        dl = d.level(i++);
      }
      while (j < live.size() && live.time(j) <= t) {
        ll = live.level(j++);
      }
    }
    return new Sweep(pod, held, idle, overflow, shortfall);
  }
}
