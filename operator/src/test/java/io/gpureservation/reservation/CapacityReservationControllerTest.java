package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.cluster.MutableClock;
import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reservation and GPU pod controllers end to end on the fabric8 mock server (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class CapacityReservationControllerTest {
  private static final String NS = "team-a";

  /**
   * The mock server answers no TokenReview, so /metrics is read as a local run reads it: plain, on
   * the health port (docs/install.md, "Metrics"; the HTTPS flow has MetricsServerTest).
   */
  private static final OperatorConfig PLAIN_METRICS =
      OperatorConfig.fromEnvironment(Map.of("METRICS_SECURE", "false"));

  KubernetesClient client;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
  private OperatorApp app;
  private MockReservationCluster cluster;

  @BeforeEach
  void startOperator() {
    cluster = new MockReservationCluster(client, NS);
    app = startApp();
  }

  @AfterEach
  void stopOperator() {
    if (app != null) {
      app.stop();
    }
  }

  private OperatorApp startApp() {
    return OperatorApp.start(client, PLAIN_METRICS.withHttpPort(0), clock);
  }

  @Test
  void startedGpuPodDeductsASlot_andTheLedgerRecordsIt() {
    create(reservation(NS, "l20").quantity(1).build());
    create(gpuPod(NS, "infer-1").build());

    awaitAnnotation("infer-1", GpuReservation.MODE_RESERVED);
    assertThat(pod("infer-1").getMetadata().getAnnotations())
        .containsEntry(GpuReservation.RESERVATION_ANNOTATION, "l20/0")
        .containsKey(GpuReservation.BILLING_SINCE_ANNOTATION)
        .doesNotContainKey(GpuReservation.REASON_ANNOTATION);
    CapacityReservationStatus status = awaitStatus("l20", s -> s.getActive() == 1);
    assertThat(status.getIdle()).isZero();
    assertThat(status.getLedger())
        .singleElement()
        .satisfies(h -> assertThat(h.getPod()).isEqualTo("infer-1"));
    assertThat(status.getSlotCpu()).isEqualTo("16000m"); // catalog default for 1 x L20
    assertThat(status.getPhase()).isEqualTo(CapacityReservationStatus.PHASE_ACTIVE);
  }

  @Test
  void podWithoutFreeSlotRunsPayAsYouGo_thenTakesTheSlotWhenTheHolderIsDeleted() {
    create(reservation(NS, "l20").quantity(1).build());
    create(gpuPod(NS, "first").build());
    awaitAnnotation("first", GpuReservation.MODE_RESERVED);
    create(gpuPod(NS, "second").build());
    awaitAnnotation("second", GpuReservation.MODE_PAY_AS_YOU_GO);
    assertThat(pod("second").getMetadata().getAnnotations())
        .containsEntry(GpuReservation.REASON_ANNOTATION, "NoMatchingReservation");

    client.pods().inNamespace(NS).withName("first").delete();

    awaitAnnotation("second", GpuReservation.MODE_RESERVED);
    assertThat(awaitStatus("l20", s -> s.getLedger().size() == 1).getLedger().get(0).getPod())
        .isEqualTo("second");
  }

  @Test
  void succeededPodRestoresItsSlot() {
    create(reservation(NS, "l20").build());
    create(gpuPod(NS, "job").build());
    awaitAnnotation("job", GpuReservation.MODE_RESERVED);

    Pod done = pod("job");
    done.getStatus().setPhase("Succeeded");
    client.resource(done).updateStatus();

    awaitStatus("l20", s -> s.getActive() == 0 && s.getIdle() == 1);
  }

  @Test
  void newReservationMatchesAnExistingPayAsYouGoPod() {
    create(gpuPod(NS, "early").build());
    awaitAnnotation("early", GpuReservation.MODE_PAY_AS_YOU_GO);

    create(reservation(NS, "late").build());

    awaitAnnotation("early", GpuReservation.MODE_RESERVED);
  }

  @Test
  void unscheduledPodHoldsNothingAndIsNotAnnotated() {
    create(reservation(NS, "l20").build());
    create(gpuPod(NS, "waiting").unscheduled().build());
    awaitStatus("l20", s -> s.getIdle() == 1);

    assertThat(pod("waiting").getMetadata().getAnnotations())
        .doesNotContainKey(GpuReservation.BILLING_MODE_ANNOTATION);
  }

  @Test
  void spoofedReservedAnnotationIsNeverTakenAsADeduction() {
    create(reservation(NS, "l20").cards("L20", 2).build());
    create(
        gpuPod(NS, "sneaky")
            .annotation(GpuReservation.BILLING_MODE_ANNOTATION, GpuReservation.MODE_RESERVED)
            .annotation(GpuReservation.RESERVATION_ANNOTATION, "l20/0")
            .build());

    awaitAnnotation("sneaky", GpuReservation.MODE_PAY_AS_YOU_GO);
    assertThat(pod("sneaky").getMetadata().getAnnotations())
        .doesNotContainKey(GpuReservation.RESERVATION_ANNOTATION);
    assertThat(awaitStatus("l20", s -> s.getIdle() == 1).getLedger()).isEmpty();
  }

  @Test
  void reservationsServeOnlyPodsOfTheirOwnNamespace() {
    create(reservation("team-b", "theirs").build());
    create(gpuPod(NS, "mine").build());

    awaitAnnotation("mine", GpuReservation.MODE_PAY_AS_YOU_GO);
    // its first status may come after the pod's annotation on a busy machine
    CapacityReservationStatus theirs =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    client
                        .resources(CapacityReservation.class)
                        .inNamespace("team-b")
                        .withName("theirs")
                        .get()
                        .getStatus(),
                Objects::nonNull);
    assertThat(theirs.getIdle()).isOne();
  }

  @Test
  void podSelectorLimitsWhichPodsMayDeduct() {
    create(reservation(NS, "ml-only").selector(Map.of("team", "ml")).build());
    create(gpuPod(NS, "web").label("team", "web").build());
    awaitAnnotation("web", GpuReservation.MODE_PAY_AS_YOU_GO);
    create(gpuPod(NS, "ml").label("team", "ml").build());

    awaitAnnotation("ml", GpuReservation.MODE_RESERVED);
  }

  @Test
  void unknownCardTypeWithoutShapeIsNotReady() {
    create(reservation(NS, "mystery").cards("Z99", 1).build());

    CapacityReservationStatus status = awaitStatus("mystery", s -> !s.getConditions().isEmpty());
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("UnknownCardSpec");
              assertThat(c.getMessage()).contains("set spec.cpu and spec.memory");
            });
  }

  @Test
  void expiryReleasesPodsToPayAsYouGoWithReservationExpired() {
    create(reservation(NS, "short").releaseAt("2026-06-01T01:00:00Z").build());
    create(gpuPod(NS, "p").build());
    awaitAnnotation("p", GpuReservation.MODE_RESERVED);

    clock.advance(Duration.ofHours(2));
    edit("short", r -> r.getSpec().setQuantity(2)); // any spec change makes it look again now

    CapacityReservationStatus status =
        awaitStatus("short", s -> CapacityReservationStatus.PHASE_EXPIRED.equals(s.getPhase()));
    assertThat(status.getLedger()).isEmpty();
    assertThat(status.getExpiredAt()).isEqualTo("2026-06-01T01:00:00Z");
    awaitAnnotation("p", GpuReservation.MODE_PAY_AS_YOU_GO);
    assertThat(pod("p").getMetadata().getAnnotations())
        .containsEntry(GpuReservation.REASON_ANNOTATION, "ReservationExpired");
  }

  @Test
  void lockInEndIsRecordedInStatusOnceItsTimeComes() {
    // docs/capacity-reservation.md, "Lock-in": the admission policy has no clock and waits for
    // status.lockInEnded to reach spec.lockInUntil.
    create(reservation(NS, "locked").lockInUntil("2026-06-01T01:00:00Z").build());
    CapacityReservationStatus before = awaitStatus("locked", s -> s.getAccrued() != null);
    assertThat(before.getLockInEnded()).isNull();

    clock.advance(Duration.ofHours(2));
    touch("locked");

    awaitStatus("locked", s -> "2026-06-01T01:00:00Z".equals(s.getLockInEnded()));
  }

  @Test
  void extendedLockInKeepsTheEndedRecordOfTheOldOne() {
    create(reservation(NS, "renewed").lockInUntil("2026-06-01T01:00:00Z").build());
    clock.advance(Duration.ofHours(2));
    touch("renewed");
    awaitStatus("renewed", s -> "2026-06-01T01:00:00Z".equals(s.getLockInEnded()));

    edit("renewed", r -> r.getSpec().setLockInUntil("2026-07-01T00:00:00Z"));

    // still the old date: the policy compares it with the new lockInUntil and refuses again
    awaitStatus("renewed", s -> s.getObservedGeneration() == 3);
    assertThat(get("renewed").getStatus().getLockInEnded()).isEqualTo("2026-06-01T01:00:00Z");
  }

  @Test
  void regionRatesOfTheCatalogPriceTheAccrual(@TempDir Path dir) throws Exception {
    // docs/billing.md, "Region rates": us-east-1 lists 0.70 per L20 card-hour; one idle slot
    // for one hour accrues 0.70, not the example rate 0.54.
    app.stop();
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(
        catalog,
        "cardTypes:\n  L20:\n    regionRates:\n      us-east-1: {reservationPerCardHour: 0.70}\n");
    app =
        OperatorApp.start(
            client,
            OperatorConfig.fromEnvironment(
                    Map.of("CATALOG_FILE", catalog.toString(), "METRICS_SECURE", "false"))
                .withHttpPort(0),
            clock);
    create(reservation(NS, "virginia").region("us-east-1").build());
    awaitStatus("virginia", s -> s.getIdle() == 1 && s.getAccrued() != null);
    bindPlaceholders("virginia"); // a held idle slot costs the reservation rate
    awaitStatus("virginia", s -> Integer.valueOf(1).equals(s.getHeld()));

    clock.advance(Duration.ofHours(1));
    touch("virginia");

    CapacityReservationStatus status =
        awaitStatus(
            "virginia",
            s -> new java.math.BigDecimal(s.getAccrued().getIdleSlotSeconds()).signum() > 0);
    assertThat(new java.math.BigDecimal(status.getAccrued().getIdleCost()))
        .isEqualByComparingTo("0.70");
  }

  @Test
  void deletingAReservationReturnsItsPodsToPayAsYouGo() {
    create(reservation(NS, "doomed").build());
    create(gpuPod(NS, "p").build());
    awaitAnnotation("p", GpuReservation.MODE_RESERVED);

    client.resources(CapacityReservation.class).inNamespace(NS).withName("doomed").delete();

    awaitAnnotation("p", GpuReservation.MODE_PAY_AS_YOU_GO);
    assertThat(pod("p").getMetadata().getAnnotations())
        .containsEntry(GpuReservation.REASON_ANNOTATION, "ReservationDeleted");
    await().until(() -> get("doomed") == null);
  }

  @Test
  void restartInTheMiddleRebuildsFromTheLedgerWithoutDoubleCounting() {
    create(reservation(NS, "l20").quantity(2).build());
    create(gpuPod(NS, "a").build());
    create(gpuPod(NS, "b").build());
    awaitStatus("l20", s -> s.getActive() == 2);
    awaitAnnotation("a", GpuReservation.MODE_RESERVED); // the ledger is written first
    String slotOfA =
        pod("a").getMetadata().getAnnotations().get(GpuReservation.RESERVATION_ANNOTATION);

    app.stop();
    client.pods().inNamespace(NS).withName("b").delete(); // missed while down
    create(gpuPod(NS, "c").build()); // arrives while down
    app = startApp();

    awaitAnnotation("c", GpuReservation.MODE_RESERVED);
    CapacityReservationStatus status = awaitStatus("l20", s -> s.getActive() == 2);
    assertThat(status.getIdle()).isZero();
    assertThat(status.getLedger()).extracting(h -> h.getPod()).containsExactlyInAnyOrder("a", "c");
    assertThat(pod("a").getMetadata().getAnnotations())
        .containsEntry(GpuReservation.RESERVATION_ANNOTATION, slotOfA);
  }

  @Test
  void metricsShowSlotsPodsAndAccruedCost() throws Exception {
    create(reservation(NS, "l20").quantity(2).build());
    create(gpuPod(NS, "p").build());
    awaitStatus("l20", s -> s.getActive() == 1);
    bindPlaceholders("l20"); // the idle slot is held: it costs the reservation rate
    awaitStatus("l20", s -> Integer.valueOf(1).equals(s.getHeld()));
    clock.advance(Duration.ofHours(1));
    create(gpuPod(NS, "q").build()); // a transition accrues the past hour
    CapacityReservationStatus status = awaitStatus("l20", s -> s.getActive() == 2);
    // Over the hour 1 slot was idle (held) and 1 active: 2 slots x 3600 s, split exactly.
    assertThat(new java.math.BigDecimal(status.getAccrued().getIdleSlotSeconds()))
        .isEqualByComparingTo("3600");
    assertThat(new java.math.BigDecimal(status.getAccrued().getUnheldSlotSeconds())).isZero();
    assertThat(new java.math.BigDecimal(status.getAccrued().getActiveSlotSeconds()))
        .isEqualByComparingTo("3600");

    String text =
        new String(
            java.net
                .URI
                .create("http://127.0.0.1:" + app.httpPort() + "/metrics")
                .toURL()
                .openStream()
                .readAllBytes());
    assertThat(text)
        .contains(
            "gpureservation_reservation_slots{namespace=\"team-a\",reservation=\"l20\",state=\"active\"} 2.0")
        .contains("gpureservation_gpu_pods{mode=\"reserved\",namespace=\"team-a\"} 2.0")
        .contains("gpureservation_reservation_accrued_cost");
  }

  private void create(HasMetadata resource) {
    cluster.create(resource);
  }

  // any spec change makes the controller look again now
  private void touch(String name) {
    edit(name, r -> r.getSpec().setQuantity(r.getSpec().getQuantity() + 1));
  }

  // the operator's status writes may move the resourceVersion between read and write: retry
  private void edit(String name, java.util.function.Consumer<CapacityReservation> change) {
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptionsMatching(
            e ->
                e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                    && k.getCode() == 409)
        .until(
            () -> {
              CapacityReservation r = get(name);
              change.accept(r);
              client.resource(r).update();
              return true;
            });
  }

  private Pod pod(String name) {
    return cluster.pod(name);
  }

  private CapacityReservation get(String name) {
    return cluster.reservation(name);
  }

  private void awaitAnnotation(String podName, String mode) {
    cluster.awaitAnnotation(podName, mode);
  }

  private CapacityReservationStatus awaitStatus(
      String name, java.util.function.Predicate<CapacityReservationStatus> condition) {
    return cluster.awaitStatus(name, condition);
  }

  private void bindPlaceholders(String reservation) {
    cluster.bindPlaceholders(reservation);
  }
}
