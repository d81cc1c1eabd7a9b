package io.gpureservation.operator.pool;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the ResidentPool feature (taken from the operator's configuration).
 *
 * @param gpuResources extended resource names counted as GPU cards
 * @param webhookPort HTTPS port of the admission webhook (0 picks a free port)
 * @param tlsDir directory with {@code tls.crt} and {@code tls.key}
 */
public record PoolSettings(List<String> gpuResources, int webhookPort, Path tlsDir) {

  public PoolSettings {
    gpuResources = List.copyOf(gpuResources);
  }
}
