package io.gpureservation.core.pool;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of one lifecycle step.
 *
 * @param term the new recorded state
 * @param orders orders placed in this step (purchase, renewals) to be priced and added to fees
 * @param transitions what happened, oldest first, for Events
 * @param reminders reminders due now and not sent before
 * @param refusal why a requested renewal was not applied, if it was not
 * @param nextCheck when the lifecycle next needs a look (a reminder, expiry or release), if ever
 */
public record LifecycleStep(
    Term term,
    List<Order> orders,
    List<Transition> transitions,
    List<Reminder> reminders,
    Optional<Refusal> refusal,
    Optional<Instant> nextCheck) {

  /** Lifecycle transitions, named as the Events that report them. */
  public enum Transition {
    Activated,
    Renewed,
    Reactivated,
    AutoRenewed,
    AutoRenewalRefused,
    Expired,
    Released
  }
}
