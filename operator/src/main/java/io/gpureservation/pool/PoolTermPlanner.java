package io.gpureservation.pool;

import io.gpureservation.api.v1alpha1.ResidentPoolSpec;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.ObjectEvent;
import io.gpureservation.core.pool.Fees;
import io.gpureservation.core.pool.Lifecycle;
import io.gpureservation.core.pool.LifecycleStep;
import io.gpureservation.core.pool.LifecycleStep.Transition;
import io.gpureservation.core.pool.PoolPhase;
import io.gpureservation.core.pool.PoolPricing;
import io.gpureservation.core.pool.PoolSize;
import io.gpureservation.core.pool.Refusal;
import io.gpureservation.core.pool.Reminder;
import io.gpureservation.core.pool.ScaleOut;
import io.gpureservation.core.pool.Subscription;
import io.gpureservation.core.pool.Term;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subscription half of a pool's reconciliation: lifecycle step (activation, renewals, expiry,
 * release, reminders), then the scale-out decision, then the fees of the orders placed.
 */
final class PoolTermPlanner {
  /** The outcome: term and size in force, money paid so far, refusals and Events. */
  record Outcome(
      Term term,
      PoolSize inForce,
      BigDecimal paid,
      BigDecimal termPaid,
      List<Refusal> refusals,
      Optional<String> priceError,
      List<ObjectEvent> events,
      Optional<Instant> nextCheck) {}

  private final PoolPricing pricing;

  PoolTermPlanner(PoolPricing pricing) {
    this.pricing = pricing;
  }

  Outcome plan(ResidentPoolSpec spec, ResidentPoolStatus old, boolean overdue, Instant now) {
    Subscription sub = PoolLedger.subscription(spec);
    boolean activated = PoolLedger.isActivated(old);
    LifecycleStep step =
        activated
            ? Lifecycle.step(PoolLedger.term(old), sub, overdue, now)
            : Lifecycle.activate(sub, overdue, now);
    PoolSize inForce = activated ? PoolLedger.inForce(old) : PoolLedger.requested(spec);
    BigDecimal paid = activated ? PoolLedger.paid(old) : BigDecimal.ZERO;
    BigDecimal termPaid = activated ? PoolLedger.termPaid(old) : BigDecimal.ZERO;
    Term term = step.term();
    List<ObjectEvent> events = new ArrayList<>();
    List<Refusal> refusals = new ArrayList<>();
    step.refusal().ifPresent(refusals::add);
    Optional<String> priceError = Optional.empty();
    try {
      paid = paid.add(Fees.of(step.orders(), inForce, pricing));
      termPaid = Fees.inForce(termPaid, step.orders(), inForce, pricing);
    } catch (IllegalArgumentException e) {
      priceError = Optional.of(e.getMessage());
    }
    for (int i = 0; i < step.transitions().size(); i++) {
      events.add(transitionEvent(step.transitions().get(i), term, i, paid));
    }
    for (Reminder r : step.reminders()) {
      events.add(reminderEvent(r, term));
    }

    if (term.phase() == PoolPhase.Pending) {
      return new Outcome(
          term, inForce, paid, termPaid, refusals, priceError, events, Optional.empty());
    }
    ScaleOut.Decision decision =
        ScaleOut.decide(inForce, PoolLedger.requested(spec), term.phase(), overdue);
    decision.refusal().ifPresent(refusals::add);
    if (decision.changed()) {
      try {
        BigDecimal fee = Fees.scaleOut(inForce, decision.inForce(), now, term.expiresAt(), pricing);
        paid = paid.add(fee);
        termPaid = termPaid.add(fee);
      } catch (IllegalArgumentException e) {
        priceError = Optional.of(e.getMessage());
      }
      PoolSize to = decision.inForce();
      events.add(
          ObjectEvent.normal(
              "scaledout-" + to.cards() + "-" + to.diskPerCardGB(),
              "ScaledOut",
              "scaled out to " + to.cards() + " cards with " + to.diskPerCardGB() + " GB each"));
      inForce = to;
    }
    return new Outcome(
        term, inForce, paid, termPaid, refusals, priceError, events, step.nextCheck());
  }

  private static ObjectEvent transitionEvent(Transition t, Term term, int index, BigDecimal paid) {
    String key = t.name().toLowerCase() + "-" + term.expiresAt().getEpochSecond() + "-" + index;
    return switch (t) {
      case Activated ->
          ObjectEvent.normal(
              key, t.name(), "pool activated until " + term.expiresAt() + "; paid " + paid);
      case Renewed, Reactivated, AutoRenewed ->
          ObjectEvent.normal(key, t.name(), "pool renewed: the term now ends " + term.expiresAt());
      case AutoRenewalRefused ->
          ObjectEvent.warning(
              key,
              t.name(),
              "auto-renewal refused: the namespace has overdue payments (annotation"
                  + " gpureservation.io/overdue)");
      case Expired ->
          ObjectEvent.warning(
              key,
              t.name(),
              "pool expired at "
                  + term.expiresAt()
                  + ": resident instances released and their pods evicted; renew before "
                  + term.releaseAt()
                  + " or the pool is released");
      case Released ->
          ObjectEvent.warning(
              key, t.name(), "pool released 90 days after expiry; purchase a new ResidentPool");
    };
  }

  private static ObjectEvent reminderEvent(Reminder r, Term term) {
    boolean expiry = r.deadline() == Reminder.Deadline.EXPIRY;
    Instant at = expiry ? term.expiresAt() : term.releaseAt();
    String days = r.days() == 1 ? "1 day" : r.days() + " days";
    String message =
        expiry
            ? "pool expires in "
                + days
                + " ("
                + at
                + "): renew it (increase spec.subscription.renewals) or enable autoRenew"
            : "expired pool is released in "
                + days
                + " ("
                + at
                + "): renew it (increase spec.subscription.renewals) to reactivate it";
    return ObjectEvent.warning(r.key(at), r.name(), message);
  }
}
