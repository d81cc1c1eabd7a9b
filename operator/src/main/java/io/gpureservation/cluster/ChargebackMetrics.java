package io.gpureservation.cluster;

import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_MODE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.BILLING_SINCE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_BORROWED;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_PAY_AS_YOU_GO;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_RESERVED;
import static io.gpureservation.api.v1alpha1.GpuReservation.MODE_RESIDENT;
import static io.gpureservation.api.v1alpha1.GpuReservation.RESERVATION_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_LABEL;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.core.billing.ChargebackMeter;
import io.gpureservation.core.billing.ResidentPoolPricing;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.PodDef;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chargeback metrics (docs/billing.md, "Chargeback metrics"): GPU-seconds and cost counters by
 * namespace, card type and billing mode ({@code reserved}, {@code pay-as-you-go}, {@code resident},
 * {@code borrowed} from running pods, {@code idle-reservation} from the reservations' accrued idle
 * time), the hourly cost of each running GPU pod (labels namespace, pod, card type, to join with
 * cost tools), and pool gauges. Computed at scrape time from what the operator holds; samples are
 * doubles, the exact decimals live in the statuses.
 */
public final class ChargebackMetrics implements AutoCloseable {
  /** Billing mode label of idle reservation slots. */
  public static final String MODE_IDLE_RESERVATION = "idle-reservation";

  private final Catalog catalog;
  private final GpuPods gpuPods;
  private final Supplier<Collection<Pod>> runningPods;
  private final Supplier<List<CapacityReservation>> reservations;
  private final Supplier<List<ResidentPool>> pools;
  private final Clock clock;
  private final LedgerBilling ledgerBilling;
  private final ChargebackMeter meter;
  // Idle totals per reservation uid, kept after deletion so the counters never go down.
  private final Map<String, Idle> idle = new HashMap<>();
  private AutoCloseable informer;

  private record Idle(ChargebackMeter.Key key, double gpuSeconds, double cost) {}

  /**
   * A pod's billing mode and since when, as the ledger holds it; for a borrower, the lender's
   * {@code <namespace>/<reservation>/<slot>} (its region prices the loan), else null.
   */
  public record Billed(String mode, Instant since, String lender) {
    public Billed(String mode, Instant since) {
      this(mode, since, null);
    }
  }

  /**
   * The billing the ledger holds for a GPU pod, for a pod that does not carry its annotations (the
   * API server refused them, e.g. annotations padded to the size limit): such a pod is still
   * counted (docs/billing.md, "Chargeback metrics").
   */
  @FunctionalInterface
  public interface LedgerBilling {
    Optional<Billed> of(Pod pod);
  }

  /** One sample line: name, labels (alternating keys and values) and value. */
  public record Sample(String name, List<String> labels, double value) {
    /** The sample in the Prometheus text format, label values escaped. */
    String line() {
      StringBuilder b = new StringBuilder(name).append('{');
      for (int i = 0; i < labels.size(); i += 2) {
        if (i > 0) {
          b.append(',');
        }
        String v = labels.get(i + 1) == null ? "" : labels.get(i + 1);
        v = v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        b.append(labels.get(i)).append("=\"").append(v).append('"');
      }
      return b.append("} ").append(value).toString();
    }
  }

  public ChargebackMetrics(
      Catalog catalog,
      GpuPods gpuPods,
      Supplier<Collection<Pod>> runningPods,
      Supplier<List<CapacityReservation>> reservations,
      Supplier<List<ResidentPool>> pools,
      LedgerBilling ledgerBilling,
      Clock clock) {
    this.catalog = catalog;
    this.gpuPods = gpuPods;
    this.runningPods = runningPods;
    this.reservations = reservations;
    this.pools = pools;
    this.ledgerBilling = ledgerBilling;
    this.clock = clock;
    this.meter = new ChargebackMeter(clock.instant());
  }

  /**
   * Metrics over the running pods of the whole cluster, read by a pod informer restricted to {@code
   * status.phase=Running} (closed with this object).
   */
  public static ChargebackMetrics watching(
      KubernetesClient client,
      Catalog catalog,
      GpuPods gpuPods,
      Supplier<List<CapacityReservation>> reservations,
      Supplier<List<ResidentPool>> pools,
      LedgerBilling ledgerBilling,
      Clock clock) {
    SharedIndexInformer<Pod> running =
        client.pods().inAnyNamespace().withField("status.phase", "Running").runnableInformer(0);
    // Pruned as the reservation feature's cache is: a full copy of every running pod would cost
    // kilobytes per pod (docs/performance.md, "Memory").
    running.itemStore(
        new TransformingItemStore<>(
            new PrunedPods(
                gpuPods,
                java.util.stream.Stream.concat(
                        GpuReservation.OPERATOR_ANNOTATIONS.stream(),
                        java.util.stream.Stream.of(GpuReservation.LENDING_POOL_ANNOTATION))
                    .toList())));
    running.run();
    ChargebackMetrics metrics =
        new ChargebackMetrics(
            catalog,
            gpuPods,
            () -> running.getStore().list(),
            reservations,
            pools,
            ledgerBilling,
            clock);
    metrics.informer = running::close;
    return metrics;
  }

