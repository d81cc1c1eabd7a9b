package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.Claimants;
import io.gpureservation.cluster.DraDevices;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.HandOverTaints;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.cluster.Pods;
import io.gpureservation.core.matching.Loan;
import io.gpureservation.core.matching.NamespaceMatcher;
import io.gpureservation.core.matching.PodDef;
import io.gpureservation.pool.PoolNotFound;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The only writer of a GPU pod's billing annotations. Each reconcile tells the engine what the pod
 * is now, then projects the stored ledger onto the pod. It is woken by the pod's own events, by the
 * engine when the matcher changed the pod's billing, and by {@link StoredLedgers} when a stored
 * ledger line naming the pod changed. No finalizer is ever put on a user's pod: delete events
 * arrive because the controller runs in all-events mode.
 */
@ControllerConfiguration(
    name = GpuPodReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true)
public class GpuPodReconciler implements Reconciler<Pod> {
  public static final String NAME = "gpu-pods";
  private static final Duration CLAIMS_RECHECK = Duration.ofSeconds(1);

  private final ReservationEngine engine;
  private final PodAnnotator annotator;
  private final CapacityHolding holding;
  private final Lending lending;
  private final CapacityGate gate;
  private final Clock clock;
  private final Duration handOverTimeout;
  private final int placeholderPriority;
  private final DraInformers draInformers;
  private final PoolNotFound poolNotFound;
  private final HandOverTaints taints;
  private StoredLedgers ledgers;
  private IndexedResourceCache<Pod> pods;
  private GpuPods.PoolLookup pools;

  GpuPodReconciler(
      ReservationEngine engine,
      PodAnnotator annotator,
      CapacityHolding holding,
      Lending lending,
      CapacityGate gate,
      Clock clock,
      Duration handOverTimeout,
      int placeholderPriority,
      DraInformers draInformers,
      PoolNotFound poolNotFound,
      HandOverTaints taints) {
    this.engine = engine;
    this.taints = taints;
    this.poolNotFound = poolNotFound;
    this.placeholderPriority = placeholderPriority;
    this.annotator = annotator;
    this.holding = holding;
    this.lending = lending;
    this.gate = gate;
    this.clock = clock;
    this.handOverTimeout = handOverTimeout;
    this.draInformers = draInformers;
  }

