package io.gpureservation.core.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cumulative GPU-seconds and cost of running GPU pods by namespace, card type and billing mode, for
 * chargeback counters (docs/billing.md, "Chargeback metrics"). Each {@link #observe} adds, for
 * every pod running at that time, its cards × the time since it was last counted (or since its
 * billing began, or since the meter started, whichever is latest), and its hourly rate × that time.
 * Time is whole milliseconds and cost is kept as the exact sum of rate × card-milliseconds, divided
 * once on read. A pod that ended between two observations loses the time since the earlier one: the
 * counters are exact to one observation interval per ended pod (the reservation's and pool's status
 * stay the ledger).
 */
public final class ChargebackMeter {
  /** What the counters are keyed by. */
  public record Key(String namespace, String cardType, String billingMode)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return toString().compareTo(o.toString());
    }
  }

  /**
   * A pod running now.
   *
   * @param uid the pod's uid (a pod is counted once per instant)
   * @param key namespace, card type, billing mode
   * @param cards GPU cards it holds
   * @param hourlyRate its price per hour in this mode (the whole pod, all its cards)
   * @param since when its current billing mode began
   */
  public record Running(String uid, Key key, int cards, BigDecimal hourlyRate, Instant since) {}

  /** Totals of one key: GPU-seconds (3 decimals, exact) and cost (6 decimals HALF_UP). */
  public record Totals(BigDecimal gpuSeconds, BigDecimal cost) {}

  private final Instant startedAt;
  private final Map<String, Instant> countedUntil = new HashMap<>();
  private final Map<Key, Long> cardMillis = new TreeMap<>();
  private final Map<Key, BigDecimal> rateMillis = new TreeMap<>();

  public ChargebackMeter(Instant startedAt) {
    this.startedAt = startedAt;
  }

  /** Counts every running pod up to {@code now}; forgets pods no longer running. */
  public synchronized void observe(Instant now, Collection<Running> running) {
    Set<String> seen = new HashSet<>();
    for (Running r : running) {
      seen.add(r.uid());
      Instant from = latest(latest(startedAt, r.since()), countedUntil.get(r.uid()));
      long millis = Math.max(0, now.toEpochMilli() - from.toEpochMilli());
      long card = Math.multiplyExact(millis, r.cards());
      cardMillis.merge(r.key(), card, Math::addExact);
      rateMillis.merge(
          r.key(), r.hourlyRate().multiply(BigDecimal.valueOf(millis)), BigDecimal::add);
      countedUntil.put(r.uid(), now.isAfter(from) ? now : from);
    }
    countedUntil.keySet().retainAll(seen);
  }

  /** Totals by key so far, sorted by key. */
  public synchronized Map<Key, Totals> totals() {
    Map<Key, Totals> result = new TreeMap<>();
    cardMillis.forEach(
        (k, ms) -> result.put(k, new Totals(Money.seconds(ms), Money.perHour(rateMillis.get(k)))));
    return result;
  }

  private static Instant latest(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }
}
