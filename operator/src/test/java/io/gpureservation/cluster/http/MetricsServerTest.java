package io.gpureservation.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The /metrics request flow against the fabric8 mock server standing in for the API server's
 * TokenReview and SubjectAccessReview (docs/install.md, "Metrics"); the real API server's answers
 * are MetricsAuthIT's.
 */
@EnableKubernetesMockClient
class MetricsServerTest {
  private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<SubjectAccessReview> asked = new ArrayList<>();
  private MetricsServer metrics;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    // "reader" is allowed, "nobody" authenticated but not allowed, anything else unknown
    server
        .expect()
        .post()
        .withPath(TOKEN_REVIEWS)
        .andReply(
            200,
            request -> {
              TokenReview review =
                  Serialization.unmarshal(request.getUtf8Body(), TokenReview.class);
              String token = review.getSpec().getToken();
              boolean known = token.equals("reader") || token.equals("nobody");
              return new TokenReviewBuilder(review)
                  .withNewStatus()
                  .withAuthenticated(known)
                  .withNewUser()
                  .withUsername(known ? "system:serviceaccount:monitoring:" + token : null)
                  .withGroups(known ? List.of("system:serviceaccounts") : null)
                  .endUser()
                  .endStatus()
                  .build();
            })
        .always();
    server
        .expect()
        .post()
        .withPath(ACCESS_REVIEWS)
        .andReply(
            200,
            request -> {
              SubjectAccessReview review =
                  Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
              asked.add(review);
              return new SubjectAccessReviewBuilder(review)
                  .withNewStatus()
                  .withAllowed(review.getSpec().getUser().endsWith(":reader"))
                  .endStatus()
                  .build();
            })
        .always();
    metrics =
        MetricsServer.start(
            0,
            ServingTls.fromDirOrSelfSigned(Path.of("/nonexistent"), "test-metrics"),
            MetricsAccess.reviewing(client),
            () -> "# TYPE up gauge\nup 1\n");
    http = HttpClient.newBuilder().sslContext(TestTls.trustingAnything()).build();
  }

  @AfterEach
  void stop() {
    metrics.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + metrics.port() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAllowedTokenGetsTheMetricsAndTheNextScrapesAskNothing() throws Exception {
    HttpResponse<String> first = get("/metrics", "Authorization", "Bearer reader");
    int requests = server.getRequestCount();
    HttpResponse<String> second = get("/metrics", "Authorization", "Bearer reader");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValue(Replies.PROMETHEUS_TEXT);
    assertThat(first.body()).contains("up 1");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(asked)
        .singleElement()
        .satisfies(
            review -> {
              assertThat(review.getSpec().getUser())
                  .isEqualTo("system:serviceaccount:monitoring:reader");
              assertThat(review.getSpec().getGroups()).containsExactly("system:serviceaccounts");
              assertThat(review.getSpec().getNonResourceAttributes().getPath())
                  .isEqualTo("/metrics");
              assertThat(review.getSpec().getNonResourceAttributes().getVerb()).isEqualTo("get");
              assertThat(review.getSpec().getResourceAttributes()).isNull();
            });
  }

  @Test
  void anAuthenticatedTokenWithoutTheRightGets403() throws Exception {
    HttpResponse<String> response = get("/metrics", "Authorization", "Bearer nobody");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).doesNotContain("up 1");
  }

  @Test
  void noTokenGets401WithoutAskingTheApiServer() throws Exception {
    HttpResponse<String> none = get("/metrics");
    HttpResponse<String> basic = get("/metrics", "Authorization", "Basic dXNlcjpwYXNz");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aTokenTheApiServerDoesNotKnowGets401AndIsNotAskedForAccess() throws Exception {
    HttpResponse<String> response = get("/metrics", "Authorization", "Bearer forged");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("up 1");
    assertThat(asked).isEmpty();
  }

  // e.g. an operator installed without the chart's tokenreviews rule
  @Test
  void whenTheApiServerRefusesTheReviewTheRequestFailsAndNothingIsRemembered() throws Exception {
    server.reset();
    server
        .expect()
        .post()
        .withPath(TOKEN_REVIEWS)
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("cannot create resource \"tokenreviews\"")
                .build())
        .always();

    assertThat(get("/metrics", "Authorization", "Bearer reader").statusCode()).isEqualTo(500);
    int requests = server.getRequestCount();
    assertThat(get("/metrics", "Authorization", "Bearer reader").statusCode()).isEqualTo(500);
    assertThat(server.getRequestCount()).isGreaterThan(requests);
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/metrics/x", "Authorization", "Bearer reader").statusCode()).isEqualTo(404);
    assertThat(get("/healthz").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + metrics.port() + "/metrics"))
                .header("Authorization", "Bearer reader")
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  // Without certificate files the server makes its own (docs/install.md, "Metrics").
  @Test
  void withoutCertificateFilesTheCertificateIsSelfSigned() throws Exception {
    SSLSession session =
        get("/metrics", "Authorization", "Bearer reader").sslSession().orElseThrow();
    X509Certificate served = (X509Certificate) session.getPeerCertificates()[0];
    assertThat(served.getSubjectX500Principal().getName()).isEqualTo("CN=test-metrics");
    served.verify(served.getPublicKey());
  }
}
