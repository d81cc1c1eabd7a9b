package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.cluster.ChargebackMetrics;
import io.gpureservation.cluster.DraDevices;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.HandOverTaints;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.cluster.PlaceholderWriter;
import io.gpureservation.cluster.PrunedPods;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.Loan;
import io.gpureservation.core.matching.PodBilling;
import io.gpureservation.pool.PodGateWebhook;
import io.gpureservation.pool.PoolNotFound;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point of the CapacityReservation feature: the engine, the reservation reconciler
 * (ledgers) and the GPU pod reconciler (annotations), wired as docs/architecture.md draws them.
 */
public final class ReservationFeature {
  // The pod cache keeps the operator's own annotations: billing, and the hand-over record.
  private static final List<String> CACHED_ANNOTATIONS =
      Stream.concat(
              PodAnnotator.KEYS.stream(),
              Stream.of(
                  GpuReservation.HANDOVER_ANNOTATION,
                  GpuReservation.HANDOVER_AT_ANNOTATION,
                  GpuReservation.LENDER_ANNOTATION,
                  GpuReservation.LENDING_POOL_ANNOTATION))
          .toList();

  private static final Logger LOG = LoggerFactory.getLogger(ReservationFeature.class);
  private static final Duration SWEEP_POLL = Duration.ofSeconds(2);
  private final ReservationEngine engine;
  private final Lending lending;
  private final PodGateWebhook.Claimant claimant;
  private final HandOverTaints taints;
  private final GpuPodReconciler podReconciler;
  private final Duration handOverTimeout;

  private ReservationFeature(
      ReservationEngine engine,
      Lending lending,
      PodGateWebhook.Claimant claimant,
      HandOverTaints taints,
      GpuPodReconciler podReconciler,
      Duration handOverTimeout) {
    this.engine = engine;
    this.lending = lending;
    this.claimant = claimant;
    this.taints = taints;
    this.podReconciler = podReconciler;
    this.handOverTimeout = handOverTimeout;
  }

  /** Registers both reconcilers (call before {@code operator.start()}). */
  public static ReservationFeature register(
      Operator operator,
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      Catalog catalog) {
    RegionNodes regionNodes = new RegionNodes(config.cardTypeNodeLabel());
    GpuPods gpuPods = new GpuPods(config, catalog, regionNodes::cardTypeLabel);
    ReservationShapes shapes = new ReservationShapes(catalog);
    ReservationEngine engine = new ReservationEngine(gpuPods, shapes, clock);
    LedgerWriter writer =
        new LedgerWriter(
            client, engine, new ReservationStatusComposer(catalog, regionNodes), clock);
    CapacityHolding holding = new CapacityHolding(engine, clock);
    PlaceholderPods placeholderPods = PlaceholderPods.of(config);
    EventRecorder events = new EventRecorder(client, clock);
    Lending lending = new Lending(engine, client, events, clock);
    operator.register(
        new CapacityReservationReconciler(
            engine,
            shapes,
            writer,
            holding,
            PlaceholderWriter.spreading(client, placeholderPods, clock),
            clock,
            config.accrualInterval(),
            regionNodes));
    // Every pod event is delivered (a pod that joins a ResidentPool must give its slot back);
    // the cache keeps pruned pods only.
    HandOverTaints taints = new HandOverTaints(client);
    GpuPodReconciler podReconciler =
        new GpuPodReconciler(
            engine,
            new PodAnnotator(client, events),
            holding,
            lending,
            new CapacityGate(client, clock),
            clock,
            config.holding().handOverTimeout(),
            config.holding().priority(),
            new DraInformers(gpuPods.dra(), config.gpuDrivers()),
            PoolNotFound.of(client, clock),
            taints);
    RegisteredController<Pod> pods =
        operator.register(
            podReconciler,
            o ->
                // A pod using ResourceClaims passes too: JOSDK acts on a claim's event for a pod
                // only once an event of the pod itself got through (docs/architecture.md); so
                // does a pod naming a pool (PoolNotFound).
                o.withGenericFilter(
                        p ->
                            gpuPods.isGpuPod(p)
                                || DraDevices.usesClaims(p)
                                || GpuPods.namesAPool(p))
                    // Every pod event comes from the informer; a timer per pod would cost heap.
                    .withReconciliationMaxInterval(null)
                    .withItemStore(
                        new TransformingItemStore<>(new PrunedPods(gpuPods, CACHED_ANNOTATIONS))));
    ((InformerCaches) engine.caches())
        .syncedWhen(
            () -> {
              try {
                for (InformerWrappingEventSourceHealthIndicator<?> source :
                    pods.getControllerHealthInfo().informerEventSourceHealthIndicators().values()) {
                  for (InformerHealthIndicator informer :
                      source.informerHealthIndicators().values()) {
                    if (!informer.hasSynced()) {
                      return false;
                    }
                  }
                }
                return true;
              } catch (RuntimeException notStartedYet) {
                return false;
              }
            });
    return new ReservationFeature(
        engine,
        lending,
        new PodGateWebhook.Claimant(
            config.holding().claimantPriorityClass(), config.holding().priority()),
        taints,
        podReconciler,
        config.holding().handOverTimeout());
  }

