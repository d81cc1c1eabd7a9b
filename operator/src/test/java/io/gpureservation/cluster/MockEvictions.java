package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fabric8 mock server has no Eviction API: an eviction of a pod is answered here and recorded
 * (the test then deletes the pod, as the API server would with no disruption budget in the way, or
 * leaves it there, as a pod that does not leave).
 */
public final class MockEvictions {
  private MockEvictions() {}

  /** Every eviction of the pod is accepted; the names of the pods evicted, filled as they are. */
  public static Set<String> record(KubernetesMockServer server, String namespace, String pod) {
    return answer(server, namespace, pod, new StatusBuilder().withStatus("Success").build());
  }

  /**
   * Every eviction of the pod is refused with 429, as a PodDisruptionBudget refuses it; the names
   * of the pods whose eviction was posted, filled as they are.
   */
  public static Set<String> refuse(KubernetesMockServer server, String namespace, String pod) {
    return answer(
        server,
        namespace,
        pod,
        new StatusBuilder()
            .withStatus("Failure")
            .withReason("TooManyRequests")
            .withCode(429)
            .withMessage("Cannot evict pod as it would violate the pod's disruption budget.")
            .build());
  }

  private static Set<String> answer(
      KubernetesMockServer server, String namespace, String pod, Status status) {
    Set<String> posted = ConcurrentHashMap.newKeySet();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/eviction")
        .andReply(
            status.getCode() == null ? 201 : status.getCode(),
            request -> {
              posted.add(pod);
              return status;
            })
        .always();
    return posted;
  }
}
