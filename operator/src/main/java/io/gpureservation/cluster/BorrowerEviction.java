package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;

/**
 * How a borrower gives a lent card back, for a reservation and a ResidentPool alike
 * (docs/lending.md, "Reclaim"): evicted through the Eviction API with the lender's grace period and
 * its uid as precondition (a new pod of the same name is never touched), then deleted with grace
 * period 0 if it is still there after that period.
 */
public final class BorrowerEviction {
  private BorrowerEviction() {}

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
      return client
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
