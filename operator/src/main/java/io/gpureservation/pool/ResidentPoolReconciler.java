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
import io.gpureservation.core.pool.BillingPoolPricing;
import io.gpureservation.core.pool.PoolPricing;
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

  private final Clock clock;
  private final PoolSync sync;
  private final Unsubscription unsubscription;
  private volatile IndexedResourceCache<ResidentPool> cache;

  public ResidentPoolReconciler(
      KubernetesClient client, Clock clock, Catalog catalog, OperatorConfig config) {
    this.clock = clock;
    PoolPricing pricing = new BillingPoolPricing(catalog);
    PoolPodReader reader =
        new PoolPodReader(catalog, config.gpuResources(), config.cardTypeNodeLabel());
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
    return List.of(
        new InformerEventSource<>(pods, context),
        new InformerEventSource<>(namespaces, context),
        new InformerEventSource<>(placeholders, context));
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
