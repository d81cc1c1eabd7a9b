package io.gpureservation.core.planner;

import java.time.Duration;
import java.util.List;

/**
 * A reservation the planner proposes: a quantity of slots, live always (no windows) or during its
 * recurring windows (docs/time-windows.md). Windows are in the plan's time zone.
 */
public record ProposedReservation(int quantity, List<Window> windows) {
  public ProposedReservation {
    windows = List.copyOf(windows);
  }

  /** One recurring window: a cron start, an elapsed duration and a lead time. */
  public record Window(String cron, Duration duration, Duration leadTime) {}

  public boolean alwaysOn() {
    return windows.isEmpty();
  }
}
