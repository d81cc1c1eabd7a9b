package io.gpureservation.cluster.http;

import static io.gpureservation.cluster.http.MetricsAccess.Decision.ALLOWED;
import static io.gpureservation.cluster.http.MetricsAccess.Decision.FORBIDDEN;
import static io.gpureservation.cluster.http.MetricsAccess.Decision.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.cluster.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long and how many /metrics decisions are remembered (docs/install.md, "Metrics"). */
class DecisionCacheTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private final DecisionCache cache = new DecisionCache(clock, 3);

  @Test
  void anAllowedTokenIsRememberedForAMinute() {
    cache.put("k", ALLOWED);
    clock.advance(DecisionCache.ALLOWED_FOR.minusSeconds(1));
    assertThat(cache.get("k")).hasValue(ALLOWED);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k")).isEmpty();
  }

  @Test
  void aRefusedTokenIsRememberedForTenSeconds() {
    cache.put("forbidden", FORBIDDEN);
    cache.put("unknown", UNAUTHENTICATED);
    clock.advance(DecisionCache.REFUSED_FOR.minusSeconds(1));
    assertThat(cache.get("forbidden")).hasValue(FORBIDDEN);
    assertThat(cache.get("unknown")).hasValue(UNAUTHENTICATED);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("forbidden")).isEmpty();
    assertThat(cache.get("unknown")).isEmpty();
  }

  @Test
  void beyondItsSizeTheLeastRecentlyUsedTokenGoesFirst() {
    cache.put("a", ALLOWED);
    cache.put("b", ALLOWED);
    cache.put("c", ALLOWED);
    cache.get("a"); // used: b is now the least recently used
    cache.put("d", FORBIDDEN);
    assertThat(cache.get("b")).isEmpty();
    assertThat(cache.get("a")).hasValue(ALLOWED);
    assertThat(cache.get("c")).hasValue(ALLOWED);
    assertThat(cache.get("d")).hasValue(FORBIDDEN);
  }

  @Test
  void aTokenIsKeptAsItsDigestOnly() {
    String key = DecisionCache.key("secret-token");
    assertThat(key)
        .hasSize(64)
        .doesNotContain("secret")
        .isEqualTo(DecisionCache.key("secret-token"));
    assertThat(DecisionCache.key("other-token")).isNotEqualTo(key);
  }
}
