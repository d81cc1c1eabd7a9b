package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.SlotHolding;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.matching.Holding;
import io.gpureservation.core.matching.NamespaceMatcher;
import io.gpureservation.core.matching.PodBilling;
import io.gpureservation.core.matching.PodDef;
import io.gpureservation.core.matching.Reasons;
import io.gpureservation.core.matching.ReservationDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds pod and reservation events to one {@link NamespaceMatcher} per namespace and persists what
 * changes: ledgers (reservation status) first, pod annotations second. A namespace is loaded from
 * its ledgers the first time it is touched, which is how state survives a restart. Calls for one
 * namespace are serialised; namespaces proceed in parallel.
 */
public final class ReservationMatching {
  private static final Logger LOG = LoggerFactory.getLogger(ReservationMatching.class);

  private final KubernetesClient client;
  private final GpuPods gpuPods;
  private final ReservationShapes shapes;
  private final ReservationStatusComposer composer;
  private final ReservationStatusWriter writer;
  private final PodAnnotator annotator;
  private final Clock clock;
  private final Duration accrualInterval;
  private final Map<String, NamespaceState> namespaces = new ConcurrentHashMap<>();

  public ReservationMatching(
      KubernetesClient client, Catalog catalog, OperatorConfig config, Clock clock) {
    this.client = client;
    this.gpuPods = new GpuPods(config, catalog);
    this.shapes = new ReservationShapes(catalog);
    this.composer = new ReservationStatusComposer(catalog);
    this.writer = new ReservationStatusWriter(client);
    this.annotator = new PodAnnotator(client);
    this.clock = clock;
    this.accrualInterval = config.accrualInterval();
  }

  public GpuPods gpuPods() {
    return gpuPods;
  }

  /** A reservation was created or changed, or its timer fired. Returns when to look again. */
  public Duration reservationChanged(CapacityReservation r) {
    Instant now = clock.instant();
    NamespaceState state = state(r.getMetadata().getNamespace(), now);
    synchronized (state) {
      state.remember(r);
      ReservationShapes.Resolution resolution = shapes.resolve(r.getSpec());
      state.matcher.upsertReservation(shapes.toDef(r, resolution, now), now);
      state.pendingReservations.add(r.getMetadata().getName());
      flush(state, now, accrualDue(state.reservations.get(r.getMetadata().getName()), now));
    }
    return nextLook(r, now);
  }

  /** A reservation is being deleted: release its pods, then let the delete finish. */
  public void reservationDeleted(CapacityReservation r) {
    Instant now = clock.instant();
    NamespaceState state = state(r.getMetadata().getNamespace(), now);
    synchronized (state) {
      state.remember(r);
      state.matcher.removeReservation(r.getMetadata().getName(), Reasons.RESERVATION_DELETED, now);
      state.pendingReservations.add(r.getMetadata().getName());
      flush(state, now, false);
      state.reservations.remove(r.getMetadata().getName());
    }
  }

  /** A GPU pod was created or changed. */
  public void podChanged(Pod pod) {
    Optional<PodDef> def = gpuPods.toPodDef(pod);
    if (def.isEmpty()) {
      LOG.warn("ignoring pod {} whose resources cannot be read", pod.getMetadata().getName());
      return;
    }
    Instant now = clock.instant();
    NamespaceState state = state(pod.getMetadata().getNamespace(), now);
    synchronized (state) {
      state.pods.put(pod.getMetadata().getUid(), pod);
      state.matcher.upsertPod(def.get(), now);
      state.pendingPods.add(pod.getMetadata().getUid()); // repairs annotations someone else wrote
      flush(state, now, false);
      if (def.get().lifecycle() == PodDef.Lifecycle.ENDED) {
        state.pods.remove(pod.getMetadata().getUid());
      }
    }
  }

  /** A GPU pod is gone. */
  public void podDeleted(Pod pod) {
    Instant now = clock.instant();
    NamespaceState state = state(pod.getMetadata().getNamespace(), now);
    synchronized (state) {
      state.pods.remove(pod.getMetadata().getUid());
      state.matcher.removePod(pod.getMetadata().getUid(), now);
      flush(state, now, false);
    }
  }

