package io.gpureservation.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator's settings, read from environment variables so that the Helm chart can set them.
 *
 * @param gpuResources resource names that make a pod a GPU pod ({@code GPU_RESOURCES})
 * @param cardTypeNodeLabel nodeSelector key naming the card type ({@code CARD_TYPE_NODE_LABEL})
 * @param catalogFile optional catalog override file ({@code CATALOG_FILE}), or null
 * @param httpPort health and metrics port ({@code HTTP_PORT}); 0 picks a free port, -1 disables
 * @param webhookPort admission webhook HTTPS port ({@code WEBHOOK_PORT})
 * @param webhookTlsDir directory with tls.crt and tls.key ({@code WEBHOOK_TLS_DIR})
 * @param leaderElection whether to elect a leader ({@code LEADER_ELECTION})
 * @param leaseNamespace namespace of the leader-election lease ({@code POD_NAMESPACE})
 * @param accrualInterval how often idle/active cost is accrued into status ({@code
 *     ACCRUAL_INTERVAL_SECONDS}); transitions accrue immediately as well
 * @param holding how capacity is held with placeholder pods (docs/capacity-holding.md)
 * @param gpuDrivers DRA drivers whose allocated devices are GPU cards ({@code GPU_DRIVERS};
 *     docs/capacity-reservation.md "GPUs claimed through DRA")
 */
public record OperatorConfig(
    List<String> gpuResources,
    String cardTypeNodeLabel,
    Path catalogFile,
    int httpPort,
    int webhookPort,
    Path webhookTlsDir,
    boolean leaderElection,
    String leaseNamespace,
    Duration accrualInterval,
    Holding holding,
    List<String> gpuDrivers) {

  /**
   * Placeholder pods and hand-over.
   *
   * @param image the placeholder container's image ({@code PLACEHOLDER_IMAGE})
   * @param priorityClass the placeholders' PriorityClass ({@code PLACEHOLDER_PRIORITY_CLASS}),
   *     installed by the chart
   * @param handOverTimeout how long a pod handed a slot may take to start before the slot gets a
   *     placeholder again ({@code HANDOVER_TIMEOUT_SECONDS})
   */
  public record Holding(String image, String priorityClass, Duration handOverTimeout) {}

  public static final String LEASE_NAME = "gpu-reservation-operator";

  public OperatorConfig {
    gpuResources = List.copyOf(gpuResources);
    gpuDrivers = List.copyOf(gpuDrivers);
  }

  /** Defaults for a local run: no leader election, health on 8080. */
  public static OperatorConfig defaults() {
    return fromEnvironment(Map.of());
  }

  public static OperatorConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    Function<String, String> get = key -> blankToNull(env.get(key));
    String catalog = get.apply("CATALOG_FILE");
    String namespace = get.apply("POD_NAMESPACE");
    return new OperatorConfig(
        commaList(orDefault(get.apply("GPU_RESOURCES"), "nvidia.com/gpu")),
        orDefault(get.apply("CARD_TYPE_NODE_LABEL"), "nvidia.com/gpu.product"),
        catalog == null ? null : Path.of(catalog),
        Integer.parseInt(orDefault(get.apply("HTTP_PORT"), "8080")),
        Integer.parseInt(orDefault(get.apply("WEBHOOK_PORT"), "9443")),
        Path.of(
            orDefault(get.apply("WEBHOOK_TLS_DIR"), "/etc/gpu-reservation-operator/webhook-tls")),
        Boolean.parseBoolean(
            orDefault(get.apply("LEADER_ELECTION"), String.valueOf(namespace != null))),
        orDefault(namespace, "default"),
        Duration.ofSeconds(Long.parseLong(orDefault(get.apply("ACCRUAL_INTERVAL_SECONDS"), "300"))),
        new Holding(
            orDefault(get.apply("PLACEHOLDER_IMAGE"), "registry.k8s.io/pause:3.10"),
            orDefault(get.apply("PLACEHOLDER_PRIORITY_CLASS"), "gpu-reservation-placeholder"),
            Duration.ofSeconds(
                Long.parseLong(orDefault(get.apply("HANDOVER_TIMEOUT_SECONDS"), "120")))),
        commaList(orDefault(get.apply("GPU_DRIVERS"), "gpu.nvidia.com")));
  }

  private static List<String> commaList(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public OperatorConfig withHttpPort(int port) {
    return new OperatorConfig(
        gpuResources,
        cardTypeNodeLabel,
        catalogFile,
        port,
        webhookPort,
        webhookTlsDir,
        leaderElection,
        leaseNamespace,
        accrualInterval,
        holding,
        gpuDrivers);
  }

  public OperatorConfig withWebhook(int port, Path tlsDir) {
    return new OperatorConfig(
        gpuResources,
        cardTypeNodeLabel,
        catalogFile,
        httpPort,
        port,
        tlsDir,
        leaderElection,
        leaseNamespace,
        accrualInterval,
        holding,
        gpuDrivers);
  }

  public OperatorConfig withLeaderElection(boolean enabled, String namespace) {
    return new OperatorConfig(
        gpuResources,
        cardTypeNodeLabel,
        catalogFile,
        httpPort,
        webhookPort,
        webhookTlsDir,
        enabled,
        namespace,
        accrualInterval,
        holding,
        gpuDrivers);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String orDefault(String s, String fallback) {
    return s == null ? fallback : s;
  }
}
