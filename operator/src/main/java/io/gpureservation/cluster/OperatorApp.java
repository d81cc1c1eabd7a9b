package io.gpureservation.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.cluster.http.HealthServer;
import io.gpureservation.cluster.http.MetricsAccess;
import io.gpureservation.cluster.http.MetricsServer;
import io.gpureservation.cluster.http.ServingTls;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.pool.ResidentPoolFeature;
import io.gpureservation.reservation.ReservationEvents;
import io.gpureservation.reservation.ReservationFeature;
import io.gpureservation.reservation.ReservationMetrics;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the controllers, the HTTP endpoints and leader election, and runs them. */
public final class OperatorApp implements AutoCloseable {
  /**
   * How long one HTTP request to the webhook, metrics or health server may take to arrive, in
   * seconds: the JDK server's {@code sun.net.httpserver.maxReqTime}, read once when its first
   * server starts, so it is set here, before any (docs/install.md, "Multi-tenant hardening"). A
   * slow client holds no thread longer.
   */
  static final String MAX_REQUEST_SECONDS = "10";

  static {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(OperatorApp.class);

  private final Operator operator;
  private final HealthServer http;
  private final ResidentPoolFeature pools;
  private final List<AutoCloseable> watchers;

  private OperatorApp(
      Operator operator,
      HealthServer http,
      ResidentPoolFeature pools,
      List<AutoCloseable> watchers) {
    this.operator = operator;
    this.http = http;
    this.pools = pools;
    this.watchers = watchers;
  }

  public static OperatorApp start(KubernetesClient client, OperatorConfig config) {
    return start(client, config, Clock.systemUTC());
  }

  public static OperatorApp start(KubernetesClient client, OperatorConfig config, Clock clock) {
    Catalog catalog =
        config.catalogFile() == null ? Catalog.defaults() : Catalog.load(config.catalogFile());
    // The mock server has no server-side apply; JSON patches behave the same everywhere.
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withConcurrentReconciliationThreads(OperatorClient.CONCURRENT_REQUESTS)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false);
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        OperatorConfig.LEASE_NAME, config.leaseNamespace()));
              }
            });
    ReservationFeature reservations =
        ReservationFeature.register(operator, client, config, clock, catalog);
    ResidentPoolFeature pools =
        ResidentPoolFeature.register(
            operator, client, config, clock, catalog, reservations.capacityGate());
    operator.start();
    List<AutoCloseable> watchers = new ArrayList<>();
    watchers.add(ReservationEvents.start(client, clock));
    watchers.add(reservations.sweepHandOverTaints());
    HealthServer http = null;
    if (config.httpPort() >= 0) {
      ReservationMetrics metrics = new ReservationMetrics(reservations.engine());
      ChargebackMetrics cb =
          ChargebackMetrics.watching(
              client,
              catalog,
              reservations.gpuPods(),
              reservations.engine()::reservations,
              pools::pools,
              reservations::ledgerBilling,
              clock);
      watchers.add(cb);
      Supplier<String> text = () -> metrics.scrape() + cb.scrape();
      OperatorConfig.Metrics served = config.metrics();
      http =
          new HealthServer(
              config.httpPort(),
              () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(),
              served.secure() ? null : text);
      if (served.secure()) {
        watchers.add(startMetricsServer(client, served, text));
        LOG.info("health on http port {}", http.port());
      } else {
        LOG.info("health and metrics (METRICS_SECURE=false) on http port {}", http.port());
      }
    }
    return new OperatorApp(operator, http, pools, watchers);
  }

  /**
   * {@code /metrics} over HTTPS behind TokenReview and SubjectAccessReview (docs/install.md,
   * "Metrics"), with the certificate files of {@code METRICS_TLS_DIR} (by default the webhook's)
   * or, without them, a self-signed certificate made now.
   */
  private static MetricsServer startMetricsServer(
      KubernetesClient client, OperatorConfig.Metrics served, Supplier<String> text) {
    boolean files = ServingTls.hasFiles(served.tlsDir());
    MetricsServer server =
        MetricsServer.start(
            served.port(),
            ServingTls.fromDirOrSelfSigned(served.tlsDir(), "gpu-reservation-operator-metrics"),
            MetricsAccess.reviewing(client),
            text);
    LOG.info(
        "metrics on https port {} (bearer token with get on /metrics), certificate {}",
        server.port(),
        files ? "from " + served.tlsDir() : "self-signed, made at start");
    return server;
  }

  /** The HTTP port actually bound, or -1 when disabled. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public void stop() {
    if (http != null) {
      http.close();
    }
    for (AutoCloseable w : watchers) {
      try {
        w.close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", w, e.toString());
      }
    }
    pools.close();
    operator.stop();
  }

  @Override
  public void close() {
    stop();
  }
}
