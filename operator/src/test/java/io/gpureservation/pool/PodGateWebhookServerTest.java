package io.gpureservation.pool;

import static io.gpureservation.pool.Pools.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpureservation.cluster.http.TestTls;
import io.gpureservation.it.RealCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook over HTTPS with PEM files, as the API server calls it. */
class PodGateWebhookServerTest {
  @TempDir Path tmp;

  private static HttpClient trusting(Path cert) throws Exception {
    return HttpClient.newBuilder().sslContext(TestTls.trusting(cert)).build();
  }

  @Test
  void servesAdmissionReviewsOverTlsFromPemFiles() throws Exception {
    Path tls = RealCluster.loopbackTls(tmp.resolve("tls"));
    try (PodGateWebhookServer server =
        PodGateWebhookServer.startIfConfigured(0, tls, PodGateWebhook.CapacityGated.NONE)) {
      HttpResponse<String> response =
          trusting(tls.resolve("tls.crt"))
              .send(
                  HttpRequest.newBuilder(
                          URI.create("https://127.0.0.1:" + server.port() + "/mutate-pods"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              PodGateWebhookTest.review(
                                  "CREATE",
                                  pod("p", "pool", "f", 1, "1Gi")
                                      .editSpec()
                                      .withSchedulingGates()
                                      .endSpec()
                                      .build())))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      AdmissionReview review = Serialization.unmarshal(response.body(), AdmissionReview.class);
      assertThat(PodGateWebhookTest.patch(review.getResponse()))
          .contains("gpureservation.io/resident-pool");
    }
  }

  // docs/install.md, "Multi-tenant hardening": a body beyond the API server's own request limit is
  // refused before it is read into memory, and the server keeps serving.
  @Test
  void aBodyLargerThanAnyAdmissionReviewIsRefusedWith413BeforeItIsRead() throws Exception {
    Path tls = RealCluster.loopbackTls(tmp.resolve("tls"));
    try (PodGateWebhookServer server =
            PodGateWebhookServer.startIfConfigured(0, tls, PodGateWebhook.CapacityGated.NONE);
        java.net.Socket socket =
            TestTls.trusting(tls.resolve("tls.crt"))
                .getSocketFactory()
                .createSocket("127.0.0.1", server.port())) {
      // the headers announce a body over the limit; none of it is ever sent
      socket
          .getOutputStream()
          .write(
              ("POST /mutate-pods HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                      + "\r\nContent-Length: "
                      + (PodGateWebhookServer.MAX_BODY_BYTES + 1)
                      + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String statusLine =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
              .readLine();

      assertThat(statusLine).startsWith("HTTP/1.1 413");
      assertThat(healthz(tls.resolve("tls.crt"), server.port())).isEqualTo(200);
    }
  }

  private static int healthz(Path trustedCert, int port) throws Exception {
    return trusting(trustedCert)
        .send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void aRotatedCertificateIsServedWithoutARestart() throws Exception {
    Path tls = RealCluster.loopbackTls(tmp.resolve("tls"));
    Path first = Files.copy(tls.resolve("tls.crt"), tmp.resolve("first.crt"));
    try (PodGateWebhookServer server =
        PodGateWebhookServer.start(
            0,
            tls.resolve("tls.crt"),
            tls.resolve("tls.key"),
            java.time.Duration.ZERO,
            PodGateWebhook.CapacityGated.NONE)) {
      assertThat(healthz(first, server.port())).isEqualTo(200);

      RealCluster.loopbackTls(tls); // rotation: a new key and certificate in the same files

      assertThat(healthz(tls.resolve("tls.crt"), server.port())).isEqualTo(200);
      assertThatThrownBy(() -> healthz(first, server.port())).isInstanceOf(IOException.class);
    }
  }

  @Test
  void doesNotStartWithoutTlsFiles() {
    assertThat(
            PodGateWebhookServer.startIfConfigured(
                0, tmp.resolve("missing"), PodGateWebhook.CapacityGated.NONE))
        .isNull();
  }
}
