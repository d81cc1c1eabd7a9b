package io.gpureservation.cluster.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Plain-HTTP endpoints for the kubelet, unauthenticated: {@code GET /healthz} (liveness: 200 while
 * the process serves requests) and {@code GET /readyz} (200 when the readiness supplier says so,
 * else 503); and {@code GET /metrics} (Prometheus text) only when the metrics are not served
 * securely ({@code METRICS_SECURE=false}, for local runs; docs/install.md, "Metrics"). The Helm
 * chart's probes use these paths on {@code HTTP_PORT}.
 */
public final class HealthServer implements AutoCloseable {
  static final String PROMETHEUS_TEXT = Replies.PROMETHEUS_TEXT;

  private final HttpServer server;

  /**
   * Binds the port (0 picks a free one, see {@link #port()}) and starts serving on a small daemon
   * thread pool; {@code metrics} null serves no {@code /metrics} here.
   */
  public HealthServer(int port, BooleanSupplier ready, Supplier<String> metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind health port " + port, e);
    }
    server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        ex -> {
          boolean isReady = ready.getAsBoolean();
          reply(ex, isReady ? 200 : 503, "text/plain", isReady ? "ready\n" : "not ready\n");
        });
    if (metrics != null) {
      server.createContext("/metrics", ex -> reply(ex, 200, PROMETHEUS_TEXT, metrics.get()));
    }
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "health-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void reply(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    if (!Replies.refusedMethodOrPath(ex)) {
      Replies.send(ex, status, contentType, body);
    }
  }
}
