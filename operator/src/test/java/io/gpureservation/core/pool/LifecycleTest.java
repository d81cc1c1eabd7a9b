package io.gpureservation.core.pool;

import static io.gpureservation.core.pool.LifecycleStep.Transition.Activated;
import static io.gpureservation.core.pool.LifecycleStep.Transition.AutoRenewalRefused;
import static io.gpureservation.core.pool.LifecycleStep.Transition.AutoRenewed;
import static io.gpureservation.core.pool.LifecycleStep.Transition.Expired;
import static io.gpureservation.core.pool.LifecycleStep.Transition.Reactivated;
import static io.gpureservation.core.pool.LifecycleStep.Transition.Released;
import static io.gpureservation.core.pool.LifecycleStep.Transition.Renewed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** fc-resident-resource-pool.txt, "Expiration and renewal". */
class LifecycleTest {
  private static final Instant JAN_31 = Instant.parse("2026-01-31T10:00:00Z");
  private static final Subscription ONE_MONTH = new Subscription(1, false, 0);

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void activationStartsATermOfCalendarMonths() {
    LifecycleStep step = Lifecycle.activate(new Subscription(3, false, 0), false, JAN_31);

    assertThat(step.term().phase()).isEqualTo(PoolPhase.Active);
    assertThat(step.term().activatedAt()).isEqualTo(JAN_31);
    assertThat(step.term().expiresAt()).isEqualTo(at("2026-04-30T10:00:00Z"));
    assertThat(step.term().releaseAt()).isEqualTo(at("2026-07-29T10:00:00Z"));
    assertThat(step.orders()).containsExactly(new Order(Order.Kind.Purchase, 3));
    assertThat(step.transitions()).containsExactly(Activated);
  }

  @Test
  void monthEndTermsDoNotDriftAcrossRenewals() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();
    assertThat(term.expiresAt()).isEqualTo(at("2026-02-28T10:00:00Z"));

    Term renewed =
        Lifecycle.step(term, new Subscription(1, false, 1), false, JAN_31.plusSeconds(60)).term();