  @Override
  public void close() {
    if (informer != null) {
      try {
        informer.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The metric names this class exports (the dashboard test checks its queries against them). */
  public static final List<String> NAMES =
      List.of(
          "gpureservation_chargeback_gpu_seconds_total",
          "gpureservation_chargeback_cost_total",
          "gpureservation_pod_hourly_cost",
          "gpureservation_pool_cards",
          "gpureservation_pool_waiting_pods",
          "gpureservation_pool_fees_paid",
          "gpureservation_pool_days_to_expiry",
          "gpureservation_pool_phase");

  /** The Prometheus text exposition of every chargeback and pool metric, as of now. */
  public synchronized String scrape() {
    StringBuilder out = new StringBuilder();
    List<Sample> samples = samples();
    for (String name : NAMES) {
      out.append("# TYPE ").append(name).append(name.endsWith("_total") ? " counter" : " gauge");
      out.append('\n');
      for (Sample s : samples) {
        if (s.name().equals(name)) {
          out.append(s.line()).append('\n');
        }
      }
    }
    return out.toString();
  }

  /** Every sample, as of now. */
  public synchronized List<Sample> samples() {
    Instant now = clock.instant();
    Map<String, ResidentPool> poolsByKey = new HashMap<>();
    Map<String, CapacityReservation> reservationsByKey = new HashMap<>();
    for (CapacityReservation r : reservations.get()) {
      reservationsByKey.put(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(), r);
    }
    List<Sample> samples = new ArrayList<>();
    for (ResidentPool p : pools.get()) {
      poolsByKey.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
      samples.addAll(PoolGauges.of(p, now));
    }
    List<ChargebackMeter.Running> running = new ArrayList<>();
    for (Pod pod : runningPods.get()) {
      running(pod, poolsByKey, reservationsByKey)
          .ifPresent(
              r -> {
                running.add(r);
                samples.add(
                    new Sample(
                        "gpureservation_pod_hourly_cost",
                        List.of(
                            "namespace", r.key().namespace(),
                            "pod", pod.getMetadata().getName(),
                            "card_type", r.key().cardType(),
                            "billing_mode", r.key().billingMode()),
                        r.hourlyRate().doubleValue()));
              });
    }
    meter.observe(now, running);
    Map<ChargebackMeter.Key, double[]> totals = new java.util.TreeMap<>();
    meter
        .totals()
        .forEach(
            (k, t) ->
                totals.put(k, new double[] {t.gpuSeconds().doubleValue(), t.cost().doubleValue()}));
    for (CapacityReservation r : reservationsByKey.values()) {
      rememberIdle(r);
    }
    for (Idle i : idle.values()) {
      double[] t = totals.computeIfAbsent(i.key(), k -> new double[2]);
      t[0] += i.gpuSeconds();
      t[1] += i.cost();
    }
    totals.forEach(
        (k, t) -> {
          List<String> labels =
              List.of(
                  "namespace", k.namespace(),
                  "card_type", k.cardType(),
                  "billing_mode", k.billingMode());
          samples.add(new Sample("gpureservation_chargeback_gpu_seconds_total", labels, t[0]));
          List<String> withCurrency = new ArrayList<>(labels);
          withCurrency.addAll(List.of("currency", catalog.currency()));
          samples.add(new Sample("gpureservation_chargeback_cost_total", withCurrency, t[1]));
        });
    return samples;
  }

  // A started GPU pod with the billing mode the operator wrote on it, priced for that mode.
  private Optional<ChargebackMeter.Running> running(
      Pod pod, Map<String, ResidentPool> pools, Map<String, CapacityReservation> reservations) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    String mode = a == null ? null : a.get(BILLING_MODE_ANNOTATION);
    Instant since = PoolGauges.instant(a == null ? null : a.get(BILLING_SINCE_ANNOTATION));
    String lender = a == null ? null : a.get(RESERVATION_ANNOTATION);
    String lendingPool = a == null ? null : a.get(GpuReservation.LENDING_POOL_ANNOTATION);
    if (mode == null) {
      Optional<Billed> ledger = ledgerBilling.of(pod);
      mode = ledger.map(Billed::mode).orElse(null);
      since = ledger.map(Billed::since).orElse(null);
      lender = ledger.map(Billed::lender).orElse(null);
    }
    if (mode == null
        || since == null
        || pod.getSpec() == null
        || pod.getSpec().getNodeName() == null) {
      return Optional.empty();
    }
    String namespace = pod.getMetadata().getNamespace();
    if (MODE_RESIDENT.equals(mode)) {
      String poolName =
          pod.getMetadata().getLabels() == null
              ? null
              : pod.getMetadata().getLabels().get(RESIDENT_POOL_LABEL);
      ResidentPool pool = pools.get(namespace + "/" + poolName);
      int cards = gpuPods.toPodDef(pod).map(d -> d.size().cards()).orElse(0);
      if (pool == null || cards <= 0) {
        return Optional.empty();
      }
      return Optional.of(
          new ChargebackMeter.Running(
              pod.getMetadata().getUid(),
              new ChargebackMeter.Key(namespace, pool.getSpec().getCardType(), MODE_RESIDENT),
              cards,
              residentCardHourly(pool.getStatus()).multiply(BigDecimal.valueOf(cards)),
              since));
    }
    if (!MODE_RESERVED.equals(mode)
        && !MODE_PAY_AS_YOU_GO.equals(mode)
        && !MODE_BORROWED.equals(mode)) {
      return Optional.empty();
    }
    Optional<PodDef> def = gpuPods.toPodDef(pod);
    if (def.isEmpty() || def.get().size().cardType() == null) {
      return Optional.empty();
    }
    String type = def.get().size().cardType();
    int cards = def.get().size().cards();
    // A reserved pod is billed at its pay-as-you-go rate too (the reservation buys availability);
    // a borrower at the lending rate of its lender's region (docs/lending.md, "Money").
    BigDecimal rate =
        (MODE_BORROWED.equals(mode)
                ? catalog.lendingHourlyRate(
                    type,
                    cards,
                    lendingPool != null
                        ? poolRegion(pools.get(lendingPool))
                        : lenderRegion(lender, reservations))
                : catalog.payAsYouGoHourlyRate(type, cards))
            .orElse(BigDecimal.ZERO);
    return Optional.of(
        new ChargebackMeter.Running(
            pod.getMetadata().getUid(),
            new ChargebackMeter.Key(namespace, type, mode),
            cards,
            rate,
            since));
  }

  // The region of the reservation a borrower's slot belongs to ("<namespace>/<name>/<slot>"), or
  // null (the catalog's example rate) when that reservation is not known.
  private static String lenderRegion(String lender, Map<String, CapacityReservation> reservations) {
    int slash = lender == null ? -1 : lender.lastIndexOf('/');
    CapacityReservation r = slash < 0 ? null : reservations.get(lender.substring(0, slash));
    return r == null || r.getSpec() == null ? null : r.getSpec().getRegion();
  }

  // The region of the ResidentPool a borrower's cards are lent by, or null when it is not known.
  private static String poolRegion(ResidentPool pool) {
    return pool == null || pool.getSpec() == null ? null : pool.getSpec().getRegion();
  }

  // The subscription's price of one card-hour (docs/billing.md, "Chargeback metrics").
  private static BigDecimal residentCardHourly(ResidentPoolStatus s) {
    if (s == null
        || s.getFees() == null
        || s.getFees().getMonthly() == null
        || s.getInForce() == null) {
      return BigDecimal.ZERO;
    }
    return ResidentPoolPricing.cardHourly(
        new BigDecimal(s.getFees().getMonthly()), s.getInForce().getCards());
  }

  private void rememberIdle(CapacityReservation r) {
    var s = r.getStatus();
    if (s == null || s.getAccrued() == null || s.getAccrued().getIdleSlotSeconds() == null) {
      return;
    }
    String type =
        catalog.canonicalCardType(r.getSpec().getCardType()).orElse(r.getSpec().getCardType());
    int cards = r.getSpec().getCards() == null ? 0 : r.getSpec().getCards();
    double slotSeconds = new BigDecimal(s.getAccrued().getIdleSlotSeconds()).doubleValue();
    double cost =
        s.getAccrued().getIdleCost() == null
            ? 0
            : new BigDecimal(s.getAccrued().getIdleCost()).doubleValue();
    idle.put(
        r.getMetadata().getUid(),
        new Idle(
            new ChargebackMeter.Key(r.getMetadata().getNamespace(), type, MODE_IDLE_RESERVATION),
            slotSeconds * cards,
            cost));
  }
}
