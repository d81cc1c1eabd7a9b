package io.gpureservation.core.matching;

import java.time.Instant;

/** How a GPU pod is billed right now. */
public sealed interface PodBilling {
  /** Not started: no annotation, no cost. */
  record NotStarted() implements PodBilling {}

  /** Holding a reservation slot since the given time. */
  record Reserved(String reservation, int slot, Instant since) implements PodBilling {}

  /** Billed pay-as-you-go since the given time, for the given reason. */
  record PayAsYouGo(String reason, Instant since) implements PodBilling {}

  PodBilling NOT_STARTED = new NotStarted();
}