    assertThat(renewed.expiresAt()).isEqualTo(at("2026-03-31T10:00:00Z"));
  }

  @Test
  void expiryRemindersAreDueSevenThreeAndOneDayBeforeAndEachOnlyOnce() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();
    Instant expiry = term.expiresAt();

    LifecycleStep early = Lifecycle.step(term, ONE_MONTH, false, expiry.minus(Duration.ofDays(8)));
    assertThat(early.reminders()).isEmpty();
    assertThat(early.nextCheck()).contains(expiry.minus(Duration.ofDays(7)));

    LifecycleStep seven = Lifecycle.step(term, ONE_MONTH, false, expiry.minus(Duration.ofDays(7)));
    assertThat(seven.reminders()).containsExactly(Reminder.ExpiresIn7Days);
    LifecycleStep again =
        Lifecycle.step(seven.term(), ONE_MONTH, false, expiry.minus(Duration.ofDays(6)));
    assertThat(again.reminders()).isEmpty();
    assertThat(again.nextCheck()).contains(expiry.minus(Duration.ofDays(3)));

    LifecycleStep three =
        Lifecycle.step(again.term(), ONE_MONTH, false, expiry.minus(Duration.ofDays(3)));
    assertThat(three.reminders()).containsExactly(Reminder.ExpiresIn3Days);
    LifecycleStep one =
        Lifecycle.step(three.term(), ONE_MONTH, false, expiry.minus(Duration.ofHours(20)));
    assertThat(one.reminders()).containsExactly(Reminder.ExpiresIn1Day);
    assertThat(one.nextCheck()).contains(expiry);
  }

  @Test
  void remindersMissedWhileTheOperatorWasDownAreEachSentOnce() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();

    LifecycleStep late =
        Lifecycle.step(term, ONE_MONTH, false, term.expiresAt().minus(Duration.ofHours(1)));

    assertThat(late.reminders())
        .containsExactly(Reminder.ExpiresIn7Days, Reminder.ExpiresIn3Days, Reminder.ExpiresIn1Day);
    assertThat(late.term().remindersSent()).hasSize(3);
  }

  @Test
  void atExpiryThePoolShutsDownAndReleaseRemindersFollow() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();
    Instant expiry = term.expiresAt();

    LifecycleStep expired = Lifecycle.step(term, ONE_MONTH, false, expiry);
    assertThat(expired.term().phase()).isEqualTo(PoolPhase.Expired);
    assertThat(expired.transitions()).containsExactly(Expired);
    assertThat(expired.nextCheck()).contains(expiry.plus(Duration.ofDays(60)));

    Instant release = expired.term().releaseAt();
    LifecycleStep thirty =
        Lifecycle.step(expired.term(), ONE_MONTH, false, release.minus(Duration.ofDays(30)));
    assertThat(thirty.reminders()).containsExactly(Reminder.ReleasedIn30Days);
    LifecycleStep seven =
        Lifecycle.step(thirty.term(), ONE_MONTH, false, release.minus(Duration.ofDays(7)));
    assertThat(seven.reminders()).containsExactly(Reminder.ReleasedIn7Days);
    LifecycleStep one =
        Lifecycle.step(seven.term(), ONE_MONTH, false, release.minus(Duration.ofDays(1)));
    assertThat(one.reminders()).containsExactly(Reminder.ReleasedIn1Day);
  }

  @Test
  void ninetyDaysAfterExpiryThePoolIsReleasedForGood() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();
    Instant release = term.expiresAt().plus(Duration.ofDays(90));

    LifecycleStep released = Lifecycle.step(term, ONE_MONTH, false, release);

    assertThat(released.term().phase()).isEqualTo(PoolPhase.Released);
    assertThat(released.transitions()).containsExactly(Expired, Released);
    assertThat(released.nextCheck()).isEmpty();
    LifecycleStep renewal =
        Lifecycle.step(released.term(), new Subscription(1, false, 1), false, release);
    assertThat(renewal.refusal()).map(Refusal::reason).contains(Refusal.POOL_RELEASED);
    assertThat(renewal.term().phase()).isEqualTo(PoolPhase.Released);
  }

  @Test
  void autoRenewalExtendsTheTermAtExpiryAndRearmsReminders() {
    Subscription auto = new Subscription(2, true, 0);
    LifecycleStep reminded =
        Lifecycle.step(
            Lifecycle.activate(auto, false, JAN_31).term(),
            auto,
            false,
            at("2026-03-30T11:00:00Z"));
    assertThat(reminded.reminders()).hasSize(3);

    LifecycleStep renewed =
        Lifecycle.step(reminded.term(), auto, false, at("2026-03-31T10:00:00Z"));

    assertThat(renewed.term().phase()).isEqualTo(PoolPhase.Active);
    assertThat(renewed.term().expiresAt()).isEqualTo(at("2026-05-31T10:00:00Z"));
    assertThat(renewed.transitions()).containsExactly(AutoRenewed);
    assertThat(renewed.orders()).containsExactly(new Order(Order.Kind.AutoRenewal, 2));
    assertThat(renewed.term().remindersSent()).isEmpty();
  }

  @Test
  void autoRenewalIsRefusedWhileOverdueSoThePoolExpires() {
    Subscription auto = new Subscription(1, true, 0);
    Term term = Lifecycle.activate(auto, false, JAN_31).term();

    LifecycleStep step = Lifecycle.step(term, auto, true, term.expiresAt());

    assertThat(step.term().phase()).isEqualTo(PoolPhase.Expired);
    assertThat(step.transitions()).containsExactly(AutoRenewalRefused, Expired);
    assertThat(step.orders()).isEmpty();
  }

  @Test
  void manualRenewalAddsATermPerCounterIncrement() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();

    LifecycleStep step =
        Lifecycle.step(term, new Subscription(1, false, 2), false, JAN_31.plusSeconds(5));

    assertThat(step.term().expiresAt()).isEqualTo(at("2026-04-30T10:00:00Z"));
    assertThat(step.transitions()).containsExactly(Renewed, Renewed);
    assertThat(step.orders()).hasSize(2);
    assertThat(step.term().appliedRenewals()).isEqualTo(2);
  }

  @Test
  void counterAtCreationIsABaselineNotARenewal() {
    LifecycleStep step = Lifecycle.activate(new Subscription(1, false, 4), false, JAN_31);

    assertThat(step.term().expiresAt()).isEqualTo(at("2026-02-28T10:00:00Z"));
    assertThat(step.orders()).containsExactly(new Order(Order.Kind.Purchase, 1));
  }

  @Test
  void manualRenewalIsRefusedWhileOverdueAndAppliedOnceSettled() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();
    Subscription renew = new Subscription(1, false, 1);

    LifecycleStep refused = Lifecycle.step(term, renew, true, JAN_31.plusSeconds(5));
    assertThat(refused.refusal()).map(Refusal::reason).contains(Refusal.OVERDUE);
    assertThat(refused.term().expiresAt()).isEqualTo(term.expiresAt());
    assertThat(refused.orders()).isEmpty();

    LifecycleStep settled = Lifecycle.step(refused.term(), renew, false, JAN_31.plusSeconds(9));
    assertThat(settled.refusal()).isEmpty();
    assertThat(settled.term().expiresAt()).isEqualTo(at("2026-03-31T10:00:00Z"));
  }

  @Test
  void renewingAnExpiredPoolReactivatesItWithANewTermFromNow() {
    Term expired =
        Lifecycle.step(
                Lifecycle.activate(ONE_MONTH, false, JAN_31).term(),
                ONE_MONTH,
                false,
                at("2026-03-10T00:00:00Z"))
            .term();
    assertThat(expired.phase()).isEqualTo(PoolPhase.Expired);

    LifecycleStep step =
        Lifecycle.step(expired, new Subscription(1, false, 1), false, at("2026-03-15T00:00:00Z"));

    assertThat(step.term().phase()).isEqualTo(PoolPhase.Active);
    assertThat(step.term().expiresAt()).isEqualTo(at("2026-04-15T00:00:00Z"));
    assertThat(step.term().activatedAt()).isEqualTo(JAN_31);
    assertThat(step.transitions()).containsExactly(Reactivated);
  }

  @Test
  void anOverdueNamespaceCannotPurchaseANewPool() {
    // fc-resident-resource-pool.txt, "Overdue payments": "you cannot purchase new pools"
    LifecycleStep refused = Lifecycle.activate(ONE_MONTH, true, JAN_31);

    assertThat(refused.term().phase()).isEqualTo(PoolPhase.Pending);
    assertThat(refused.orders()).isEmpty();
    assertThat(refused.transitions()).isEmpty();
    assertThat(refused.refusal()).map(Refusal::reason).contains(Refusal.OVERDUE);

    LifecycleStep settled = Lifecycle.activate(ONE_MONTH, false, JAN_31.plusSeconds(60));
    assertThat(settled.orders()).containsExactly(new Order(Order.Kind.Purchase, 1));
  }

  @Test
  void aRenewalSeenAfterTheReleaseTimeFindsThePoolReleased() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();
    Instant afterRelease = term.releaseAt().plusSeconds(1);

    LifecycleStep step = Lifecycle.step(term, new Subscription(1, false, 1), false, afterRelease);

    assertThat(step.term().phase()).isEqualTo(PoolPhase.Released);
    assertThat(step.transitions()).containsExactly(Expired, Released);
    assertThat(step.orders()).isEmpty();
    assertThat(step.refusal()).map(Refusal::reason).contains(Refusal.POOL_RELEASED);
  }

  @Test
  void reactivationIsANewOrderWhoseTermStartsAtTheRenewal() {
    Term term = Lifecycle.activate(ONE_MONTH, false, JAN_31).term();
    Instant renewedAt = term.expiresAt().plus(Duration.ofDays(5));

    LifecycleStep step = Lifecycle.step(term, new Subscription(1, false, 1), false, renewedAt);

    assertThat(step.transitions()).containsExactly(Expired, Reactivated);
    assertThat(step.orders()).containsExactly(new Order(Order.Kind.Reactivation, 1));
    assertThat(step.term().termStart()).isEqualTo(renewedAt);
  }
}
