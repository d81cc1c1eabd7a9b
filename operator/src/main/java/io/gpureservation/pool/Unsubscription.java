package io.gpureservation.pool;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.ObjectEvent;
import io.gpureservation.core.pool.Fees;
import io.gpureservation.core.pool.PoolPricing;
import io.gpureservation.core.pool.Term;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Deleting a pool is an unsubscription (reference, "Unsubscription"): it waits until no function
 * pod is attached, then records the refund (paid minus consumed) in an Event.
 */
final class Unsubscription {
  private final EventRecorder events;
  private final Clock clock;
  private final PoolPricing pricing;

  Unsubscription(EventRecorder events, Clock clock, PoolPricing pricing) {
    this.events = events;
    this.clock = clock;
    this.pricing = pricing;
  }

  /** Records the refund and returns true when no pod is attached; else says what blocks. */
  boolean mayComplete(ResidentPool pool, Collection<Pod> pods) {
    List<Pod> attached = pods.stream().filter(p -> !PoolPods.isTerminal(p)).toList();
    if (!attached.isEmpty()) {
      TreeSet<String> functions = new TreeSet<>();
      attached.forEach(p -> functions.add(PoolPods.functionOf(p)));
      events.record(
          pool,
          ObjectEvent.warning(
              "unsubscribe-waiting-" + attached.size(),
              "UnsubscribeWaiting",
              attached.size()
                  + " pod(s) of function(s) "
                  + String.join(", ", functions)
                  + " still attached; scale them to 0 (delete the pods) and the pool is"
                  + " unsubscribed"));
      return false;
    }
    events.record(pool, ObjectEvent.normal("unsubscribed", "Unsubscribed", refundMessage(pool)));
    return true;
  }

  private String refundMessage(ResidentPool pool) {
    ResidentPoolStatus status = pool.getStatus();
    if (!PoolLedger.isActivated(status)) {
      return "unsubscribed before activation: nothing was paid, nothing to refund";
    }
    Term term = PoolLedger.term(status);
    BigDecimal paid = PoolLedger.termPaid(status);
    Instant now = clock.instant();
    BigDecimal refund = Fees.refund(paid, term.termStart(), term.expiresAt(), now, pricing);
    long days = Fees.wholeDays(term.termStart(), now);
    boolean underThirtyDays = Duration.between(term.termStart(), now).toDays() < 30;
    BigDecimal daily = Fees.dailyPrice(paid, term.termStart(), term.expiresAt(), pricing);
    return "unsubscribed: refund "
        + refund.toPlainString()
        + " "
        + pricing.currency()
        + " = paid "
        + paid.toPlainString()
        + " - consumed (daily price "
        + daily.toPlainString()
        + " x "
        + days
        + " day(s)"
        + (underThirtyDays ? " x 1.2, under 30 days" : "")
        + ")";
  }
}
