package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.gpureservation.cluster.http.TestTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may read {@code /metrics} (docs/install.md, "Metrics"), on the real API server: the operator
 * runs as its own process with a token of the chart's ServiceAccount (so only the chart's RBAC,
 * including its tokenreviews and subjectaccessreviews rules, applies) and the webhook's certificate
 * — as the chart runs it. Its verdicts come from the API server's own TokenReview and
 * SubjectAccessReview, against the chart's {@code metrics-reader} ClusterRole. Then the attacks of
 * docs/install.md, "Multi-tenant hardening": the probes keep answering through them.
 */
class MetricsAuthIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();

  /** The kubelet's default probe timeout (the chart sets none). */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** The chart's readinessProbe.failureThreshold: this many failures in a row mark it unready. */
  private static final int PROBE_FAILURES_TOLERATED = 3;

  private KillableOperator operator;
  private HttpClient https;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

  @BeforeEach
  void startOperatorAsTheChartsServiceAccount() throws Exception {
    String ns = cluster.namespace();
    cluster.admin().resourceList(ChartOperator.chartRbac(cluster)).create();
    operator =
        new KillableOperator(
            cluster,
            "MetricsAuthIT",
            cluster.serviceAccountKubeconfig(ns, ns + "-gpu-reservation-operator"));
    operator.start();
    https = HttpClient.newBuilder().sslContext(tls()).build();
  }

  @AfterEach
  void stopOperator() throws InterruptedException {
    operator.close();
  }

  private SSLContext tls() throws Exception {
    return TestTls.trusting(operator.certificate());
  }

  /** A ServiceAccount of the test namespace, bound to the chart's metrics-reader if asked. */
  private String tokenOf(String serviceAccount, boolean metricsReader) {
    String ns = cluster.namespace();
    cluster
        .admin()
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(serviceAccount)
                .endMetadata()
                .build())
        .create();
    if (metricsReader) {
      cluster
          .admin()
          .rbac()
          .clusterRoleBindings()
          .resource(
              new ClusterRoleBindingBuilder()
                  .withNewMetadata()
                  .withName(ns + "-" + serviceAccount)
                  .endMetadata()
                  .withNewRoleRef()
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withKind("ClusterRole")
                  .withName(ns + "-gpu-reservation-operator-metrics-reader")
                  .endRoleRef()
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName(serviceAccount)
                  .withNamespace(ns)
                  .endSubject()
                  .build())
          .create();
    }
    return cluster.serviceAccountToken(ns, serviceAccount);
  }

  private HttpResponse<String> scrape(String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + operator.metricsPort() + "/metrics"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int probe(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + path))
                .timeout(PROBE_TIMEOUT)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void onlyATokenBoundToMetricsReaderReadsTheMetrics() throws Exception {
    Workload.reservation(cluster, "r1", "L20", 1, 2);
    String reader = tokenOf("scraper", true);
    String tenant = tokenOf("tenant", false);

    // 200 with the metrics, once the reservation has been reconciled
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              HttpResponse<String> allowed = scrape("Bearer " + reader);
              assertThat(allowed.statusCode()).isEqualTo(200);
              assertThat(allowed.body())
                  .contains(
                      "gpureservation_reservation_slots{namespace=\""
                          + cluster.namespace()
                          + "\",reservation=\"r1\"");
            });
    HttpResponse<String> forbidden = scrape("Bearer " + tenant);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).doesNotContain("gpureservation_");
    HttpResponse<String> none = scrape(null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).doesNotContain("gpureservation_");
    // well-formed, but no key of the API server signed it
    assertThat(
            scrape("Bearer " + reader.substring(0, reader.lastIndexOf('.')) + ".Zm9yZ2Vk")
                .statusCode())
        .isEqualTo(401);
    assertThat(scrape("Bearer bogus").statusCode()).isEqualTo(401);

    // the probes need no token, and the plain port has no /metrics
    assertThat(probe("/healthz")).isEqualTo(200);
    assertThat(probe("/readyz")).isEqualTo(200);
    assertThat(probe("/metrics")).isEqualTo(404);
  }

  @Test
  void floodsOfTheMetricsPortLeaveTheProbesAnswering() throws Exception {
    String reader = tokenOf("scraper", true);
    AtomicBoolean flooding = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(34);
    List<Socket> idle = new ArrayList<>();
    try {
      // connections that never send a byte, each holding what the server gives a connection
      for (int i = 0; i < 100; i++) {
        idle.add(new Socket("127.0.0.1", operator.metricsPort()));
      }
      Future<List<Integer>> probes =
          pool.submit(
              () -> {
                List<Integer> statuses = new ArrayList<>();
                while (flooding.get()) {
                  for (String path : List.of("/healthz", "/readyz")) {
                    try {
                      statuses.add(probe(path));
                    } catch (IOException timedOut) {
                      statuses.add(-1);
                    }
                  }
                  Thread.sleep(100);
                }
                return statuses;
              });
      // a header far over the JDK server's limit (380 KiB), and one just over the token limit
      Future<String> huge = pool.submit(() -> rawStatusLine("x".repeat(1 << 20)));
      Future<String> long16k = pool.submit(() -> rawStatusLine("x".repeat(16 * 1024 + 1)));
      // many requests at once, on new connections: no token, and forged tokens (each one the API
      // server is asked about)
      List<Future<String>> requests = new ArrayList<>();
      for (int i = 0; i < 320; i++) {
        String authorization = i % 2 == 0 ? null : "forged" + i;
        requests.add(pool.submit(() -> rawStatusLine(authorization)));
      }
      for (Future<String> request : requests) {
        assertThat(request.get(120, TimeUnit.SECONDS)).startsWith("HTTP/1.1 401");
      }
      assertThat(long16k.get(60, TimeUnit.SECONDS)).startsWith("HTTP/1.1 401");
      assertThat(huge.get(60, TimeUnit.SECONDS)).doesNotStartWith("HTTP/1.1 200");
      flooding.set(false);
      List<Integer> statuses = probes.get(30, TimeUnit.SECONDS);

      assertThat(statuses).hasSizeGreaterThan(10);
      assertThat(longestRunOfFailures(statuses)).isLessThan(PROBE_FAILURES_TOLERATED);
    } finally {
      flooding.set(false);
      for (Socket s : idle) {
        s.close();
      }
      pool.shutdownNow();
    }
    // and the scraper still reads
    assertThat(scrape("Bearer " + reader).statusCode()).isEqualTo(200);
  }

  private static int longestRunOfFailures(List<Integer> statuses) {
    int longest = 0;
    int run = 0;
    for (int status : statuses) {
      run = status == 200 ? 0 : run + 1;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  /**
   * One request on a new TLS connection, {@code Authorization: Bearer <token>} when a token is
   * given; the status line, or what ended the connection.
   */
  private String rawStatusLine(String token) {
    try (Socket socket =
        tls().getSocketFactory().createSocket("127.0.0.1", operator.metricsPort())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                  + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String line =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return line == null ? "closed" : line;
    } catch (Exception e) {
      return "closed: " + e;
    }
  }
}