  /**
   * Sweeps the DeviceTaintRules of DRA hand-overs (docs/capacity-holding.md, "GPUs claimed through
   * DRA"): once the caches have synced after start — a crash's leftovers — and then every hand-over
   * timeout, deleting each rule whose claimant is bound, gone or in no hand-over the ledger knows.
   * Close to stop.
   */
  public AutoCloseable sweepHandOverTaints() {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "handover-taint-sweep");
              thread.setDaemon(true);
              return thread;
            });
    AtomicBoolean swept = new AtomicBoolean();
    AtomicLong lastSweep = new AtomicLong();
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            long now = System.nanoTime();
            boolean due = !swept.get() || now - lastSweep.get() >= handOverTimeout.toNanos();
            if (due && engine.caches().synced()) {
              int deleted = taints.sweep(podReconciler::inHandOver);
              if (deleted > 0) {
                LOG.info(
                    "deleted {} DeviceTaintRule(s) of hand-overs no longer under way", deleted);
              }
              swept.set(true);
              lastSweep.set(now);
            }
          } catch (RuntimeException e) {
            LOG.warn("sweeping hand-over DeviceTaintRules: {}", e.toString());
          }
        },
        SWEEP_POLL.toMillis(),
        SWEEP_POLL.toMillis(),
        TimeUnit.MILLISECONDS);
    return timer::shutdownNow;
  }

  /**
   * What the webhook does for this feature: the capacity gate, and the claimant class for the pods
   * it gates (docs/capacity-holding.md "Why nothing else can take a hand-over's capacity").
   */
  public PodGateWebhook.CapacityGated capacityGate() {
    return new PodGateWebhook.CapacityGated() {
      @Override
      public boolean test(String namespace, Pod pod) {
        return wantsCapacityGate(namespace, pod);
      }

      @Override
      public PodGateWebhook.Claimant claimant() {
        return claimant;
      }
    };
  }

  /**
   * Whether the webhook gates this new pod (docs/capacity-holding.md "Hand-over"), not a pool pod
   * or a placeholder: a GPU pod in a namespace with a live reservation — or, asking to borrow, in a
   * namespace some live reservation of another namespace lends to (docs/lending.md, "Borrow") — or
   * a pod that claims devices through a template in a namespace with a live reservation that holds
   * through DRA.
   */
  public boolean wantsCapacityGate(String namespace, Pod pod) {
    if (namespace == null
        || engine.belongsToAPool(pod)
        || PlaceholderPods.looksOwnedByAHolder(pod)) {
      return false;
    }
    if (engine.gpuPods().isGpuPod(pod)) {
      return engine.hasLiveReservations(namespace) || lending.lendsTo(namespace, pod);
    }
    // Its claims are not made yet: it may get GPUs through DRA, and a reservation holding through
    // DRA could hand it a device (docs/capacity-holding.md, "GPUs claimed through DRA").
    return DraDevices.claimsThroughTemplates(pod) && engine.hasLiveDraReservations(namespace);
  }

  /**
   * What the ledger holds for a pod the matcher already tracks (the chargeback metrics count a pod
   * whose annotations the API server refused by it); empty for any other pod.
   */
  public Optional<ChargebackMetrics.Billed> ledgerBilling(Pod pod) {
    String lender = engine.lenderOf(pod.getMetadata().getUid());
    if (lender != null) {
      return engine
          .loanOf(pod.getMetadata().getUid())
          .filter(Loan::started)
          .map(
              l ->
                  new ChargebackMetrics.Billed(
                      GpuReservation.MODE_BORROWED,
                      l.since(),
                      lender + "/" + l.reservation() + "/" + l.slot()));
    }
    PodBilling billing =
        engine.knownBillingOf(pod.getMetadata().getNamespace(), pod.getMetadata().getUid());
    if (billing instanceof PodBilling.Reserved r) {
      return Optional.of(new ChargebackMetrics.Billed(GpuReservation.MODE_RESERVED, r.since()));
    }
    if (billing instanceof PodBilling.PayAsYouGo p) {
      return Optional.of(
          new ChargebackMetrics.Billed(GpuReservation.MODE_PAY_AS_YOU_GO, p.since()));
    }
    return Optional.empty();
  }

  /** How the feature reads GPU pods (the chargeback metrics read them the same way). */
  public GpuPods gpuPods() {
    return engine.gpuPods();
  }

  /** What the metrics endpoint reads. */
  public ReservationEngine engine() {
    return engine;
  }
}
