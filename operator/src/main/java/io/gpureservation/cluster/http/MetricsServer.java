package io.gpureservation.cluster.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} over HTTPS to whom {@link MetricsAccess} allows (docs/install.md,
 * "Metrics"): no or an unauthenticated bearer token gets 401, an authenticated one without {@code
 * get} on {@code /metrics} 403, an allowed one the Prometheus text. Its work is bounded like the
 * webhook's ({@link HttpsEndpoint}), and it runs apart from the health server, so a flood here
 * never delays a kubelet probe.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

  private final HttpsEndpoint endpoint;

  private MetricsServer(HttpsEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** Binds {@code port} (0 picks a free one) and serves {@code metrics} to allowed tokens. */
  public static MetricsServer start(
      int port, SSLContext tls, MetricsAccess access, Supplier<String> metrics) {
    try {
      return new MetricsServer(
          HttpsEndpoint.start(
              port, tls, Map.of(MetricsAccess.PATH, ex -> serve(ex, access, metrics))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind metrics port " + port, e);
    }
  }

  /** The bound port. */
  public int port() {
    return endpoint.port();
  }

  @Override
  public void close() {
    endpoint.close();
  }

  private static void serve(HttpExchange ex, MetricsAccess access, Supplier<String> metrics)
      throws IOException {
    if (Replies.refusedMethodOrPath(ex)) {
      return;
    }
    MetricsAccess.Decision decision;
    try {
      decision = access.decide(ex.getRequestHeaders().get("Authorization"));
    } catch (RuntimeException e) {
      LOG.warn("cannot review a /metrics token: {}", e.toString());
      Replies.send(ex, 500, "text/plain", "cannot review the token\n");
      return;
    }
    switch (decision) {
      case ALLOWED -> Replies.send(ex, 200, Replies.PROMETHEUS_TEXT, metrics.get());
      case UNAUTHENTICATED -> {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        Replies.send(ex, decision.status, "text/plain", "Unauthorized\n");
      }
      case FORBIDDEN -> Replies.send(ex, decision.status, "text/plain", "Forbidden\n");
    }
  }
}
