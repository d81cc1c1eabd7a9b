package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_MODE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_SINCE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_RESIDENT;
import static io.gpureservation.pool.Pools.NS;
import static io.gpureservation.pool.Pools.annotation;
import static io.gpureservation.pool.Pools.pod;
import static io.gpureservation.pool.Pools.pool;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.MockEvictions;
import io.gpureservation.cluster.MutableClock;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.reservation.ReservationFeature;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Harness for ResidentPool controller tests: the controller end to end on the fabric8 mock server
 * (CRUD mode), beside the reservation feature's GPU pod controller (which tells pods of a missing
 * pool why they wait), with the same operator settings as production (no server-side apply). The
 * mock runs no webhook and no scheduler: test pods carry the gate the webhook would add, and the
 * test checks its removal.
 */
@EnableKubernetesMockClient(crud = true)
abstract class MockPoolOperatorTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  KubernetesMockServer server;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private Operator operator;
  private ResidentPoolFeature feature;

  @BeforeEach
  void startOperator() {
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false));
    OperatorConfig config = OperatorConfig.defaults().withWebhook(0, Path.of("/nonexistent"));
    // As in production: a pool pod whose pool does not exist is the GPU pod reconciler's
    // (PoolNotFound).
    ReservationFeature.register(operator, client, config, clock, Catalog.defaults());
    feature =
        ResidentPoolFeature.register(
            operator, client, config, clock, Catalog.defaults(), PodGateWebhook.CapacityGated.NONE);
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    feature.close();
    operator.stop();
  }

  /** Records evictions of the pod (MockEvictions): the test deletes it as the API server would. */
  Set<String> recordEvictions(String pod) {
    return MockEvictions.record(server, NS, pod);
  }

  Pod get(String name) {
    return client.pods().inNamespace(NS).withName(name).get();
  }

  static boolean admitted(Pod pod) {
    return pod != null
        && !PoolPods.isGated(pod)
        && MODE_RESIDENT.equals(annotation(pod, BILLING_MODE_ANNOTATION))
        && annotation(pod, BILLING_SINCE_ANNOTATION) != null;
  }

  List<Event> eventsWithReason(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  void createPods(String pool, String... names) {
    for (String name : names) {
      client.resource(pod(name, pool, "infer", 1, "10Gi").build()).create();
    }
  }

  /** The reason of the pool's condition of this type, or null. */
  String poolCondition(String pool, String type) {
    ResidentPool p = client.resources(ResidentPool.class).inNamespace(NS).withName(pool).get();
    if (p == null || p.getStatus() == null) {
      return null;
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(io.fabric8.kubernetes.api.model.Condition::getReason)
        .findFirst()
        .orElse(null);
  }
}
