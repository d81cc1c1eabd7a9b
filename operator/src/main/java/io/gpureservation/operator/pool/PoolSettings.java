package io.gpureservation.operator.pool;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Settings of the ResidentPool feature, from the environment.
 *
 * @param gpuResources extended resource names counted as GPU cards ({@code GPU_RESOURCES},
 *     comma-separated, default {@code nvidia.com/gpu})
 * @param webhookPort HTTPS port of the admission webhook ({@code WEBHOOK_PORT}, default 9443)
 * @param tlsDir directory with {@code tls.crt} and {@code tls.key} ({@code WEBHOOK_TLS_DIR})
 */
public record PoolSettings(List<String> gpuResources, int webhookPort, Path tlsDir) {
  public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
  public static final int DEFAULT_WEBHOOK_PORT = 9443;
  public static final String DEFAULT_TLS_DIR = "/etc/gpu-reservation-operator/webhook-tls";

  public PoolSettings {
    gpuResources = List.copyOf(gpuResources);
  }

  public static PoolSettings fromEnv(Map<String, String> env) {
    String resources = env.getOrDefault("GPU_RESOURCES", DEFAULT_GPU_RESOURCE);
    return new PoolSettings(
        Arrays.stream(resources.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
        Integer.parseInt(env.getOrDefault("WEBHOOK_PORT", String.valueOf(DEFAULT_WEBHOOK_PORT))),
        Path.of(env.getOrDefault("WEBHOOK_TLS_DIR", DEFAULT_TLS_DIR)));
  }

  /** Defaults, for tests and local runs. */
  public static PoolSettings defaults() {
    return fromEnv(Map.of());
  }
}
