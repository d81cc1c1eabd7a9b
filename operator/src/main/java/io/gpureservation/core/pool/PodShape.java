package io.gpureservation.core.pool;

import java.util.Optional;

/**
 * What a pool pod asks for besides cards and disk: the card type it names (label or nodeSelector,
 * empty when it names none) and its effective CPU (millicores) and memory (bytes) requests.
 */
public record PodShape(Optional<String> cardType, long cpuMillis, long memoryBytes) {
  /** A pod that names no card type and asks for no CPU or memory. */
  public static final PodShape UNSTATED = new PodShape(Optional.empty(), 0, 0);
}
