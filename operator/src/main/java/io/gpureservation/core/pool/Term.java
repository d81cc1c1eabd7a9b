package io.gpureservation.core.pool;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * The recorded state of a subscription. The term runs from {@code termStart} for {@code months}
 * calendar months (UTC), so repeated renewals never drift: Jan 31 + 1 month is Feb 28, + 2 months
 * is Mar 31.
 *
 * @param phase Active, Expired or Released
 * @param activatedAt first activation (start of usage for refunds)
 * @param termStart start of the current continuous subscription (re-set by reactivation)
 * @param months months paid from termStart
 * @param appliedRenewals the manual renewal counter already acted on
 * @param remindersSent keys of reminders already sent ({@link Reminder#key})
 */
public record Term(
    PoolPhase phase,
    Instant activatedAt,
    Instant termStart,
    long months,
    long appliedRenewals,
    Set<String> remindersSent) {
  public static final Duration GRACE = Duration.ofDays(90);

  public Term {
    remindersSent = Set.copyOf(remindersSent);
  }

  /** A pool whose purchase has not happened yet: no term, nothing paid. */
  static Term pending(Instant now) {
    return new Term(PoolPhase.Pending, now, now, 0, 0, Set.of());
  }

  public Instant expiresAt() {
    return termStart.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
  }

  public Instant releaseAt() {
    return expiresAt().plus(GRACE);
  }

  Term with(PoolPhase newPhase) {
    return new Term(newPhase, activatedAt, termStart, months, appliedRenewals, remindersSent);
  }

  Term extended(long byMonths) {
    return new Term(phase, activatedAt, termStart, months + byMonths, appliedRenewals, Set.of());
  }

  Term restarted(Instant start, long byMonths) {
    return new Term(PoolPhase.Active, activatedAt, start, byMonths, appliedRenewals, Set.of());
  }

  Term renewalsApplied(long counter) {
    return new Term(phase, activatedAt, termStart, months, counter, remindersSent);
  }

  Term sent(Set<String> keys) {
    return new Term(phase, activatedAt, termStart, months, appliedRenewals, keys);
  }
}
