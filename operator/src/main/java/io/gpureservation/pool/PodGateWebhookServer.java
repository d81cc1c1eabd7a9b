package io.gpureservation.pool;

import com.sun.net.httpserver.HttpExchange;
import io.gpureservation.cluster.http.HttpsEndpoint;
import io.gpureservation.cluster.http.ServingTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS server (JDK {@code HttpsServer}) for {@code POST /mutate-pods}, TLS from PEM files that are
 * reloaded when they change ({@link ServingTls#fromFiles}), its work bounded by {@link
 * HttpsEndpoint}.
 */
final class PodGateWebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodGateWebhookServer.class);

  /** How often the certificate files are compared with what is served (rotation latency). */
  static final Duration CERT_RECHECK = ServingTls.CERT_RECHECK;

  /**
   * The largest AdmissionReview read: the API server's own limit of a request body (3 MiB); a
   * larger body is refused with 413 before it is read (docs/install.md, "Multi-tenant hardening").
   */
  static final int MAX_BODY_BYTES = 3 << 20;

  private final HttpsEndpoint endpoint;

  private PodGateWebhookServer(HttpsEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Starts the server when {@code tls.crt} and {@code tls.key} exist; else logs and returns null.
   */
  static PodGateWebhookServer startIfConfigured(
      int port, Path tlsDir, PodGateWebhook.CapacityGated capacityGated) {
    Path cert = tlsDir.resolve("tls.crt");
    Path key = tlsDir.resolve("tls.key");
    if (!ServingTls.hasFiles(tlsDir)) {
      LOG.warn(
          "ResidentPool webhook not started: no {} and {}; pool pods are not gated by this"
              + " process (fine for local runs without the webhook configuration)",
          cert,
          key);
      return null;
    }
    return start(port, cert, key, CERT_RECHECK, capacityGated);
  }

  static PodGateWebhookServer start(int port, Path cert, Path key) {
    return start(port, cert, key, CERT_RECHECK, PodGateWebhook.CapacityGated.NONE);
  }

  /**
   * Starts the server; the certificate files are compared with what is served every recheck. Pods
   * that {@code capacityGated} names get the capacity gate.
   */
  static PodGateWebhookServer start(
      int port, Path cert, Path key, Duration recheck, PodGateWebhook.CapacityGated capacityGated) {
    try {
      HttpsEndpoint endpoint =
          HttpsEndpoint.start(
              port,
              ServingTls.fromFiles(cert, key, recheck),
              Map.of(
                  PodGateWebhook.PATH,
                  exchange -> mutate(exchange, capacityGated),
                  "/healthz",
                  exchange -> reply(exchange, 200, "ok", "text/plain")));
      LOG.info("ResidentPool webhook listening on https port {}", endpoint.port());
      return new PodGateWebhookServer(endpoint);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot start the ResidentPool webhook: " + e, e);
    }
  }

  int port() {
    return endpoint.port();
  }

  @Override
  public void close() {
    endpoint.close();
  }

  private static void mutate(HttpExchange exchange, PodGateWebhook.CapacityGated capacityGated)
      throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "POST an AdmissionReview", "text/plain");
        return;
      }
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      byte[] read = new byte[0];
      if (length == null || !isLarger(length)) {
        try (InputStream in = exchange.getRequestBody()) {
          read = in.readNBytes(MAX_BODY_BYTES + 1);
        }
      }
      if (read.length > MAX_BODY_BYTES || (length != null && isLarger(length))) {
        reply(
            exchange,
            413,
            "AdmissionReview larger than " + MAX_BODY_BYTES + " bytes",
            "text/plain");
        return;
      }
      String body = new String(read, StandardCharsets.UTF_8);
      try {
        reply(exchange, 200, PodGateWebhook.handle(body, capacityGated), "application/json");
      } catch (RuntimeException e) {
        LOG.warn("bad AdmissionReview: {}", e.toString());
        reply(exchange, 400, "bad AdmissionReview: " + e.getMessage(), "text/plain");
      }
    }
  }

  private static boolean isLarger(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES;
    } catch (NumberFormatException malformed) {
      return true;
    }
  }

  private static void reply(HttpExchange exchange, int code, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
