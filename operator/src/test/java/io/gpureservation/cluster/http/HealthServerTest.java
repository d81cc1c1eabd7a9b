package io.gpureservation.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final HealthServer server =
      new HealthServer(0, ready::get, () -> "# TYPE up gauge\nup 1\n");
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void livenessIsUpWhileTheProcessServes() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void readinessFollowsTheSupplier() throws Exception {
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    ready.set(true);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsAreServedAsPrometheusText() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue(HealthServer.PROMETHEUS_TEXT);
    assertThat(response.body()).contains("up 1");
  }

  // docs/install.md, "Metrics": with METRICS_SECURE (the default) /metrics is only on the HTTPS
  // metrics server; the probes stay here, unauthenticated.
  @Test
  void withoutAMetricsSupplierOnlyTheProbesAreServed() throws Exception {
    try (HealthServer probesOnly = new HealthServer(0, () -> true, null)) {
      String base = "http://127.0.0.1:" + probesOnly.port();
      assertThat(status(base + "/metrics")).isEqualTo(404);
      assertThat(status(base + "/healthz")).isEqualTo(200);
      assertThat(status(base + "/readyz")).isEqualTo(200);
    }
  }

  private int status(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/healthz/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/readyz"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
