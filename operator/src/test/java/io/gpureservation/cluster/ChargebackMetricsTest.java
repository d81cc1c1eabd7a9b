package io.gpureservation.cluster;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static io.gpureservation.cluster.ClusterFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.PoolFees;
import io.gpureservation.api.v1alpha1.PoolResources;
import io.gpureservation.api.v1alpha1.PoolSizeStatus;
import io.gpureservation.api.v1alpha1.ReservationAccrual;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.pool.Pools;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Chargeback and pool metrics from pods, reservations and pools (docs/billing.md). */
class ChargebackMetricsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final List<Pod> running = new ArrayList<>();
  private final List<CapacityReservation> reservations = new ArrayList<>();
  private final List<ResidentPool> pools = new ArrayList<>();
  private final java.util.Map<String, ChargebackMetrics.Billed> ledger = new java.util.HashMap<>();
  private final ChargebackMetrics metrics = metrics(Catalog.defaults());

  private ChargebackMetrics metrics(Catalog catalog) {
    return new ChargebackMetrics(
        catalog,
        new GpuPods(OperatorConfig.defaults(), catalog),
        () -> running,
        () -> reservations,
        () -> pools,
        pod -> java.util.Optional.ofNullable(ledger.get(pod.getMetadata().getName())),
        clock);
  }

  // A started borrower of team-batch on the lender's slot "<namespace>/<reservation>/<slot>".
  private static Pod borrower(String name, String lender) {
    Pod pod =
        gpuPod("team-batch", name)
            .annotation("gpureservation.io/billing-mode", "borrowed")
            .annotation("gpureservation.io/reservation", lender)
            .annotation("gpureservation.io/billing-since", T0.toString())
            .build();
    pod.getMetadata().setUid(UUID.randomUUID().toString());
    return pod;
  }

  private static Pod billed(String name, String mode, String... labels) {
    ClusterFixtures.GpuPodBuilder b =
        gpuPod("team-a", name)
            .annotation("gpureservation.io/billing-mode", mode)
            .annotation("gpureservation.io/billing-since", T0.toString());
    for (int i = 0; i < labels.length; i += 2) {
      b.label(labels[i], labels[i + 1]);
    }
    Pod pod = b.build();
    pod.getMetadata().setUid(UUID.randomUUID().toString());
    return pod;
  }

  // A catalog whose L20 lends at 0.75 a card-hour in cn-shanghai.
  private static Catalog shanghaiLending(java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("catalog.yaml");
    java.nio.file.Files.writeString(
        file,
        """
        cardTypes:
          L20:
            regionRates:
              cn-shanghai: {lendingPerCardHour: 0.75}
        """);
    return Catalog.load(file);
  }

  private double value(String name, String... labels) {
    return metrics.samples().stream()
        .filter(s -> s.name().equals(name) && s.labels().containsAll(List.of(labels)))
        .mapToDouble(ChargebackMetrics.Sample::value)
        .sum();
  }

  @Test
  void payAsYouGoAndReservedPodsCountGpuSecondsAndCostAtThePodRate() {
    running.add(billed("burst", "pay-as-you-go"));
    running.add(billed("steady", "reserved"));
    metrics.samples();
    clock.advance(java.time.Duration.ofHours(1));

    // one L20 card each, example pay-as-you-go rate 1.80 an hour
    assertThat(
            value(
                "gpureservation_chargeback_gpu_seconds_total",
                "billing_mode",
                "pay-as-you-go",
                "card_type",
                "L20"))
        .isEqualTo(3600.0);
    assertThat(value("gpureservation_chargeback_cost_total", "billing_mode", "reserved"))
        .isEqualTo(1.8);
    assertThat(value("gpureservation_pod_hourly_cost", "pod", "burst", "namespace", "team-a"))
        .isEqualTo(1.8);
  }

  // docs/billing.md, "Chargeback metrics": a pod whose annotations the API server refused (padded
  // to the size limit) is counted from the ledger.
  @Test
  void aPodWithoutItsAnnotationsIsCountedFromTheLedger() {
    Pod padded = gpuPod("team-a", "padded").build();
    padded.getMetadata().setUid(UUID.randomUUID().toString());
    running.add(padded);
    ledger.put("padded", new ChargebackMetrics.Billed("pay-as-you-go", T0));
    metrics.samples();
    clock.advance(java.time.Duration.ofHours(1));

    assertThat(value("gpureservation_chargeback_cost_total", "namespace", "team-a")).isEqualTo(1.8);
    assertThat(value("gpureservation_pod_hourly_cost", "pod", "padded")).isEqualTo(1.8);
  }

  @Test
  void residentPodsArePricedAtTheirPoolsCardHour() {
    ResidentPool pool = Pools.pool("inference", 2, 10);
    pool.getMetadata().setNamespace("team-a");
    ResidentPoolStatus s = new ResidentPoolStatus();
    s.setPhase("Active");
    s.setExpiresAt(T0.plus(java.time.Duration.ofDays(10)).toString());
    PoolSizeStatus size = new PoolSizeStatus();
    size.setCards(2);
    s.setInForce(size);
    PoolResources capacity = new PoolResources();
    capacity.setCards(2L);
    s.setCapacity(capacity);
    PoolResources allocated = new PoolResources();
    allocated.setCards(1L);
    s.setAllocated(allocated);
    s.setHeldCards(2);
    PoolFees fees = new PoolFees();
    fees.setCurrency("USD");
    fees.setMonthly("2073.60"); // 2 Ada cards x 1026 + 2 x 10 GB x 0.17 ... per 30-day month
    fees.setPaid("2073.60");
    s.setFees(fees);
    pool.setStatus(s);
    pools.add(pool);
    running.add(billed("f-1", "resident", "gpureservation.io/resident-pool", "inference"));
    metrics.samples();
    clock.advance(java.time.Duration.ofHours(720));

    // 2073.60 / 2 cards / 720 h = 1.44 a card-hour; one card for 720 h
    assertThat(value("gpureservation_chargeback_cost_total", "billing_mode", "resident"))
        .isEqualTo(1036.8);
    assertThat(value("gpureservation_pool_cards", "pool", "inference", "state", "free"))
        .isEqualTo(1.0);
    assertThat(value("gpureservation_pool_cards", "pool", "inference", "state", "held"))
        .isEqualTo(2.0);
    assertThat(value("gpureservation_pool_days_to_expiry", "pool", "inference")).isEqualTo(-20.0);
    assertThat(value("gpureservation_pool_fees_paid", "currency", "USD")).isEqualTo(2073.6);
  }

  @Test
  void idleReservationTimeComesFromTheReservationsLedgerAndSurvivesItsDeletion() {
    CapacityReservation r = reservation("team-a", "l20").cards("L20", 2).build();
    r.getMetadata().setUid("r-1");
    CapacityReservationStatus status = new CapacityReservationStatus();
    ReservationAccrual accrued = new ReservationAccrual();
    accrued.setIdleSlotSeconds("3600.000");
    accrued.setIdleCost("1.080000");
    status.setAccrued(accrued);
    r.setStatus(status);
    reservations.add(r);
    metrics.samples();
    reservations.clear();

    assertThat(
            value(
                "gpureservation_chargeback_gpu_seconds_total", "billing_mode", "idle-reservation"))
        .isEqualTo(7200.0); // 3600 slot-seconds x 2 cards
    assertThat(value("gpureservation_chargeback_cost_total", "billing_mode", "idle-reservation"))
        .isEqualTo(1.08);
  }

  // docs/lending.md, "Money": a borrower runs on a lent slot and pays the lending rate of its card
  // type, in its own namespace, under the mode "borrowed".
  @Test
  void borrowedPodsAreBilledToTheirNamespaceAtTheLendingRate() {
    running.add(borrower("batch", "team-a/l20/1"));
    metrics.samples();
    clock.advance(java.time.Duration.ofMinutes(90));

    // one L20 card, lending rate 60 % of 1.80 = 1.08 an hour, for 1.5 h
    assertThat(
            value(
                "gpureservation_chargeback_gpu_seconds_total",
                "namespace",
                "team-batch",
                "billing_mode",
                "borrowed",
                "card_type",
                "L20"))
        .isEqualTo(5400.0);
    assertThat(value("gpureservation_chargeback_cost_total", "billing_mode", "borrowed"))
        .isEqualTo(1.62);
    assertThat(value("gpureservation_pod_hourly_cost", "pod", "batch", "namespace", "team-batch"))
        .isEqualTo(1.08);
    assertThat(value("gpureservation_chargeback_cost_total", "namespace", "team-a")).isZero();
  }

  // The lending rate is the lender's region's; a borrower whose annotations were refused is
  // counted from the loan the ledger holds.
  @Test
  void aBorrowerPaysTheLendingRateOfItsLendersRegionAlsoFromTheLedger(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    ChargebackMetrics regional = metrics(shanghaiLending(dir));
    reservations.add(reservation("team-a", "l20").cards("L20", 1).region("cn-shanghai").build());
    Pod padded = gpuPod("team-batch", "padded").build();
    padded.getMetadata().setUid(UUID.randomUUID().toString());
    running.add(borrower("annotated", "team-a/l20/0"));
    running.add(padded);
    ledger.put("padded", new ChargebackMetrics.Billed("borrowed", T0, "team-a/l20/1"));
    regional.samples();
    clock.advance(java.time.Duration.ofHours(2));

    double cost =
        regional.samples().stream()
            .filter(
                s ->
                    s.name().equals("gpureservation_chargeback_cost_total")
                        && s.labels().containsAll(List.of("billing_mode", "borrowed")))
            .mapToDouble(ChargebackMetrics.Sample::value)
            .sum();
    assertThat(cost).isEqualTo(3.0); // 2 pods x 2 h x 0.75
  }

  // docs/lending.md, "Resident pools": a borrower of a pool's card pays the lending rate of the
  // pool's region in its own namespace; the pool's namespace is charged nothing for the lent card
  // (its owner pays the subscription, whatever its cards do).
  @Test
  void aPoolsBorrowerPaysTheLendingRateOfThePoolsRegion(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    ChargebackMetrics regional = metrics(shanghaiLending(dir));
    ResidentPool pool = Pools.pool("inference", 1, 10);
    pool.getMetadata().setNamespace("team-a");
    pool.getSpec().setRegion("cn-shanghai");
    pools.add(pool);
    Pod pod =
        gpuPod("team-batch", "batch")
            .annotation("gpureservation.io/billing-mode", "borrowed")
            .annotation("gpureservation.io/lending-pool", "team-a/inference")
            .annotation("gpureservation.io/billing-since", T0.toString())
            .build();
    pod.getMetadata().setUid(UUID.randomUUID().toString());
    running.add(pod);
    regional.samples();
    clock.advance(java.time.Duration.ofHours(2));

    List<ChargebackMetrics.Sample> samples = regional.samples();
    double borrowed =
        samples.stream()
            .filter(
                s ->
                    s.name().equals("gpureservation_chargeback_cost_total")
                        && s.labels()
                            .containsAll(
                                List.of("namespace", "team-batch", "billing_mode", "borrowed")))
            .mapToDouble(ChargebackMetrics.Sample::value)
            .sum();
    assertThat(borrowed).isEqualTo(1.5); // 1 card x 2 h x 0.75 (cn-shanghai, not the 1.08 default)
    assertThat(
            samples.stream()
                .filter(
                    s ->
                        s.name().equals("gpureservation_chargeback_cost_total")
                            && s.labels().containsAll(List.of("namespace", "team-a"))))
        .isEmpty();
  }

  @Test
  void theExpositionDeclaresCountersAndGaugesByName() {
    running.add(billed("burst", "pay-as-you-go"));

    String text = metrics.scrape();

    assertThat(text)
        .contains("# TYPE gpureservation_chargeback_cost_total counter")
        .contains("# TYPE gpureservation_pod_hourly_cost gauge")
        .contains(
            "gpureservation_pod_hourly_cost{namespace=\"team-a\",pod=\"burst\",card_type=\"L20\","
                + "billing_mode=\"pay-as-you-go\"} 1.8");
  }
}
