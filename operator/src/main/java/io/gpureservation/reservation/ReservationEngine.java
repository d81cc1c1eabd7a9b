package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.SlotHolding;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.core.matching.Holding;
import io.gpureservation.core.matching.NamespaceMatcher;
import io.gpureservation.core.matching.PodBilling;
import io.gpureservation.core.matching.PodDef;
import io.gpureservation.core.matching.Reasons;
import io.gpureservation.core.matching.ReservationDef;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory cache of matching decisions: one {@link NamespaceMatcher} per namespace, fed by the
 * reconcilers with what the informers hold, and the trigger of the reconciles it reports changed.
 * It makes no API call: the reservation reconciler writes a ledger, the pod reconciler a pod's
 * annotations (docs/architecture.md, "How one pod event travels").
 *
 * <p>A namespace is built the first time it is touched, from the informer caches (reservations with
 * their stored ledgers, then GPU pods): that is how a restart rebuilds the state. Calls for one
 * namespace are serialised by a lock held only while the matcher changes.
 */
public final class ReservationEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ReservationEngine.class);

  private final GpuPods gpuPods;
  private final ReservationShapes shapes;
  private final Clock clock;
  private final Map<String, NamespaceMatcher> namespaces = new ConcurrentHashMap<>();
  private volatile ClusterCaches caches;
  private volatile Consumer<ResourceID> reservationTrigger = id -> {};
  private volatile Consumer<ResourceID> podTrigger = id -> {};

  ReservationEngine(GpuPods gpuPods, ReservationShapes shapes, Clock clock) {
    this.gpuPods = gpuPods;
    this.shapes = shapes;
    this.clock = clock;
  }

  void useCaches(ClusterCaches caches) {
    this.caches = caches;
  }

  ClusterCaches caches() {
    return caches;
  }

  void onReservationChanges(Consumer<ResourceID> trigger) {
    this.reservationTrigger = trigger;
  }

  void onPodChanges(Consumer<ResourceID> trigger) {
    this.podTrigger = trigger;
  }

  GpuPods gpuPods() {
    return gpuPods;
  }

  /** A GPU pod as the informer holds it now. Pods whose resources cannot be read are ignored. */
  void podChanged(Pod pod) {
    Optional<PodDef> def = gpuPods.toPodDef(pod);
    if (def.isEmpty()) {
      LOG.warn("ignoring pod {} whose resources cannot be read", pod.getMetadata().getName());
      return;
    }
    Instant now = clock.instant();
    change(pod.getMetadata().getNamespace(), m -> m.upsertPod(def.get(), now));
  }

  /** A GPU pod is gone, or is no longer the reservations' (it joined a ResidentPool). */
  void podGone(Pod pod) {
    Instant now = clock.instant();
    change(pod.getMetadata().getNamespace(), m -> m.removePod(pod.getMetadata().getUid(), now));
  }

  /** A reservation as the informer holds it now (created, changed, expired, being deleted). */
  void reservationChanged(CapacityReservation r, ReservationShapes.Resolution resolution) {
    Instant now = clock.instant();
    ReservationDef def = shapes.toDef(r, resolution, now);
    change(r.getMetadata().getNamespace(), m -> m.upsertReservation(def, now));
  }

  /**
   * A reservation as the informer delivers it, before its reconcile runs: a pod that starts right
   * after a reservation was created sees its slots. Ignored until the namespace is loaded (the load
   * reads the cache) and for a reservation being deleted (its cleanup releases it).
   */
  void reservationDelivered(CapacityReservation r) {
    if (!namespaces.containsKey(r.getMetadata().getNamespace())
        || r.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    reservationChanged(r, shapes.resolve(r.getSpec()));
  }

  /** The reservation is being deleted: its pods go back to pay-as-you-go or to other slots. */
  void reservationDeleted(CapacityReservation r) {
    Instant now = clock.instant();
    change(
        r.getMetadata().getNamespace(),
        m -> m.removeReservation(r.getMetadata().getName(), Reasons.RESERVATION_DELETED, now));
  }

  /** The reservation's slots as the matcher holds them now. */
  SlotsView slots(String namespace, String name) {
    NamespaceMatcher matcher = matcher(namespace);
    synchronized (matcher) {
      return new SlotsView(matcher.ledger(name), matcher.idleSlots(name));
    }
  }

  PodBilling billingOf(String namespace, String podUid) {
    NamespaceMatcher matcher = matcher(namespace);
    synchronized (matcher) {
      return matcher.billingOf(podUid);
    }
  }

  /** Visits every started GPU pod's billing, namespace by namespace (for metrics). */
  public void forEachPod(BiConsumer<String, PodBilling> visitor) {
    for (Map.Entry<String, NamespaceMatcher> e : namespaces.entrySet()) {
      List<PodBilling> billings;
      synchronized (e.getValue()) {
        billings = e.getValue().billings();
      }
      billings.forEach(b -> visitor.accept(e.getKey(), b));
    }
  }

  /** The reservations as the informer holds them (for metrics). */
  public List<CapacityReservation> reservations() {
    ClusterCaches c = caches;
    return c == null ? List.of() : c.allReservations();
  }

  // The lock covers the matcher only; the triggers only queue reconciles.
  private void change(String namespace, Consumer<NamespaceMatcher> change) {
    NamespaceMatcher matcher = matcher(namespace);
    Set<String> reservations;
    List<ResourceID> pods = new ArrayList<>();
    synchronized (matcher) {
      change.accept(matcher);
      reservations = matcher.drainChangedReservations();
      for (String uid : matcher.drainChangedPods()) {
        String name = matcher.podName(uid);
        if (name != null) {
          pods.add(new ResourceID(name, namespace));
        }
      }
    }
    reservations.forEach(name -> reservationTrigger.accept(new ResourceID(name, namespace)));
    pods.forEach(podTrigger);
  }

  private NamespaceMatcher matcher(String namespace) {
    NamespaceMatcher known = namespaces.get(namespace);
    return known != null ? known : namespaces.computeIfAbsent(namespace, this::load);
  }

  // The restart path: stored ledgers first, then the GPU pods, all from the informer caches.
  private NamespaceMatcher load(String namespace) {
    ClusterCaches c = caches;
    if (c == null) {
      throw new IllegalStateException("the reservation engine has no informer caches yet");
    }
    c.awaitSynced();
    Instant now = clock.instant();
    List<ReservationDef> defs = new ArrayList<>();
    List<Holding> ledger = new ArrayList<>();
    for (CapacityReservation r : c.reservations(namespace)) {
      defs.add(shapes.toDef(r, shapes.resolve(r.getSpec()), now));
      ledger.addAll(ledgerOf(r));
    }
    List<PodDef> pods = new ArrayList<>();
    for (Pod pod : c.pods(namespace)) {
      if (gpuPods.isGpuPod(pod) && !GpuPods.isResidentPoolPod(pod)) {
        gpuPods
            .toPodDef(pod)
            .filter(d -> d.lifecycle() != PodDef.Lifecycle.ENDED)
            .ifPresent(pods::add);
      }
    }
    NamespaceMatcher matcher = new NamespaceMatcher();
    matcher.restore(defs, ledger, pods, now);
    LOG.info(
        "namespace {} loaded: {} reservations, {} ledger lines, {} GPU pods",
        namespace,
        defs.size(),
        ledger.size(),
        pods.size());
    return matcher;
  }

  static List<Holding> ledgerOf(CapacityReservation r) {
    if (r.getStatus() == null || r.getStatus().getLedger() == null) {
      return List.of();
    }
    List<Holding> result = new ArrayList<>();
    for (SlotHolding h : r.getStatus().getLedger()) {
      try {
        result.add(
            new Holding(
                r.getMetadata().getName(),
                h.getSlot(),
                h.getPodUid(),
                h.getPod(),
                Instant.parse(h.getSince())));
      } catch (RuntimeException malformed) {
        LOG.warn("dropping malformed ledger line of {}: {}", r.getMetadata().getName(), malformed);
      }
    }
    return result;
  }
}
