package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_MODE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.LENDING_POOL_ANNOTATION;
import static io.gpureservation.pool.Pools.NS;
import static io.gpureservation.pool.Pools.annotation;
import static io.gpureservation.pool.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.gpureservation.api.v1alpha1.LendingSpec;
import io.gpureservation.api.v1alpha1.ReservationPodSelector;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A lending pool on the fabric8 mock server, beside the reservations' GPU pod controller
 * (docs/lending.md, "Resident pools"): the loan line is stored and the borrower handed the held
 * card (ungated, pinned, {@code borrowed} by the pool) — and the reservations leave it so; a pool
 * pod that arrives takes the card back (eviction, then the pool pod is admitted).
 */
class PoolLendingControllerTest extends MockPoolOperatorTest {
  private static final String BATCH = "team-batch";

  @Test
  void aBorrowerIsLentTheHeldCard_andAPoolPodTakesItBack() {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(BATCH)
                .addToLabels("gpu-borrower", "true")
                .endMetadata()
                .build())
        .create();
    client.resource(lendingPool()).create();
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace(NS).withName("lender-hold-0").get() != null);
    client
        .pods()
        .inNamespace(NS)
        .withName("lender-hold-0")
        .edit(p -> new PodBuilder(p).editSpec().withNodeName("n1").endSpec().build());
    await().atMost(WAIT).until(() -> Integer.valueOf(1).equals(status().getHeldCards()));

    client.resource(borrower()).create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod batch = borrowerPod();
              assertThat(Borrowers.isGated(batch)).isFalse();
              assertThat(annotation(batch, BILLING_MODE_ANNOTATION)).isEqualTo("borrowed");
              assertThat(annotation(batch, LENDING_POOL_ANNOTATION)).isEqualTo(NS + "/lender");
              assertThat(status().getLoans())
                  .singleElement()
                  .satisfies(
                      l -> {
                        assertThat(l.getPodUid()).isEqualTo(batch.getMetadata().getUid());
                        assertThat(l.getNode()).isEqualTo("n1");
                      });
            });
    // the scheduler's part: the borrower runs on the node (the placeholder made room)
    client.pods().inNamespace(NS).withName("lender-hold-0").withGracePeriod(0).delete();
    client
        .pods()
        .inNamespace(BATCH)
        .withName("batch")
        .edit(p -> new PodBuilder(p).editSpec().withNodeName("n1").endSpec().build());
    await()
        .atMost(WAIT)
        .during(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(status().getLent()).isEqualTo(1);
              // the reservations' pod controller leaves a pool's borrower alone
              assertThat(annotation(borrowerPod(), BILLING_MODE_ANNOTATION)).isEqualTo("borrowed");
            });

    Set<String> evicted = ConcurrentHashMap.newKeySet();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + BATCH + "/pods/batch/eviction")
        .andReply(
            201,
            request -> {
              evicted.add("batch");
              return new StatusBuilder().withStatus("Success").build();
            })
        .always();
    createPods("lender", "serving");
    await().atMost(WAIT).until(() -> evicted.contains("batch"));
    assertThat(status().getLoans().get(0).getReclaimedFor())
        .isEqualTo(get("serving").getMetadata().getUid());
    assertThat(
            client.v1().events().inNamespace(BATCH).list().getItems().stream()
                .map(e -> e.getReason()))
        .contains(PoolLoanPlan.RECLAIMED);
    client.pods().inNamespace(BATCH).withName("batch").withGracePeriod(0).delete();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(admitted(get("serving"))).isTrue();
              assertThat(status().getLoans()).isEmpty();
              assertThat(status().getLent()).isZero();
            });
  }

  private ResidentPool lendingPool() {
    ResidentPool pool = pool("lender", 1, 10);
    LendingSpec lending = new LendingSpec();
    lending.setEnabled(true);
    ReservationPodSelector selector = new ReservationPodSelector();
    selector.setMatchLabels(Map.of("gpu-borrower", "true"));
    lending.setNamespaceSelector(selector);
    lending.setReclaimGracePeriodSeconds(5);
    pool.getSpec().setLending(lending);
    return pool;
  }

  private static Pod borrower() {
    return Pools.borrower(BATCH, "batch").build();
  }

  private Pod borrowerPod() {
    return client.pods().inNamespace(BATCH).withName("batch").get();
  }

  private ResidentPoolStatus status() {
    ResidentPool p = client.resources(ResidentPool.class).inNamespace(NS).withName("lender").get();
    return p == null || p.getStatus() == null ? new ResidentPoolStatus() : p.getStatus();
  }
}
