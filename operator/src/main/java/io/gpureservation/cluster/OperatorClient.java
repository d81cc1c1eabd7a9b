package io.gpureservation.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import io.fabric8.kubernetes.client.utils.Utils;

/**
 * The operator's API client: the kubeconfig or in-cluster configuration, with room for as many
 * requests in flight as there are reconcile threads. fabric8's default of 5 requests per host would
 * serialise the reconcilers behind it (docs/architecture.md, "Concurrency").
 */
public final class OperatorClient {
  /** Requests in flight to the API server; also the number of reconcile threads. */
  public static final int CONCURRENT_REQUESTS = 32;

  private OperatorClient() {}

  public static KubernetesClient create() {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withMaxConcurrentRequests(CONCURRENT_REQUESTS * 2)
            .withMaxConcurrentRequestsPerHost(CONCURRENT_REQUESTS)
            .build();
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
    if (hasNoTokenToRefresh(config)) {
      // fabric8's token refresh only remembers a refresh that produced a token: with a client
      // certificate it read and parsed the whole kubeconfig again before every request, about a
      // seventh of the operator's CPU samples in a burst (docs/performance.md, "Round 20: no read
      // before a write"). Such a configuration has no token to refresh.
      builder.withHttpClientBuilderConsumer(
          http -> http.addOrReplaceInterceptor(TokenRefreshInterceptor.NAME, new Interceptor() {}));
    }
    return builder.build();
  }

  /**
   * Authenticated by a client certificate alone: no token, token provider, auth provider or exec
   * credential (which leaves a token behind), no user name and password.
   */
  static boolean hasNoTokenToRefresh(Config config) {
    return Utils.isNullOrEmpty(config.getOauthToken())
        && Utils.isNullOrEmpty(config.getAutoOAuthToken())
        && config.getOauthTokenProvider() == null
        && config.getAuthProvider() == null
        && Utils.isNullOrEmpty(config.getUsername())
        && (config.getClientCertData() != null || config.getClientCertFile() != null);
  }
}