  /** Visits every known GPU pod's billing, namespace by namespace (for metrics). */
  public void forEachPod(BiConsumer<String, PodBilling> visitor) {
    for (Map.Entry<String, NamespaceState> e : namespaces.entrySet()) {
      synchronized (e.getValue()) {
        for (String uid : e.getValue().pods.keySet()) {
          visitor.accept(e.getKey(), e.getValue().matcher.billingOf(uid));
        }
      }
    }
  }

  /** The latest stored reservations (for metrics). */
  public List<CapacityReservation> reservations() {
    List<CapacityReservation> result = new ArrayList<>();
    for (NamespaceState state : namespaces.values()) {
      synchronized (state) {
        result.addAll(state.reservations.values());
      }
    }
    return result;
  }

  // Ledgers first: a pod is never annotated with a deduction its reservation does not record.
  private void flush(NamespaceState state, Instant now, boolean accrue) {
    state.pendingReservations.addAll(state.matcher.drainChangedReservations());
    state.pendingPods.addAll(state.matcher.drainChangedPods());
    for (String name : List.copyOf(state.pendingReservations)) {
      CapacityReservation known = state.reservations.get(name);
      if (known != null) {
        ReservationShapes.Resolution resolution = shapes.resolve(known.getSpec());
        writer
            .write(known, r -> composer.compose(r, resolution, state.matcher, now), accrue)
            .ifPresent(state::remember);
      }
      state.pendingReservations.remove(name);
    }
    for (String uid : List.copyOf(state.pendingPods)) {
      Pod pod = state.pods.get(uid);
      if (pod != null) {
        Pod stored = annotator.apply(pod, state.matcher.billingOf(uid));
        if (stored != null) {
          state.pods.put(uid, stored);
        }
      }
      state.pendingPods.remove(uid);
    }
  }

  private boolean accrualDue(CapacityReservation r, Instant now) {
    if (r.getStatus() == null
        || r.getStatus().getAccrued() == null
        || r.getStatus().getAccrued().getAccruedUntil() == null) {
      return true;
    }
    Instant last = Instant.parse(r.getStatus().getAccrued().getAccruedUntil());
    return !now.isBefore(last.plus(accrualInterval));
  }

  private Duration nextLook(CapacityReservation r, Instant now) {
    Duration next = accrualInterval;
    Instant releaseAt = ReservationShapes.releaseAt(r);
    if (releaseAt != null && now.isBefore(releaseAt)) {
      Duration untilRelease = Duration.between(now, releaseAt);
      next = untilRelease.compareTo(next) < 0 ? untilRelease : next;
    }
    // wake at the lock-in's end to record it: the admission policy waits for status.lockInEnded
    Duration current = next;
    return LockIn.remaining(r, now).filter(d -> d.compareTo(current) < 0).orElse(next);
  }

  private NamespaceState state(String namespace, Instant now) {
    NamespaceState state = namespaces.computeIfAbsent(namespace, ns -> new NamespaceState());
    synchronized (state) {
      if (state.matcher == null) {
        load(namespace, state, now);
      }
    }
    return state;
  }

  // Rebuilds the namespace from the ledgers and the live pods: the restart path.
  private void load(String namespace, NamespaceState state, Instant now) {
    NamespaceMatcher matcher = new NamespaceMatcher();
    List<ReservationDef> defs = new ArrayList<>();
    List<Holding> ledger = new ArrayList<>();
    for (CapacityReservation r :
        client.resources(CapacityReservation.class).inNamespace(namespace).list().getItems()) {
      state.remember(r);
      defs.add(shapes.toDef(r, shapes.resolve(r.getSpec()), now));
      ledger.addAll(ledgerOf(r));
    }
    List<PodDef> pods = new ArrayList<>();
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      if (gpuPods.isGpuPod(pod) && !GpuPods.isResidentPoolPod(pod)) {
        gpuPods
            .toPodDef(pod)
            .filter(d -> d.lifecycle() != PodDef.Lifecycle.ENDED)
            .ifPresent(
                d -> {
                  pods.add(d);
                  state.pods.put(d.uid(), pod);
                });
      }
    }
    matcher.restore(defs, ledger, pods, now);
    state.matcher = matcher;
    LOG.info(
        "namespace {} loaded: {} reservations, {} ledger lines, {} GPU pods",
        namespace,
        defs.size(),
        ledger.size(),
        pods.size());
  }

  private static Collection<Holding> ledgerOf(CapacityReservation r) {
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
