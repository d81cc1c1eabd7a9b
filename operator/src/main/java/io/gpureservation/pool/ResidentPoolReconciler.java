package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.OVERDUE_ANNOTATION;
import static io.gpureservation.api.v1alpha1.GpuReservation.RESIDENT_POOL_LABEL;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.cluster.PlaceholderWriter;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.lending.LendingTerms;
import io.gpureservation.core.pool.BillingPoolPricing;
import io.gpureservation.core.pool.PoolPricing;
import io.gpureservation.reservation.ReservationShapes;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
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
 * Reconciles a ResidentPool with the pods labelled {@code gpureservation.io/resident-pool: <pool>}
 * in its namespace. Pods are indexed by pool through an informer with a label-to-pool mapper, so a
 * pod event reconciles only its pool; Namespaces are watched for the overdue mark. All rules live
 * in the core; this class only wires.
 */
@ControllerConfiguration(name = "residentpool", finalizerName = GpuReservation.FINALIZER)
public class ResidentPoolReconciler implements Reconciler<ResidentPool>, Cleaner<ResidentPool> {
  /** Longest wait between two looks at a pool (picks up a cleared overdue mark). */
  static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private static final String PODS = "resident-pool-pods";
  private static final String NAMESPACES = "resident-pool-namespaces";
  private static final String PLACEHOLDERS = "resident-pool-placeholders";
  private static final String BORROWERS = "resident-pool-borrowers";

  private final Clock clock;
  private final PoolSync sync;
  private final Unsubscription unsubscription;
  private final PoolPodReader reader;
  private final BorrowerClaims claims = new BorrowerClaims(this::pools);
  private volatile IndexedResourceCache<ResidentPool> cache;
  private volatile InformerEventSource<Namespace, ResidentPool> namespaceSource;

  public ResidentPoolReconciler(
      KubernetesClient client, Clock clock, Catalog catalog, OperatorConfig config) {
    this.clock = clock;
    PoolPricing pricing = new BillingPoolPricing(catalog);
    PoolPodReader reader =
        new PoolPodReader(catalog, config.gpuResources(), config.cardTypeNodeLabel());
    this.reader = reader;
    PlaceholderPods placeholderPods = PlaceholderPods.of(config);
    this.sync =
        new PoolSync(
            client,
            clock,
            new PoolPlanner(
                pricing,
                reader,
                config.holding().handOverTimeout(),
                placeholderPods,
                config.holding().priority()),
            PlaceholderWriter.packing(client, placeholderPods, clock));
    this.unsubscription = new Unsubscription(new EventRecorder(client, clock), clock, pricing);
  }