  @Override
  public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
    ledgers = new StoredLedgers(context, engine);
    pods = context.getPrimaryCache();
    SimpleInboundEventSource<Pod> matcherChanges = new SimpleInboundEventSource<>("matcher-pods");
    engine.onPodChanges(matcherChanges::propagateEvent);
    InformerEventSource<ResidentPool, Pod> poolSource = poolsOfPods(context);
    pools = (namespace, name) -> poolSource.get(new ResourceID(name, namespace));
    InformerEventSource<Namespace, Pod> namespaces = namespaces(context);
    engine.useCaches(
        new InformerCaches(
            context.getPrimaryCache(),
            ledgers,
            pools,
            namespace ->
                namespaces
                    .get(new ResourceID(namespace))
                    .map(n -> n.getMetadata().getLabels())
                    .map(labels -> (Map<String, String>) labels)
                    .orElse(Map.of())));
    List<EventSource<?, Pod>> sources =
        new java.util.ArrayList<>(List.of(ledgers, matcherChanges, poolSource, namespaces));
    sources.addAll(draInformers.eventSources(context));
    return sources;
  }

  // Which pods a pool bills depends on the pool existing (docs/resident-pool.md, "Pods outside
  // every pool"): a pool created or deleted re-examines the pods that name it or that it owns,
  // including those PoolNotFound told to wait.
  private static InformerEventSource<ResidentPool, Pod> poolsOfPods(
      EventSourceContext<Pod> context) {
    var config =
        InformerEventSourceConfiguration.from(ResidentPool.class, Pod.class)
            .withName("gpu-pods-pools")
            .withOnUpdateFilter((now, before) -> false)
            .withSecondaryToPrimaryMapper(
                (ResidentPool pool) ->
                    context
                        .getPrimaryCache()
                        .list(pool.getMetadata().getNamespace(), pod -> names(pod, pool))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(config, context);
  }

  // The Namespaces' labels: who may borrow is a selector on them (docs/lending.md, "The API"). A
  // cache only: a namespace's event wakes no pod.
  private static InformerEventSource<Namespace, Pod> namespaces(EventSourceContext<Pod> context) {
    var config =
        InformerEventSourceConfiguration.from(Namespace.class, Pod.class)
            .withName("gpu-pods-namespaces")
            .withOnAddFilter(n -> false)
            .withOnUpdateFilter((now, before) -> false)
            .withOnDeleteFilter((n, unknown) -> false)
            .withSecondaryToPrimaryMapper(n -> Set.of())
            .build();
    return new InformerEventSource<>(config, context);
  }

  private static boolean names(Pod pod, ResidentPool pool) {
    String name = pool.getMetadata().getName();
    Map<String, String> labels = pod.getMetadata().getLabels();
    return (labels != null && name.equals(labels.get(GpuReservation.RESIDENT_POOL_LABEL)))
        || (pod.getMetadata().getOwnerReferences() != null
            && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> name.equals(o.getName())));
  }

  @Override
  public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
    Optional<Placeholder> placeholder = placeholderOf(pod);
    if (placeholder.isPresent()) {
      // A reservation's own pod: never matched, annotated or billed; it tells whether a slot is
      // held.
      if (context.isPrimaryResourceDeleted()) {
        holding.placeholderGone(pod, placeholder.get().reservation(), placeholder.get().slot());
      } else {
        holding.placeholderChanged(pod, placeholder.get().reservation(), placeholder.get().slot());
      }
      return UpdateControl.noUpdate();
    }
    // A pod naming a pool that does not exist waits with the pool's reason, or is evicted when it
    // runs (docs/resident-pool.md, "Pods outside every pool").
    Optional<PoolNotFound.Taken> orphan =
        context.isPrimaryResourceDeleted() ? Optional.empty() : poolNotFound.examine(pod, pools);
    Duration retry = orphan.map(PoolNotFound.Taken::retry).orElse(null);
    if (context.isPrimaryResourceDeleted()) {
      taints.release(pod.getMetadata().getUid());
    }
    if (!engine.gpuPods().isGpuPod(pod)) {
      // uses ResourceClaims that hold it no GPU (DraInformers), or only names a pool
      if (!context.isPrimaryResourceDeleted() && CapacityGate.isGated(pod)) {
        return after(sooner(gatedWithoutGpus(pod), retry));
      }
      return after(retry);
    }
    // A pod that joins an existing ResidentPool leaves the reservations: the pool bills it from
    // now on; a pod that only names a pool, or claims one as its owner, stays billed here.
    if (context.isPrimaryResourceDeleted() || engine.belongsToAPool(pod)) {
      engine.podGone(pod);
      return UpdateControl.noUpdate();
    }
    engine.podChanged(pod);
    // a borrower whose lender no longer has its slot is evicted (docs/lending.md, "Recall")
    retry = sooner(lending.evictRecalled(pod), retry);
    if (CapacityGate.isGated(pod)) {
      return after(sooner(handOver(pod), retry));
    }
    if (orphan.map(PoolNotFound.Taken::waits).orElse(false)) {
      return after(retry); // its annotations carry the pool's reason while it waits
    }
    String uid = pod.getMetadata().getUid();
    String lender = engine.lenderOf(uid);
    Duration recheck =
        sooner(lender != null ? awaitLentStart(pod, lender) : awaitHandedOverStart(pod), retry);
    if (!Pods.hasEnded(pod)) {
      Optional<Loan> loan = lender == null ? Optional.empty() : engine.loanOf(uid);
      (loan.isPresent()
              ? PodAnnotator.borrowed(lender, loan.get(), ledgers.loansOf(uid))
              : PodAnnotator.desired(
                  engine.billingOf(pod.getMetadata().getNamespace(), uid), ledgers.linesOf(uid)))
          .ifPresent(desired -> remember(context, pod, annotator.apply(pod, desired)));
    }
    return after(recheck);
  }

  private static UpdateControl<Pod> after(Duration recheck) {
    return recheck == null
        ? UpdateControl.noUpdate()
        : UpdateControl.<Pod>noUpdate().rescheduleAfter(recheck);
  }

  private static Duration sooner(Duration a, Duration b) {
    return a == null ? b : b == null || a.compareTo(b) <= 0 ? a : b;
  }

  // The pod as the patch stored it stands in for the cached one until the informer delivers it: a
  // reconcile of the same pod that runs before then (another trigger) sees its annotations written
  // and writes nothing again (docs/performance.md, "Round 20: no read before a write").
  private static void remember(Context<Pod> context, Pod before, Pod stored) {
    if (stored != null && stored != before) {
      context
          .eventSourceRetriever()
          .getControllerEventSource()
          .handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, before);
    }
  }

  /** A placeholder pod: what it holds for which reservation. */
  record Placeholder(String reservation, int slot) {}

  // Recognised by what the operator created: the controller reference to the reservation's uid and
  // the placeholder's name; a pod that only wears placeholder labels is an ordinary GPU pod.
  private Optional<Placeholder> placeholderOf(Pod pod) {
    if (!PlaceholderPods.looksOwnedByAHolder(pod)) {
      return Optional.empty();
    }
    return pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .filter(o -> "CapacityReservation".equals(o.getKind()))
        .findFirst()
        .flatMap(o -> ledgers.get(new ResourceID(o.getName(), pod.getMetadata().getNamespace())))
        .flatMap(
            r ->
                PlaceholderPods.slotOf(pod, r)
                    .map(slot -> new Placeholder(r.getMetadata().getName(), slot)));
  }

  // A gated pod: a held slot of its own namespace (hand-over); else, asking to borrow, a slot a
  // reservation of another namespace lends it; else, an owner's pod no idle slot is left for, a
  // loan taken back — it stays gated until the borrower is gone (docs/lending.md). Every slot is
  // handed over the same way: nominate, pin and ungate. Returns when to look again, or null.
  private Duration handOver(Pod pod) {
    Optional<PodDef> def = engine.gpuPods().toPodDef(pod);
    if (def.isEmpty()) {
      gate.lift(pod, null);
      return null;
    }
    boolean protectable = Claimants.protectable(pod, placeholderPriority);
    String namespace = pod.getMetadata().getNamespace();
    if (engine.lenderOf(def.get().uid()) == null) {
      boolean dra = claimsThroughDra(pod);
      HandOver next =
          holding.handOver(
              def.get(), namespace, protectable, r -> holdsThroughDra(namespace, r) == dra);
      if (next instanceof HandOver.Pin pin && dra) {
        return handOverDevice(pod, pin);
      }
      if (next instanceof HandOver.Pin || !protectable) {
        gate.lift(pod, next instanceof HandOver.Pin pin ? pin : null);
        return null;
      }
    }
    Optional<Lending.Lent> lent = lending.lend(def.get(), pod);
    if (lent.isPresent() && lent.get().node() != null) {
      gate.lift(
          pod, lent.get().node(), Map.of(GpuReservation.LENDER_ANNOTATION, lent.get().record()));
      return null;
    }
    Duration reclaiming = lending.reclaim(def.get(), pod);
    if (reclaiming != null) {
      return reclaiming;
    }
    gate.lift(pod, null);
    return null;
  }

  // A DRA pod handed a held slot gets exactly its placeholder's device(s): they are tainted for it
  // before it is pinned and ungated, and its claims tolerate the taint (docs/capacity-holding.md,
  // "GPUs claimed through DRA"). Until the placeholder's claim is seen allocated, it waits; when
  // the taint is refused, the slot goes back and the pod is ungated unpinned.
  private Duration handOverDevice(Pod pod, HandOver.Pin pin) {
    String namespace = pod.getMetadata().getNamespace();
    List<DraDevices.DeviceId> devices =
        pods.get(
                new ResourceID(
                    PlaceholderPods.name(pin.slot().reservation(), pin.slot().slot()), namespace))
            .map(placeholder -> engine.gpuPods().dra().allocatedTo(placeholder))
            .orElse(List.of());
    if (devices.isEmpty()) {
      return CLAIMS_RECHECK;
    }
    String refused = taints.taint(pod, devices);
    if (refused != null) {
      holding.releaseHandOver(namespace, pod.getMetadata().getUid());
      gate.lift(pod, null);
      return null;
    }
    gate.lift(pod, pin);
    return null;
  }

  private boolean claimsThroughDra(Pod pod) {
    return DraDevices.claimsThroughTemplates(pod) && engine.gpuPods().dra().read(pod).cards() > 0;
  }

  // Whether the reservation's placeholders claim their cards through DRA (spec.placeholders).
  private boolean holdsThroughDra(String namespace, String reservation) {
    return ledgers
        .get(new ResourceID(reservation, namespace))
        .map(r -> r.getSpec().getPlaceholders())
        .map(p -> p.getDeviceClassName() != null)
        .orElse(false);
  }

  /**
   * Whether a DRA hand-over's rule still serves its claimant ({@link HandOverTaints#sweep}): the
   * pod is there, not bound or ended, and gated (its hand-over will be made again) or pinned by a
   * hand-over the ledger knows.
   */
  boolean inHandOver(HandOverTaints.Claimant claimant) {
    Optional<Pod> pod = pods.get(new ResourceID(claimant.name(), claimant.namespace()));
    return pod.filter(p -> claimant.uid().equals(p.getMetadata().getUid()))
        .filter(p -> p.getSpec().getNodeName() == null && !Pods.hasEnded(p))
        .filter(
            p ->
                CapacityGate.isGated(p)
                    || (HandOverRecord.of(p).isPresent()
                        && holding.isPromised(claimant.namespace(), claimant.uid())))
        .isPresent();
  }

  // A pod gated for the claims its templates generate (docs/capacity-holding.md, "GPUs claimed
  // through DRA"): once they are all seen and request no GPU, or when they do not appear within
  // the hand-over timeout, its gate goes. Returns when to look again, or null.
  private Duration gatedWithoutGpus(Pod pod) {
    Instant created = Pods.createdAt(pod);
    boolean late = created == null || !clock.instant().isBefore(created.plus(handOverTimeout));
    if (late || engine.gpuPods().dra().generatedClaimsSeen(pod)) {
      gate.lift(pod, null);
      return null;
    }
    return CLAIMS_RECHECK;
  }

  // A borrower pinned to its lent slot's node keeps the loan while it starts, up to the hand-over
  // timeout; once the scheduler has tried it, the slot's placeholder may go (docs/lending.md,
  // "Borrow"). Returns when to look again, or null.
  private Duration awaitLentStart(Pod pod, String lender) {
    if (pod.getSpec().getNodeName() != null || Pods.hasEnded(pod)) {
      return null;
    }
    String uid = pod.getMetadata().getUid();
    Instant at = HandOverRecord.at(pod);
    Instant deadline = (at == null ? clock.instant() : at).plus(handOverTimeout);
    if (!clock.instant().isBefore(deadline)) {
      engine.endLoan(lender, uid, null);
      return null;
    }
    if (Claimants.seenByScheduler(pod)) {
      engine.borrowerSeen(lender, uid);
    }
    return Duration.between(clock.instant(), deadline);
  }

  // A pod pinned to a held slot's node keeps the slot while it starts, up to the hand-over timeout
  // (its node may have gone); after a restart the promise is taken back from the pod's record. Once
  // the scheduler has tried it (it is nominated now), the slot's placeholder may go. Returns when
  // to look again, or null.
  private Duration awaitHandedOverStart(Pod pod) {
    Optional<NamespaceMatcher.SlotRef> slot = HandOverRecord.of(pod);
    String namespace = pod.getMetadata().getNamespace();
    String uid = pod.getMetadata().getUid();
    if (slot.isEmpty() || pod.getSpec().getNodeName() != null || Pods.hasEnded(pod)) {
      taints.release(uid); // bound with the device, or ended: its rule has served
      return null;
    }
    Instant at = HandOverRecord.at(pod);
    Instant deadline = (at == null ? clock.instant() : at).plus(handOverTimeout);
    if (!clock.instant().isBefore(deadline)) {
      holding.releaseHandOver(namespace, uid);
      taints.release(uid);
      return null;
    }
    if (!holding.isPromised(namespace, uid)) {
      engine
          .gpuPods()
          .toPodDef(pod)
          .ifPresent(def -> holding.restoreHandOver(def, namespace, slot.get()));
    }
    if (Claimants.seenByScheduler(pod)) {
      holding.claimantSeen(namespace, uid);
    }
    return Duration.between(clock.instant(), deadline);
  }
}
