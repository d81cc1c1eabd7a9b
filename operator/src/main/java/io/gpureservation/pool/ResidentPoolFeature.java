package io.gpureservation.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.pool.BillingPoolPricing;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;

/**
 * The one entry point of the ResidentPool feature: registers the reconciler with the operator and
 * starts the admission webhook server (when its TLS files exist). The operator must patch primary
 * resources without server-side apply ({@code withUseSSAToPatchPrimaryResource(false)}), the same
 * setting the mock-server tests run with.
 */
public final class ResidentPoolFeature implements AutoCloseable {
  private final PodGateWebhookServer webhook;

  private ResidentPoolFeature(PodGateWebhookServer webhook) {
    this.webhook = webhook;
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
    operator.register(
        new ResidentPoolReconciler(client, clock, new BillingPoolPricing(catalog), config));
    return new ResidentPoolFeature(
        PodGateWebhookServer.startIfConfigured(
            config.webhookPort(), config.webhookTlsDir(), capacityGated));
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
