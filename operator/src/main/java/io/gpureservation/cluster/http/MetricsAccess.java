package io.gpureservation.cluster.http;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: the holder of a bearer token that the API server authenticates
 * (TokenReview, {@code authentication.k8s.io/v1}) and allows {@code get} on the non-resource URL
 * {@code /metrics} (SubjectAccessReview, {@code authorization.k8s.io/v1}) — what Kubebuilder's
 * metrics server does, and what the chart's {@code metrics-reader} ClusterRole grants
 * (docs/install.md, "Metrics"). Decisions are remembered by a {@link DecisionCache}.
 */
public final class MetricsAccess {
  /** The answer to one request, and its HTTP status. */
  public enum Decision {
    ALLOWED(200),
    UNAUTHENTICATED(401),
    FORBIDDEN(403);

    final int status;

    Decision(int status) {
      this.status = status;
    }
  }

  /** Asks the API server about one token; throws when it cannot answer. */
  interface Reviewer {
    Decision review(String token);
  }

  static final String PATH = "/metrics";

  private final Reviewer reviewer;
  private final DecisionCache cache;

  MetricsAccess(Reviewer reviewer, DecisionCache cache) {
    this.reviewer = reviewer;
    this.cache = cache;
  }

  /** Reviews tokens with {@code client}, whose identity may create both reviews. */
  public static MetricsAccess reviewing(KubernetesClient client) {
    return new MetricsAccess(
        token -> review(client, token),
        new DecisionCache(Clock.systemUTC(), DecisionCache.MAX_ENTRIES));
  }

  /**
   * The decision for a request with these {@code Authorization} header values; a request without a
   * usable bearer token is refused without asking the API server. Throws when the API server cannot
   * answer (nothing is remembered then).
   */
  Decision decide(List<String> authorization) {
    Optional<String> token = BearerToken.of(authorization);
    if (token.isEmpty()) {
      return Decision.UNAUTHENTICATED;
    }
    String key = DecisionCache.key(token.get());
    Optional<Decision> known = cache.get(key);
    if (known.isPresent()) {
      return known.get();
    }
    Decision decision = reviewer.review(token.get()); // no lock held
    cache.put(key, decision);
    return decision;
  }

  private static Decision review(KubernetesClient client, String token) {
    TokenReview authenticated =
        client
            .authentication()
            .v1()
            .tokenReviews()
            .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    if (authenticated.getStatus() == null
        || !Boolean.TRUE.equals(authenticated.getStatus().getAuthenticated())
        || authenticated.getStatus().getUser() == null) {
      return Decision.UNAUTHENTICATED;
    }
    UserInfo user = authenticated.getStatus().getUser();
    SubjectAccessReview allowed =
        client
            .authorization()
            .v1()
            .subjectAccessReview()
            .create(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(user.getUsername())
                    .withUid(user.getUid())
                    .withGroups(user.getGroups())
                    .withExtra(user.getExtra())
                    .withNewNonResourceAttributes()
                    .withPath(PATH)
                    .withVerb("get")
                    .endNonResourceAttributes()
                    .endSpec()
                    .build());
    return allowed.getStatus() != null && Boolean.TRUE.equals(allowed.getStatus().getAllowed())
        ? Decision.ALLOWED
        : Decision.FORBIDDEN;
  }
}
