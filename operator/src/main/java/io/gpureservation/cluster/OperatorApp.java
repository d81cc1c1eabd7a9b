package io.gpureservation.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.cluster.http.HealthServer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the controllers, the HTTP endpoints and leader election, and runs them. */
public final class OperatorApp implements AutoCloseable {
  /**
   * How long one HTTP request to the webhook or health server may take to arrive, in seconds: the
   * JDK server's {@code sun.net.httpserver.maxReqTime}, read once when its first server starts, so
   * it is set here, before any (docs/install.md, "Multi-tenant hardening"). A slow client holds no
   * thread longer.
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
      http =
          new HealthServer(
              config.httpPort(),
              () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(),
              () -> metrics.scrape() + cb.scrape());
      LOG.info("health and metrics on port {}", http.port());
    }
    return new OperatorApp(operator, http, pools, watchers);
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
