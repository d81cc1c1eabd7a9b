package io.gpureservation.cluster.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the API server said about a token, remembered briefly so that a scraper every 15 s costs one
 * TokenReview and one SubjectAccessReview a minute, not two per scrape (docs/install.md,
 * "Metrics"): an allowed token for {@link #ALLOWED_FOR}, a refused one for {@link #REFUSED_FOR}, at
 * most {@link #MAX_ENTRIES} tokens (the least recently used goes first). Tokens are kept as their
 * SHA-256, never as themselves. The lock is held only to read or write the map, never while the API
 * server is asked.
 */
final class DecisionCache {
  static final Duration ALLOWED_FOR = Duration.ofSeconds(60);
  static final Duration REFUSED_FOR = Duration.ofSeconds(10);
  static final int MAX_ENTRIES = 1024;

  private record Entry(MetricsAccess.Decision decision, Instant until) {}

  private final Clock clock;
  private final Map<String, Entry> entries;

  DecisionCache(Clock clock, int maxEntries) {
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /** The cache key of a token: its SHA-256, so no token is kept in memory. */
  static String key(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The decision remembered for this key, unless it has expired. */
  synchronized Optional<MetricsAccess.Decision> get(String key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.until())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(entry.decision());
  }

  synchronized void put(String key, MetricsAccess.Decision decision) {
    Duration ttl = decision == MetricsAccess.Decision.ALLOWED ? ALLOWED_FOR : REFUSED_FOR;
    entries.put(key, new Entry(decision, clock.instant().plus(ttl)));
  }
}
