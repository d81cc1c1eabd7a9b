package io.gpureservation.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.core.catalog.Catalog;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.List;

/**
 * The one entry point of the ResidentPool feature: registers the pool reconciler with the operator
 * and starts the admission webhook server (when its TLS files exist). Pool pods whose pool does not
 * exist are the GPU pod reconciler's ({@link PoolNotFound}), which watches every such pod anyway.
 * The operator must patch primary resources without server-side apply ({@code
 * withUseSSAToPatchPrimaryResource(false)}), the same setting the mock-server tests run with.
 */
public final class ResidentPoolFeature implements AutoCloseable {
  private final PodGateWebhookServer webhook;
  private final ResidentPoolReconciler pools;

  private ResidentPoolFeature(PodGateWebhookServer webhook, ResidentPoolReconciler pools) {
    this.webhook = webhook;
    this.pools = pools;
  }

  /** The pools as the operator last saw them (for metrics). */
  public List<ResidentPool> pools() {
    return pools.pools();
  }

  /**
   * Registers the ResidentPool reconciler (call before {@code operator.start()}) and starts the
   * webhook on {@code config.webhookPort()} with the PEM files in {@code config.webhookTlsDir()};
   * without those files the webhook does not start (logged).
   */
  public static ResidentPoolFeature register(
      Operator operator,
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Catalog catalog,
      PodGateWebhook.CapacityGated capacityGated) {
    ResidentPoolReconciler pools = new ResidentPoolReconciler(client, clock, catalog, config);
    operator.register(pools);
    PodGateWebhook.CapacityGated gated =
        new PodGateWebhook.CapacityGated() {
          @Override
          public boolean test(String namespace, io.fabric8.kubernetes.api.model.Pod pod) {
            return capacityGated.test(namespace, pod);
          }

          @Override
          public PodGateWebhook.Claimant claimant() {
            return capacityGated.claimant();
          }

          @Override
          public boolean poolLends(String namespace, io.fabric8.kubernetes.api.model.Pod pod) {
            return pools.lendsTo(namespace, pod);
          }
        };
    return new ResidentPoolFeature(
        PodGateWebhookServer.startIfConfigured(config.webhookPort(), config.webhookTlsDir(), gated),
        pools);
  }

  /** The webhook's port, or -1 when it did not start. */
  public int webhookPort() {
    return webhook == null ? -1 : webhook.port();
  }

  @Override
  public void close() {
    if (webhook != null) {
      webhook.close();
    }
  }
}