  @Override
  public List<EventSource<?, ResidentPool>> prepareEventSources(
      EventSourceContext<ResidentPool> context) {
    this.cache = context.getPrimaryCache();
    var pods =
        InformerEventSourceConfiguration.from(Pod.class, ResidentPool.class)
            .withName(PODS)
            .withLabelSelector(RESIDENT_POOL_LABEL)
            .withSecondaryToPrimaryMapper(
                pod ->
                    PoolPods.poolOf(pod)
                        .map(p -> Set.of(new ResourceID(p, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    // The overdue mark lives on the Namespace: its removal applies a refused change at once. The
    // mapper reads the pools of the namespace from the primary cache, so the secondary index may
    // miss a pool created after its namespace last changed; reconcile reads the cache directly.
    var namespaces =
        InformerEventSourceConfiguration.from(Namespace.class, ResidentPool.class)
            .withName(NAMESPACES)
            .withSecondaryToPrimaryMapper(
                ns ->
                    context
                        .getPrimaryCache()
                        .list(ns.getMetadata().getName())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter((now, before) -> isOverdue(now) != isOverdue(before))
            .build();
    // The pool's placeholders (docs/capacity-holding.md "Resident pools"): the labels only narrow
    // the watch to placeholders that are not a reservation's; a placeholder is the pool's when it
    // is controlled by the pool's uid and named after it (checked when read).
    var placeholders =
        InformerEventSourceConfiguration.from(Pod.class, ResidentPool.class)
            .withName(PLACEHOLDERS)
            .withLabelSelector(PlaceholderPods.POOL_PLACEHOLDERS_SELECTOR)
            .withSecondaryToPrimaryMapper(
                pod ->
                    PlaceholderPods.looksOwnedByAPool(pod)
                        ? pod.getMetadata().getOwnerReferences().stream()
                            .filter(o -> "ResidentPool".equals(o.getKind()))
                            .map(o -> new ResourceID(o.getName(), pod.getMetadata().getNamespace()))
                            .collect(Collectors.toSet())
                        : Set.of())
            .build();
    // Pods that ask to borrow (docs/lending.md, "Resident pools"): each wakes the pools that lend,
    // and the pool its lending-pool annotation names; reconcile decides what each pool may lend.
    var borrowers =
        InformerEventSourceConfiguration.from(Pod.class, ResidentPool.class)
            .withName(BORROWERS)
            .withLabelSelector(LendingTerms.BORROW_LABEL + "=true")
            .withSecondaryToPrimaryMapper(
                pod ->
                    context
                        .getPrimaryCache()
                        .list(ResidentPoolReconciler::lends)
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    InformerEventSource<Namespace, ResidentPool> namespaceEvents =
        new InformerEventSource<>(namespaces, context);
    this.namespaceSource = namespaceEvents;
    return List.of(
        new InformerEventSource<>(pods, context),
        namespaceEvents,
        new InformerEventSource<>(placeholders, context),
        new InformerEventSource<>(borrowers, context));
  }

  /** The pools as last seen by the informer (for metrics); empty before the controller starts. */
  List<ResidentPool> pools() {
    IndexedResourceCache<ResidentPool> c = cache;
    return c == null ? List.of() : c.list().toList();
  }

  // Two pod event sources: each is read by name, so pool pods and placeholders never mix.
  @SuppressWarnings("unchecked")
  private static Set<Pod> podsOf(ResidentPool pool, Context<ResidentPool> context, String source) {
    return ((InformerEventSource<Pod, ResidentPool>)
            context.eventSourceRetriever().getEventSourceFor(Pod.class, source))
        .getSecondaryResources(pool);
  }

  /** The pool's Namespace from the informer cache (not the secondary index: see the mapper). */
  @SuppressWarnings("unchecked")
  private static Namespace namespaceOf(ResidentPool pool, Context<ResidentPool> context) {
    var namespaces =
        (InformerEventSource<Namespace, ResidentPool>)
            context.eventSourceRetriever().getEventSourceFor(Namespace.class, NAMESPACES);
    return namespaces.get(new ResourceID(pool.getMetadata().getNamespace())).orElse(null);
  }

  private static boolean lends(ResidentPool pool) {
    return pool.getSpec() != null
        && pool.getSpec().getLending() != null
        && Boolean.TRUE.equals(pool.getSpec().getLending().getEnabled());
  }

  private Map<String, String> namespaceLabels(String namespace) {
    InformerEventSource<Namespace, ResidentPool> source = namespaceSource;
    Map<String, String> labels =
        source == null
            ? null
            : source
                .get(new ResourceID(namespace))
                .map(n -> n.getMetadata().getLabels())
                .orElse(null);
    return labels == null ? Map.of() : labels;
  }

  /** The active pools that may lend to this pod ({@code <namespace>/<pool>}). */
  private Set<String> lenders(String namespace, Pod pod) {
    Map<String, String> podLabels =
        pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    if (!LendingTerms.asksToBorrow(podLabels)) {
      return Set.of();
    }
    Map<String, String> nsLabels = namespaceLabels(namespace);
    return pools().stream()
        .filter(ResidentPoolReconciler::lends)
        .filter(p -> p.getStatus() != null && "Active".equals(p.getStatus().getPhase()))
        .filter(
            p ->
                ReservationShapes.lending(p.getSpec().getLending())
                    .allows(p.getMetadata().getNamespace(), namespace, nsLabels, podLabels))
        .map(BorrowerClaims::key)
        .collect(Collectors.toSet());
  }

  /**
   * Whether the webhook gives a new pod the pool loan gate (docs/lending.md, "Resident pools"): it
   * asks to borrow, requests GPU cards and an active pool of another namespace may lend to it.
   */
  boolean lendsTo(String namespace, Pod pod) {
    if (namespace == null) {
      return false;
    }
    try {
      if (reader.read(pod).demand().cards() <= 0) {
        return false;
      }
    } catch (RuntimeException unreadable) {
      return false;
    }
    return !lenders(namespace, pod).isEmpty();
  }

  // Every pod that asks to borrow, from the cache (not the secondary index: a pool created after
  // a borrower's last event must still see it); the plan keeps those this pool may lend to.
  @SuppressWarnings("unchecked")
  private static List<Pod> borrowerPods(Context<ResidentPool> context) {
    return ((InformerEventSource<Pod, ResidentPool>)
            context.eventSourceRetriever().getEventSourceFor(Pod.class, BORROWERS))
        .list(p -> true)
        .toList();
  }

  private Borrowers borrowers(ResidentPool pool, Context<ResidentPool> context) {
    return new Borrowers(
        borrowerPods(context),
        lends(pool) ? ReservationShapes.lending(pool.getSpec().getLending()) : LendingTerms.NONE,
        this::namespaceLabels,
        p -> lenders(p.getMetadata().getNamespace(), p),
        claims);
  }

  static boolean isOverdue(Namespace ns) {
    Map<String, String> annotations = ns == null ? null : ns.getMetadata().getAnnotations();
    return annotations != null && "true".equals(annotations.get(OVERDUE_ANNOTATION));
  }

  @Override
  public UpdateControl<ResidentPool> reconcile(ResidentPool pool, Context<ResidentPool> context) {
    Optional<Instant> next =
        sync.sync(
            pool,
            podsOf(pool, context, PODS),
            podsOf(pool, context, PLACEHOLDERS),
            borrowers(pool, context),
            isOverdue(namespaceOf(pool, context)),
            (stored, update) ->
                context
                    .eventSourceRetriever()
                    .getControllerEventSource()
                    .handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, update));
    return UpdateControl.<ResidentPool>noUpdate().rescheduleAfter(delayUntil(next));
  }

  @Override
  public DeleteControl cleanup(ResidentPool pool, Context<ResidentPool> context) {
    sync.release(pool, podsOf(pool, context, PLACEHOLDERS));
    if (unsubscription.mayComplete(pool, podsOf(pool, context, PODS))) {
      return DeleteControl.defaultDelete();
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(MAX_WAIT);
  }

  private Duration delayUntil(Optional<Instant> next) {
    Duration delay = next.map(t -> Duration.between(clock.instant(), t)).orElse(MAX_WAIT);
    if (delay.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return delay.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : delay;
  }
}
