package io.gpureservation.operator.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
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

  /** Registers with the default catalog. Call before {@code operator.start()}. */
  public static ResidentPoolFeature register(
      Operator operator, KubernetesClient client, PoolSettings settings, Clock clock) {
    return register(operator, client, settings, clock, Catalog.defaults());
  }

  /** Registers with the given catalog. Call before {@code operator.start()}. */
  public static ResidentPoolFeature register(
      Operator operator,
      KubernetesClient client,
      PoolSettings settings,
      Clock clock,
      Catalog catalog) {
    operator.register(
        new ResidentPoolReconciler(client, clock, new BillingPoolPricing(catalog), settings));
    return new ResidentPoolFeature(PodGateWebhookServer.startIfConfigured(settings));
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
