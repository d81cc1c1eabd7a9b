package io.gpureservation.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

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
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
