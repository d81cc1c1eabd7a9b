package io.gpureservation.pool;

import static io.gpureservation.pool.Pools.NS;
import static io.gpureservation.pool.Pools.pod;
import static io.gpureservation.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ledger write: status first with optimistic concurrency, then the pods. */
@EnableKubernetesMockClient(crud = true)
class PoolSyncTest {
  KubernetesClient client;
  KubernetesMockServer server;

  private PoolSync sync() {
    return new PoolSync(
        client,
        new MutableClock(Instant.parse("2026-03-01T00:00:00Z")),
        Pools.planner(),
        Pools.placeholderWriter(client));
  }

  // What the controller's cache would hand the reconciler.
  private ResidentPool stored(String name) {
    return client.resources(ResidentPool.class).inNamespace(NS).withName(name).get();
  }

  private int statusWrites() throws InterruptedException {
    int puts = 0;
    for (var r = server.takeRequest(1, TimeUnit.SECONDS);
        r != null;
        r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      if ("PUT".equals(r.getMethod()) && r.getPath().endsWith("/status")) {
        puts++;
      }
    }
    return puts;
  }

  @Test
  void aConflictingStatusWriteIsPlannedAgainFromAFreshReadAndNothingIsCountedTwice()
      throws InterruptedException {
    client.resource(pool("raced", 1, 10)).create();
    Pod first = client.resource(pod("first", "raced", "f", 1, "10Gi").build()).create();
    Pod second = client.resource(pod("second", "raced", "f", 1, "10Gi").build()).create();
    // Another writer got there first: the API server answers 409 to the first status PUT.
    server
        .expect()
        .put()
        .withPath(
            "/apis/gpureservation.io/v1alpha1/namespaces/" + NS + "/residentpools/raced/status")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict").build())
        .once();

    sync()
        .sync(
            stored("raced"),
            List.of(first, second),
            List.of(),
            Borrowers.none(),
            false,
            (stored, update) -> {});

    assertThat(statusWrites()).as("the 409, then the retry").isEqualTo(2);

    ResidentPool stored =
        client.resources(ResidentPool.class).inNamespace(NS).withName("raced").get();
    assertThat(stored.getStatus().getInstances()).hasSize(1);
    assertThat(stored.getStatus().getCardUsage()).isEqualTo("1/1");
    assertThat(client.pods().inNamespace(NS).withName("first").get().getSpec().getSchedulingGates())
        .as("removed by a merge patch (the mock server stores the null)")
        .isNullOrEmpty();
    assertThat(
            client.pods().inNamespace(NS).withName("second").get().getSpec().getSchedulingGates())
        .isNotEmpty();
  }

  // docs/resident-pool.md, "A pool the operator cannot process": a pool stored before the CRD
  // bounded its cards is Ready=False with a reason and nothing is planned for it (one placeholder
  // per card would exhaust memory); a pool beside it is admitted as usual.
  @Test
  void aPoolTooLargeToPlanIsUnprocessable_itsNeighbourCarriesOn() {
    client.resource(pool("absurd", 2_000_000_000, 10)).create();
    client.resource(pool("fine", 1, 10)).create();
    Pod waiting = client.resource(pod("waiting", "absurd", "f", 1, "10Gi").build()).create();
    Pod admitted = client.resource(pod("admitted", "fine", "f", 1, "10Gi").build()).create();

    sync()
        .sync(
            stored("absurd"),
            List.of(waiting),
            List.of(),
            Borrowers.none(),
            false,
            (stored, update) -> {});
    sync()
        .sync(
            stored("fine"),
            List.of(admitted),
            List.of(),
            Borrowers.none(),
            false,
            (stored, update) -> {});

    var ready =
        client
            .resources(ResidentPool.class)
            .inNamespace(NS)
            .withName("absurd")
            .get()
            .getStatus()
            .getConditions();
    assertThat(ready)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("Unprocessable");
              assertThat(c.getMessage()).contains("spec.cards 2000000000 is more than 5000");
            });
    assertThat(client.pods().inNamespace(NS).list().getItems())
        .as("no placeholder was made for the absurd pool")
        .hasSize(2);
    assertThat(
            client.pods().inNamespace(NS).withName("waiting").get().getSpec().getSchedulingGates())
        .isNotEmpty();
    assertThat(
            client.pods().inNamespace(NS).withName("admitted").get().getSpec().getSchedulingGates())
        .as("removed by a merge patch (the mock server stores the null)")
        .isNullOrEmpty();
  }

  // docs/resident-pool.md, "Pods outside every pool": a pool pod running outside its pool whose
  // eviction a PodDisruptionBudget refuses is billed pay-as-you-go, with the reason, and retried.
  @Test
  void aPodWhoseEvictionIsRefusedIsBilledPayAsYouGoAndRetried() {
    client.resource(pool("full", 1, 10)).create();
    Pod inside = client.resource(pod("inside", "full", "f", 1, "10Gi").build()).create();
    Pod outside =
        client
            .resource(
                pod("outside", "full", "f", 1, "10Gi")
                    .editSpec()
                    .withSchedulingGates()
                    .withNodeName("node-1")
                    .endSpec()
                    .build())
            .create();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NS + "/pods/outside/eviction")
        .andReturn(429, new StatusBuilder().withCode(429).withReason("TooManyRequests").build())
        .always();

    var next =
        sync()
            .sync(
                stored("full"),
                List.of(inside, outside),
                List.of(),
                Borrowers.none(),
                false,
                (stored, update) -> {});

    assertThat(next).contains(Instant.parse("2026-03-01T00:00:00Z").plus(PoolSync.EVICTION_RETRY));
    assertThat(
            client.pods().inNamespace(NS).withName("outside").get().getMetadata().getAnnotations())
        .containsEntry(GpuReservation.BILLING_MODE_ANNOTATION, GpuReservation.MODE_PAY_AS_YOU_GO)
        .containsEntry(GpuReservation.REASON_ANNOTATION, "EvictionRefused")
        .containsKey(GpuReservation.BILLING_SINCE_ANNOTATION);
  }

  @Test
  void podsAreNotWrittenWhenTheLedgerCannotBeWritten() {
    client.resource(pool("stuck", 1, 10)).create();
    Pod only = client.resource(pod("only", "stuck", "f", 1, "10Gi").build()).create();
    server
        .expect()
        .put()
        .withPath(
            "/apis/gpureservation.io/v1alpha1/namespaces/" + NS + "/residentpools/stuck/status")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict").build())
        .always();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                sync()
                    .sync(
                        stored("stuck"),
                        List.of(only),
                        List.of(),
                        Borrowers.none(),
                        false,
                        (stored, update) -> {}))
        .hasMessageContaining("409");

    assertThat(client.pods().inNamespace(NS).withName("only").get().getSpec().getSchedulingGates())
        .isNotEmpty();
  }
}
