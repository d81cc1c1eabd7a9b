package io.gpureservation.core.pool;

import java.util.Set;

/**
 * What the user asked for: term length in months, auto-renewal, and the manual renewal counter
 * (each increment buys one more term).
 */
public record Subscription(int termMonths, boolean autoRenew, long renewals) {
  public static final Set<Integer> TERMS = Set.of(1, 2, 3, 6, 12);

  public Subscription {
    if (!TERMS.contains(termMonths)) {
      throw new IllegalArgumentException(
          "termMonths must be one of 1, 2, 3, 6 or 12, got " + termMonths);
    }
  }
}
