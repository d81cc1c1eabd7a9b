package io.gpureservation.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How long a holder's placeholder creations wait after the API server refused one: 1 s, doubling
 * with each further refusal up to 1 min, forgotten at the first success or when the holder wants no
 * placeholder created (docs/capacity-holding.md, "When placeholders are refused"). One entry per
 * refused holder, so the map stays as small as the set of holders that are refused right now.
 */
final class RefusalBackOff {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration LONGEST = Duration.ofMinutes(1);

  private record Refusal(String problem, Instant until, Duration backOff) {}

  private final Clock clock;
  private final ConcurrentMap<String, Refusal> refused = new ConcurrentHashMap<>();

  RefusalBackOff(Clock clock) {
    this.clock = clock;
  }

  /** The holder's last refusal while its back-off runs, else null (creations may be tried). */
  String refusedNow(String holder) {
    Refusal r = refused.get(holder);
    return r != null && clock.instant().isBefore(r.until()) ? r.problem() : null;
  }

  /** Records a refusal: the next creations wait twice as long as the last time (at most 1 min). */
  void refused(String holder, String problem) {
    refused.compute(
        holder,
        (key, last) -> {
          Duration wait = last == null ? FIRST : last.backOff().multipliedBy(2);
          if (wait.compareTo(LONGEST) > 0) {
            wait = LONGEST;
          }
          return new Refusal(problem, clock.instant().plus(wait), wait);
        });
  }

  void forget(String holder) {
    refused.remove(holder);
  }
}
