package io.gpureservation.core.planner;

import java.time.Instant;

/** The period a plan prices: {@code [start, end)} in epoch milliseconds. */
public record Span(long startMillis, long endMillis) {
  public Span {
    if (endMillis <= startMillis) {
      throw new IllegalArgumentException("span must not be empty");
    }
  }

  public long millis() {
    return endMillis - startMillis;
  }

  public Instant start() {
    return Instant.ofEpochMilli(startMillis);
  }

  public Instant end() {
    return Instant.ofEpochMilli(endMillis);
  }
}
