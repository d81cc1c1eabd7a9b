package io.gpureservation.core.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * The reference's reminders: 7, 3 and 1 days before expiry, 30, 7 and 1 days before release. A
 * reminder is keyed by the deadline it warns about, so a renewal (new deadline) arms it again.
 */
public enum Reminder {
  ExpiresIn7Days(Deadline.EXPIRY, 7),
  ExpiresIn3Days(Deadline.EXPIRY, 3),
  ExpiresIn1Day(Deadline.EXPIRY, 1),
  ReleasedIn30Days(Deadline.RELEASE, 30),
  ReleasedIn7Days(Deadline.RELEASE, 7),
  ReleasedIn1Day(Deadline.RELEASE, 1);

  /** Which deadline a reminder warns about. */
  public enum Deadline {
    EXPIRY,
    RELEASE
  }

  private final Deadline deadline;
  private final int days;

  Reminder(Deadline deadline, int days) {
    this.deadline = deadline;
    this.days = days;
  }

  public Deadline deadline() {
    return deadline;
  }

  public int days() {
    return days;
  }

  /** When this reminder is due for a deadline at {@code at}. */
  public Instant dueAt(Instant at) {
    return at.minus(Duration.ofDays(days));
  }

  /** The key recorded in status once sent, e.g. {@code ExpiresIn7Days@2027-01-01T00:00:00Z}. */
  public String key(Instant at) {
    return name() + "@" + at;
  }
}
