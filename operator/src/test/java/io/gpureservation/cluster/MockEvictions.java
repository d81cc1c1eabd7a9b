package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fabric8 mock server has no Eviction API: an accepted eviction of a pod is recorded instead
 * (the test then deletes the pod, as the API server would with no disruption budget in the way, or
 * leaves it there, as a pod that does not leave).
 */
public final class MockEvictions {
  private MockEvictions() {}

  /** The names of the pods whose eviction was posted, filled as they are. */
  public static Set<String> record(KubernetesMockServer server, String namespace, String pod) {
    Set<String> evicted = ConcurrentHashMap.newKeySet();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/eviction")
        .andReply(
            201,
            request -> {
              evicted.add(pod);
              return new StatusBuilder().withStatus("Success").build();
            })
        .always();
    return evicted;
  }
}
