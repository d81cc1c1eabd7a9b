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
 * @param httpPort health port ({@code HTTP_PORT}), plain HTTP, also {@code /metrics} when they are
 *     not secure; 0 picks a free port, -1 disables health and metrics
 * @param webhookPort admission webhook HTTPS port ({@code WEBHOOK_PORT})
 * @param webhookTlsDir directory with tls.crt and tls.key ({@code WEBHOOK_TLS_DIR})
 * @param leaderElection whether to elect a leader ({@code LEADER_ELECTION})
 * @param leaseNamespace namespace of the leader-election lease ({@code POD_NAMESPACE})
 * @param accrualInterval how often idle/active cost is accrued into status ({@code
 *     ACCRUAL_INTERVAL_SECONDS}); transitions accrue immediately as well
 * @param holding how capacity is held with placeholder pods (docs/capacity-holding.md)
 * @param metrics how {@code /metrics} is served (docs/install.md, "Metrics")
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
    Metrics metrics,
    List<String> gpuDrivers) {

  /**
   * Placeholder pods and hand-over.
   *
   * @param image the placeholder container's image ({@code PLACEHOLDER_IMAGE})
   * @param priorityClass the placeholders' PriorityClass ({@code PLACEHOLDER_PRIORITY_CLASS}),
   *     installed by the chart
   * @param handOverTimeout how long a pod handed a slot may take to start before the slot gets a
   *     placeholder again ({@code HANDOVER_TIMEOUT_SECONDS})
   * @param claimantPriorityClass the PriorityClass the webhook gives a pod that may be handed a
   *     held slot ({@code CLAIMANT_PRIORITY_CLASS}), installed by the chart with the placeholders'
   *     value and {@code preemptionPolicy: Never} (docs/capacity-holding.md "Why nothing else can
   *     take a hand-over's capacity")
   * @param priority the value of both classes ({@code PLACEHOLDER_PRIORITY})
   */
  public record Holding(
      String image,
      String priorityClass,
      Duration handOverTimeout,
      String claimantPriorityClass,
      int priority) {}

  /**
   * How {@code /metrics} is served (docs/install.md, "Metrics").
   *
   * @param secure over HTTPS on {@code port}, to bearer tokens the API server authenticates and
   *     allows {@code get} on {@code /metrics} ({@code METRICS_SECURE}, default true); false serves
   *     them on the health port over plain HTTP to anyone, for local runs
   * @param port the HTTPS port ({@code METRICS_PORT}, default 8443, as Kubebuilder's); 0 picks a
   *     free port
   * @param tlsDir directory with tls.crt and tls.key ({@code METRICS_TLS_DIR}, default the
   *     webhook's); without them a self-signed certificate is made at start
   */
  public record Metrics(boolean secure, int port, Path tlsDir) {}

  public static final String LEASE_NAME = "gpu-reservation-operator";

  public OperatorConfig {
    gpuResources = List.copyOf(gpuResources);
    gpuDrivers = List.copyOf(gpuDrivers);
  }

  /**
   * Defaults for a local run: no leader election, health on 8080, metrics on 8443 (HTTPS, bearer
   * token).
   */
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
    String webhookTlsDir =
        orDefault(get.apply("WEBHOOK_TLS_DIR"), "/etc/gpu-reservation-operator/webhook-tls");
    return new OperatorConfig(
        commaList(orDefault(get.apply("GPU_RESOURCES"), "nvidia.com/gpu")),
        orDefault(get.apply("CARD_TYPE_NODE_LABEL"), "nvidia.com/gpu.product"),
        catalog == null ? null : Path.of(catalog),
        Integer.parseInt(orDefault(get.apply("HTTP_PORT"), "8080")),
        Integer.parseInt(orDefault(get.apply("WEBHOOK_PORT"), "9443")),
        Path.of(webhookTlsDir),
        Boolean.parseBoolean(
            orDefault(get.apply("LEADER_ELECTION"), String.valueOf(namespace != null))),
        orDefault(namespace, "default"),
        Duration.ofSeconds(Long.parseLong(orDefault(get.apply("ACCRUAL_INTERVAL_SECONDS"), "300"))),
        new Holding(
            orDefault(get.apply("PLACEHOLDER_IMAGE"), "registry.k8s.io/pause:3.10"),
            orDefault(get.apply("PLACEHOLDER_PRIORITY_CLASS"), "gpu-reservation-placeholder"),
            Duration.ofSeconds(
                Long.parseLong(orDefault(get.apply("HANDOVER_TIMEOUT_SECONDS"), "120"))),
            orDefault(get.apply("CLAIMANT_PRIORITY_CLASS"), "gpu-reservation-claimant"),
            Integer.parseInt(orDefault(get.apply("PLACEHOLDER_PRIORITY"), "1000000"))),
        new Metrics(
            Boolean.parseBoolean(orDefault(get.apply("METRICS_SECURE"), "true")),
            Integer.parseInt(orDefault(get.apply("METRICS_PORT"), "8443")),
            Path.of(orDefault(get.apply("METRICS_TLS_DIR"), webhookTlsDir))),
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
        metrics,
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
        metrics,
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
        metrics,
        gpuDrivers);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String orDefault(String s, String fallback) {
    return s == null ? fallback : s;
  }
}
