package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_MODE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_SINCE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_RESIDENT;
import static io.gpureservation.api.v1alpha1.GpuReservation.OVERDUE_ANNOTATION;
import static io.gpureservation.pool.Pools.NS;
import static io.gpureservation.pool.Pools.annotation;
import static io.gpureservation.pool.Pools.pod;
import static io.gpureservation.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.gpureservation.api.v1alpha1.ResidentPool;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ResidentPool controller across a restart (the ledger in status is the only evidence) and with
 * an overdue namespace, on the fabric8 mock server.
 */
class ResidentPoolLedgerTest extends MockPoolOperatorTest {

  @Test
  void aRestartedOperatorRebuildsFromTheLedgerAndTrustsNoAnnotation() {
    client.resource(pool("ledger", 1, 10)).create();
    createPods("ledger", "holder");
    await().atMost(WAIT).until(() -> admitted(get("holder")));
    String since = annotation(get("holder"), BILLING_SINCE_ANNOTATION);
    stopOperator();

    // While the operator is down, a pod claims a resident instance by annotation, without a gate.
    Set<String> evicted = recordEvictions("forged");
    client
        .resource(
            pod("forged", "ledger", "infer", 1, "10Gi")
                .editMetadata()
                .addToAnnotations(BILLING_MODE_ANNOTATION, MODE_RESIDENT)
                .endMetadata()
                .editSpec()
                .withSchedulingGates()
                .endSpec()
                .build())
        .create();
    startOperator();

    await().atMost(WAIT).until(() -> evicted.contains("forged"));
    assertThat(admitted(get("holder"))).isTrue();
    assertThat(annotation(get("holder"), BILLING_SINCE_ANNOTATION)).isEqualTo(since);
    assertThat(client.resources(ResidentPool.class).inNamespace(NS).withName("ledger").get())
        .satisfies(p -> assertThat(p.getStatus().getInstances()).hasSize(1));
  }

  @Test
  void purchaseWaitsWhileTheNamespaceIsOverdueAndHappensOnceSettled() {
    // fc-resident-resource-pool.txt, "Overdue payments": no new pools, no upgrades
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NS)
                .addToAnnotations(OVERDUE_ANNOTATION, "true")
                .endMetadata()
                .build())
        .create();
    client.resource(pool("grow", 1, 10)).create();
    await().atMost(WAIT).until(() -> poolCondition("grow", "SpecApplied") != null);

    client
        .resources(ResidentPool.class)
        .inNamespace(NS)
        .withName("grow")
        .edit(
            p -> {
              p.getSpec().setCards(2);
              return p;
            });
    await().atMost(WAIT).until(() -> "Overdue".equals(poolCondition("grow", "SpecApplied")));
    assertThat(
            client.resources(ResidentPool.class).inNamespace(NS).withName("grow").get().getStatus())
        .satisfies(
            s -> {
              assertThat(s.getPhase()).isEqualTo("Pending");
              assertThat(s.getCapacity().getCards()).isZero();
              assertThat(s.getFees().getPaid()).isEqualTo("0.00");
            });

    client
        .namespaces()
        .withName(NS)
        .edit(
            ns ->
                new NamespaceBuilder(ns)
                    .editMetadata()
                    .withAnnotations(null)
                    .endMetadata()
                    .build());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(ResidentPool.class)
                            .inNamespace(NS)
                            .withName("grow")
                            .get()
                            .getStatus()
                            .getCapacity()
                            .getCards())
                    .isEqualTo(2));
    assertThat(poolCondition("grow", "SpecApplied")).isEqualTo("Applied");
  }
}
