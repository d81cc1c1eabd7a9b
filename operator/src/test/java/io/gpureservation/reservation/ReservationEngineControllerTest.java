package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.PodSelectorRequirement;
import io.gpureservation.api.v1alpha1.ReservationPodSelector;
import io.gpureservation.cluster.MutableClock;
import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's writers on the fabric8 mock server: one reservation's problem stays its own, a
 * missing price is said, a pod that leaves for a ResidentPool gives its slot back, and ledger
 * writes are coalesced.
 */
@EnableKubernetesMockClient(crud = true)
class ReservationEngineControllerTest {
  private static final String NS = "team-a";

  KubernetesClient client;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private OperatorApp app;
  private MockReservationCluster cluster;

  @BeforeEach
  void startOperator() {
    cluster = new MockReservationCluster(client, NS);
    app = OperatorApp.start(client, OperatorConfig.defaults().withHttpPort(-1), clock);
  }

  @AfterEach
  void stopOperator() {
    app.stop();
  }

  // docs/capacity-reservation.md, "A reservation the operator cannot read".
  @Test
  void unreadablePodSelectorMakesOnlyThatReservationNotReady_itsNeighbourStillServesPods() {
    CapacityReservation typo = reservation(NS, "typo").build();
    PodSelectorRequirement in = new PodSelectorRequirement("team", "in", List.of("ml"));
    typo.getSpec().setPodSelector(new ReservationPodSelector(null, List.of(in)));
    cluster.create(typo); // the mock server has no CEL rules; a real API server refuses this
    clock.advance(Duration.ofSeconds(1));
    cluster.create(reservation(NS, "good").build());

    cluster.create(gpuPod(NS, "p").label("team", "ml").build());

    cluster.awaitAnnotation("p", GpuReservation.MODE_RESERVED);
    assertThat(cluster.pod("p").getMetadata().getAnnotations())
        .containsEntry(GpuReservation.RESERVATION_ANNOTATION, "good/0");
    CapacityReservationStatus status =
        cluster.awaitStatus("typo", s -> !s.getConditions().isEmpty());
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo(CapacityReservationConditions.READY);
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason())
                  .isEqualTo(CapacityReservationConditions.REASON_INVALID_POD_SELECTOR);
              assertThat(c.getMessage()).contains("unknown selector operator in");
            });
  }

  // docs/capacity-reservation.md, "A reservation the operator cannot read": a value no clock can
  // hold (the API server refuses it; this one got past) freezes neither the namespace nor the
  // operator.
  @Test
  void anAbsurdLeadMakesOnlyThatReservationNotReady_itsNeighbourStillServesPods() {
    cluster.create(
        reservation(NS, "absurd")
            .window("0 8 * * *", "UTC", "1h", "99999999999999999999h")
            .build());
    clock.advance(Duration.ofSeconds(1));
    cluster.create(reservation(NS, "good").build());

    cluster.create(gpuPod(NS, "p").build());

    cluster.awaitAnnotation("p", GpuReservation.MODE_RESERVED);
    assertThat(cluster.pod("p").getMetadata().getAnnotations())
        .containsEntry(GpuReservation.RESERVATION_ANNOTATION, "good/0");
    CapacityReservationStatus status =
        cluster.awaitStatus("absurd", s -> !s.getConditions().isEmpty());
    assertThat(status.getConditions())
        .filteredOn(c -> CapacityReservationConditions.READY.equals(c.getType()))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason())
                  .isEqualTo(CapacityReservationConditions.REASON_INVALID_WINDOW);
              assertThat(c.getMessage()).startsWith("spec.windows[0].lead: too large");
            });
  }

  // docs/capacity-reservation.md, "Status": billing is never silently zero.
  @Test
  void reservationWithoutACatalogRateSaysWhichCatalogEntrySetsIt() {
    cluster.create(reservation(NS, "h100").cards("H100", 1).shape("16", "64Gi").build());

    CapacityReservationStatus status =
        cluster.awaitStatus("h100", ReservationEngineControllerTest::pricingKnown);
    assertThat(status.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(CapacityReservationConditions.READY);
              assertThat(c.getStatus()).isEqualTo("True");
            })
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(CapacityReservationConditions.PRICE_KNOWN);
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason())
                  .isEqualTo(CapacityReservationConditions.REASON_RATE_MISSING);
              assertThat(c.getMessage()).contains("cardTypes.H100.exampleRates");
            });
  }

  @Test
  void pricedReservationSaysItsRatesAreKnown() {
    cluster.create(reservation(NS, "l20").build());

    CapacityReservationStatus status =
        cluster.awaitStatus("l20", ReservationEngineControllerTest::pricingKnown);
    assertThat(status.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(CapacityReservationConditions.PRICE_KNOWN);
              assertThat(c.getReason()).isEqualTo(CapacityReservationConditions.REASON_RATES_FOUND);
            });
  }

  // docs/capacity-reservation.md, "Which pods take part".
  @Test
  void holderThatJoinsAResidentPoolGivesItsSlotBack() {
    client.resource(io.gpureservation.pool.Pools.pool("inference", 1, 10)).create();
    cluster.create(reservation(NS, "l20").build());
    cluster.create(gpuPod(NS, "p").build());
    cluster.awaitStatus("l20", s -> s.getActive() == 1);

    // A merge patch, as kubectl label does: the operator may be annotating the pod meanwhile.
    client
        .pods()
        .inNamespace(NS)
        .withName("p")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\""
                + GpuReservation.RESIDENT_POOL_LABEL
                + "\":\"inference\"}}}");

    CapacityReservationStatus status =
        cluster.awaitStatus("l20", s -> s.getActive() == 0 && s.getIdle() == 1);
    assertThat(status.getLedger()).isEmpty();
  }

  // docs/resident-pool.md, "Pods outside every pool": a label naming no pool, or no pool at all,
  // takes nobody off the bill.
  @Test
  void aPodThatNamesAPoolThatDoesNotExistIsStillBilled() {
    cluster.create(reservation(NS, "l20").build());
    cluster.create(gpuPod(NS, "empty").label(GpuReservation.RESIDENT_POOL_LABEL, "").build());
    clock.advance(Duration.ofSeconds(1));
    Pod ghostOwned = gpuPod(NS, "ghost-hold-0").build();
    ghostOwned
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                    .withApiVersion("gpureservation.io/v1alpha1")
                    .withKind("ResidentPool")
                    .withName("ghost")
                    .withUid("any-uid")
                    .withController(true)
                    .build()));
    cluster.create(ghostOwned);

    cluster.awaitAnnotation("empty", GpuReservation.MODE_RESERVED);
    cluster.awaitAnnotation("ghost-hold-0", GpuReservation.MODE_PAY_AS_YOU_GO);
    assertThat(cluster.pod("ghost-hold-0").getMetadata().getAnnotations())
        .containsEntry(GpuReservation.REASON_ANNOTATION, "NoMatchingReservation");
  }

  // docs/architecture.md, "How one pod event travels": one status write covers many pod events.
  @Test
  void aBurstOfPodsIsRecordedWithFewerLedgerWritesThanPods() {
    int pods = 40;
    cluster.create(reservation(NS, "big").quantity(pods).build());
    cluster.awaitStatus("big", s -> s.getIdle() == pods);
    AtomicInteger writes = new AtomicInteger();
    try (Watch watch =
        client
            .resources(CapacityReservation.class)
            .inNamespace(NS)
            .withName("big")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, CapacityReservation r) {
                    writes.incrementAndGet();
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      for (int i = 0; i < pods; i++) {
        cluster.create(gpuPod(NS, "p" + i).build());
      }
      cluster.awaitStatus("big", s -> s.getActive() == pods);
      for (int i = 0; i < pods; i++) {
        cluster.awaitAnnotation("p" + i, GpuReservation.MODE_RESERVED);
      }
    }
    assertThat(writes.get()).isLessThan(pods);
  }

  // Whether the status says yet whether the price is known (beside Ready and CapacityHeld).
  private static boolean pricingKnown(CapacityReservationStatus s) {
    return s.getConditions().stream()
        .anyMatch(c -> CapacityReservationConditions.PRICE_KNOWN.equals(c.getType()));
  }
}
