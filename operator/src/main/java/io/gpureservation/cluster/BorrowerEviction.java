package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * How a borrower gives a lent card back, for a reservation and a ResidentPool alike
 * (docs/lending.md, "Reclaim"): evicted through the Eviction API with the lender's grace period and
 * its uid as precondition (a new pod of the same name is never touched), then deleted with grace
 * period 0 if it is still there after that period.
 */
public final class BorrowerEviction {
  // The client retries a 429 with back-off (about 20 s in all), and a PodDisruptionBudget answers
  // every refused eviction with 429: the reconciliation would wait there past the grace period.
  // Evictions go through a client sharing the operator's connections that does not retry; a refusal
  // is final for this attempt, and the borrower is deleted when the grace period has passed.
  private static final Map<KubernetesClient, KubernetesClient> NOT_RETRYING =
      Collections.synchronizedMap(new WeakHashMap<>());

  private BorrowerEviction() {}

  /**
   * The operator's client without its retries, for evictions: a refusal (429) is an answer, and the
   * caller decides when to try again. Shared with the pool's evictions ({@code pool.PodWriter}).
   */
  public static KubernetesClient notRetrying(KubernetesClient client) {
    return NOT_RETRYING.computeIfAbsent(
        client,
        c ->
            c.newClient(
                    new RequestConfigBuilder(c.getConfiguration().getRequestConfig())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .adapt(KubernetesClient.class));
  }

  /**
   * Evicts the borrower; false when the API server refused it for now (a PodDisruptionBudget) or
   * the pod is gone or replaced: it is deleted after the grace period then.
   */
  public static boolean evict(KubernetesClient client, Pod borrower, Duration grace) {
    Eviction eviction =
        new EvictionBuilder()
            .withNewMetadata()
            .withName(borrower.getMetadata().getName())
            .withNamespace(borrower.getMetadata().getNamespace())
            .endMetadata()
            .withDeleteOptions(
                new DeleteOptionsBuilder()
                    .withGracePeriodSeconds(grace.toSeconds())
                    .withNewPreconditions()
                    .withUid(borrower.getMetadata().getUid())
                    .endPreconditions()
                    .build())
            .build();
    try {
      return notRetrying(client)
          .pods()
          .inNamespace(borrower.getMetadata().getNamespace())
          .withName(borrower.getMetadata().getName())
          .evict(eviction);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND
          && e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return false; // gone, or replaced by another pod of that name
    }
  }

  /** Deletes a borrower that outlived its grace period, at once. */
  public static void delete(KubernetesClient client, Pod borrower) {
    client
        .pods()
        .inNamespace(borrower.getMetadata().getNamespace())
        .withName(borrower.getMetadata().getName())
        .withGracePeriod(0)
        .delete();
  }
}
