package io.gpureservation.core.pool;

import io.gpureservation.core.pool.LifecycleStep.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The subscription lifecycle of the reference: activation, expiry at the end of the term, automatic
 * and manual renewal, shutdown at expiry, release 90 days later, and the reminders before both
 * deadlines. Pure: the caller passes the time.
 *
 * <p>Renewal of an Expired pool reactivates it (the reference: "expired pools must be renewed and
 * activated"), with a new term starting at the renewal. Renewals are refused while the namespace is
 * overdue, and once the pool is Released. Auto-renewal at expiry is refused while overdue: the pool
 * then expires.
 */
public final class Lifecycle {
  private static final int MAX_AUTO_RENEWALS_PER_STEP = 1200;

  private Lifecycle() {}

  /**
   * A new pool's first term, activated at {@code now}; refused while the namespace is overdue (the
   * reference, "Overdue payments": "you cannot purchase new pools"), leaving the pool {@link
   * PoolPhase#Pending} until the mark is removed.
   */
  public static LifecycleStep activate(Subscription sub, boolean overdue, Instant now) {
    if (overdue) {
      return new LifecycleStep(
          Term.pending(now),
          List.of(),
          List.of(),
          List.of(),
          Optional.of(
              new Refusal(
                  Refusal.OVERDUE,
                  "purchase refused: the namespace has overdue payments; settle them (remove the"
                      + " annotation gpureservation.io/overdue) and the pool is activated")),
          Optional.empty());
    }
    Term term = new Term(PoolPhase.Active, now, now, sub.termMonths(), sub.renewals(), Set.of());
    LifecycleStep rest = step(term, sub, false, now);
    List<Order> orders = new ArrayList<>();
    orders.add(new Order(Order.Kind.Purchase, sub.termMonths()));
    orders.addAll(rest.orders());
    List<Transition> transitions = new ArrayList<>();
    transitions.add(Transition.Activated);
    transitions.addAll(rest.transitions());
    return new LifecycleStep(
        rest.term(), orders, transitions, rest.reminders(), rest.refusal(), rest.nextCheck());
  }

  /** Advances {@code term} to {@code now}. */
  public static LifecycleStep step(Term term, Subscription sub, boolean overdue, Instant now) {
    List<Order> orders = new ArrayList<>();
    List<Transition> transitions = new ArrayList<>();
    Optional<Refusal> refusal = Optional.empty();

    // Expiry and release happen at their own instants, before any renewal seen now: a renewal
    // that arrives after the 90-day release time finds the pool Released and is refused.
    int autoRenewals = 0;
    while (term.phase() == PoolPhase.Active && !now.isBefore(term.expiresAt())) {
      if (sub.autoRenew() && !overdue && autoRenewals++ < MAX_AUTO_RENEWALS_PER_STEP) {
        term = term.extended(sub.termMonths());
        orders.add(new Order(Order.Kind.AutoRenewal, sub.termMonths()));
        transitions.add(Transition.AutoRenewed);
      } else {
        if (sub.autoRenew() && overdue) {
          transitions.add(Transition.AutoRenewalRefused);
        }
        term = term.with(PoolPhase.Expired);
        transitions.add(Transition.Expired);
      }
    }
    if (term.phase() == PoolPhase.Expired && !now.isBefore(term.releaseAt())) {
      term = term.with(PoolPhase.Released);
      transitions.add(Transition.Released);
    }

    long pending = sub.renewals() - term.appliedRenewals();
    if (pending > 0) {
      refusal = renewalRefusal(term, overdue);
      if (refusal.isEmpty()) {
        for (long i = 0; i < pending; i++) {
          if (term.phase() == PoolPhase.Expired) {
            term = term.restarted(now, sub.termMonths());
            transitions.add(Transition.Reactivated);
            orders.add(new Order(Order.Kind.Reactivation, sub.termMonths()));
          } else {
            term = term.extended(sub.termMonths());
            transitions.add(Transition.Renewed);
            orders.add(new Order(Order.Kind.Renewal, sub.termMonths()));
          }
        }
        term = term.renewalsApplied(sub.renewals());
      }
    }

    List<Reminder> due = new ArrayList<>();
    Set<String> sent = new HashSet<>();
    Instant next = null;
    Instant deadline = deadline(term);
    if (deadline != null) {
      for (Reminder r : Reminder.values()) {
        if (r.deadline() != deadlineKind(term)) {
          continue;
        }
        String key = r.key(deadline);
        if (term.remindersSent().contains(key)) {
          sent.add(key);
        } else if (!now.isBefore(r.dueAt(deadline))) {
          due.add(r);
          sent.add(key);
        } else {
          next = earliest(next, r.dueAt(deadline));
        }
      }
      next = earliest(next, deadline);
    }
    // Keys of earlier deadlines are dropped: only reminders of the current deadline are kept.
    term = term.sent(sent);
    return new LifecycleStep(term, orders, transitions, due, refusal, Optional.ofNullable(next));
  }

  private static Optional<Refusal> renewalRefusal(Term term, boolean overdue) {
    if (term.phase() == PoolPhase.Released) {
      return Optional.of(
          new Refusal(
              Refusal.POOL_RELEASED,
              "renewal refused: the pool was released 90 days after it expired; purchase a new"
                  + " ResidentPool"));
    }
    if (overdue) {
      return Optional.of(
          new Refusal(
              Refusal.OVERDUE,
              "renewal refused: the namespace has overdue payments; settle them (remove the"
                  + " annotation gpureservation.io/overdue) and the renewal is applied"));
    }
    return Optional.empty();
  }

  private static Instant deadline(Term term) {
    return switch (term.phase()) {
      case Active -> term.expiresAt();
      case Expired -> term.releaseAt();
      case Released, Pending -> null;
    };
  }

  private static Reminder.Deadline deadlineKind(Term term) {
    return term.phase() == PoolPhase.Active ? Reminder.Deadline.EXPIRY : Reminder.Deadline.RELEASE;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }
}
