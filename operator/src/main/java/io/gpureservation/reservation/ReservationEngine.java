package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.SlotHolding;
import io.gpureservation.api.v1alpha1.SlotLoan;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.PlaceholderPods;
import io.gpureservation.core.matching.Holding;
import io.gpureservation.core.matching.Loan;
import io.gpureservation.core.matching.NamespaceMatcher;
import io.gpureservation.core.matching.PodBilling;
import io.gpureservation.core.matching.PodDef;
import io.gpureservation.core.matching.Reasons;
import io.gpureservation.core.matching.ReservationDef;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
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
  private final Map<String, PlaceholderTracker> trackers = new ConcurrentHashMap<>();
  // Borrowers (docs/lending.md): a borrower's uid -> the namespace of the reservation lending it a
  // slot. Its events go to that namespace's matcher, not its own.
  private final Map<String, String> borrowers = new ConcurrentHashMap<>();
  // A borrower's uid -> when its eviction was sent by a reclaim (deleted after the grace period).
  private final Map<String, Instant> evictions = new ConcurrentHashMap<>();
  // Borrowers whose loan was recalled (the reservation shrank, expired or went away, or a restart
  // could not keep it): their uid -> the recall, until they are gone (docs/lending.md, "Recall").
  private final Map<String, Recall> recalls = new ConcurrentHashMap<>();
  private volatile ClusterCaches caches;
  private volatile Consumer<ResourceID> reservationTrigger = id -> {};
  private volatile Consumer<ResourceID> podTrigger = id -> {};

  /**
   * A loan the lender recalled: its borrower is to be evicted. {@code reservation} is the lender's
   * reservation as the cache held it when the loan was recalled (its grace period and the object of
   * its Event), or null when the cache no longer had it.
   */
  record Recall(String lender, Loan loan, CapacityReservation reservation) {}

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
    loadLenderOf(pod);
    if (borrowerChanged(pod, def.get(), now)) {
      return;
    }
    String namespace = pod.getMetadata().getNamespace();
    change(
        namespace,
        m -> {
          if (def.get().lifecycle() != PodDef.Lifecycle.PENDING) {
            tracker(namespace).handOverDone(def.get().uid());
          }
          if (def.get().lifecycle() == PodDef.Lifecycle.ENDED) {
            rememberNode(m, namespace, pod);
          }
          m.upsertPod(def.get(), now);
        });
  }

  /**
   * After a restart a borrower's loan comes back with its lender's namespace, from the loan line
   * stored there (docs/lending.md, "Restart"): that namespace is loaded before the borrower's event
   * is taken for one of its own namespace's pods, and a borrower its own namespace matched
   * meanwhile leaves that matcher.
   */
  private void loadLenderOf(Pod pod) {
    String uid = pod.getMetadata().getUid();
    String namespace = pod.getMetadata().getNamespace();
    String lender = recordedLender(pod);
    if (borrowers.containsKey(uid) || lender == null || lender.equals(namespace)) {
      return;
    }
    matcher(lender);
    if (borrowers.containsKey(uid) && namespaces.containsKey(namespace)) {
      Instant now = clock.instant();
      change(
          namespace,
          m -> {
            if (m.podName(uid) != null) {
              m.removePod(uid, now);
            }
          });
    }
  }

  // The lender's namespace in the pod's loan record (gpureservation.io/lender), or null.
  private static String recordedLender(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String record = annotations == null ? null : annotations.get(GpuReservation.LENDER_ANNOTATION);
    int slash = record == null ? -1 : record.indexOf('/');
    return slash <= 0 ? null : record.substring(0, slash);
  }

  // Whether a stored status of the lender the pod names records a loan to it.
  private static boolean recordedBorrower(Pod pod, ClusterCaches c) {
    String lender = recordedLender(pod);
    if (lender == null || lender.equals(pod.getMetadata().getNamespace())) {
      return false;
    }
    String uid = pod.getMetadata().getUid();
    return c.reservations(lender).stream()
        .flatMap(r -> StoredLedgers.loans(r).stream())
        .anyMatch(l -> uid.equals(l.getPodUid()));
  }

  /**
   * A borrower's event goes to its lender's matcher (docs/lending.md, "Borrow"): started, the slot
   * is lent; ended, the loan ends. Returns false for a pod that borrows nothing (any more: a loan
   * recalled leaves the borrower to its own namespace, where it runs pay-as-you-go).
   */
  private boolean borrowerChanged(Pod pod, PodDef def, Instant now) {
    String uid = def.uid();
    String lender = borrowers.get(uid);
    if (lender == null) {
      return false;
    }
    if (def.lifecycle() == PodDef.Lifecycle.ENDED) {
      endLoan(lender, uid, pod.getSpec() == null ? null : pod.getSpec().getNodeName());
      return false;
    }
    boolean lent =
        change(
            lender,
            (m, tracker) -> {
              if (m.loanOf(uid).isEmpty()) {
                return false;
              }
              if (def.lifecycle() == PodDef.Lifecycle.STARTED) {
                tracker.handOverDone(uid);
                m.borrowerStarted(uid, now);
              }
              return true;
            });
    if (!lent) {
      borrowers.remove(uid);
    }
    return lent;
  }

  /**
   * The loan is over (the borrower is gone, ended, or did not start in time): its slot goes to the
   * owner's pod it was taken back for — pinned to the node the borrower left, or else the node the
   * slot's placeholder held it on — or is idle again (docs/lending.md, "Reclaim").
   */
  void endLoan(String lender, String borrowerUid, String borrowerNode) {
    Instant now = clock.instant();
    Optional<String> owner =
        change(
            lender,
            (m, tracker) -> {
              tracker.handOverDone(borrowerUid);
              Optional<Loan> loan = m.loanOf(borrowerUid);
              m.endLoan(borrowerUid, now);
              String ownerUid = loan.map(Loan::reclaimedFor).orElse(null);
              if (ownerUid == null || m.promiseOf(ownerUid).isEmpty()) {
                return Optional.<String>empty();
              }
              var placeholder = tracker.placeholder(loan.get().reservation(), loan.get().slot());
              String node =
                  borrowerNode != null
                      ? borrowerNode
                      : placeholder == null ? null : placeholder.node();
              if (node != null) {
                tracker.handOverNode(ownerUid, node);
              }
              return Optional.ofNullable(m.podName(ownerUid));
            });
    borrowers.remove(borrowerUid);
    evictions.remove(borrowerUid);
    owner.ifPresent(name -> triggerPod(lender, name));
  }

  /**
   * The scheduler has tried the borrower (nominated to its slot's node): the slot's placeholder may
   * go; the lender's reservation re-plans.
   */
  void borrowerSeen(String lender, String borrowerUid) {
    Optional<String> reservation =
        change(
            lender,
            (m, tracker) ->
                m.loanOf(borrowerUid)
                    .filter(l -> tracker.claimantSeen(borrowerUid))
                    .map(Loan::reservation));
    reservation.ifPresent(name -> triggerReservation(lender, name));
  }

  /** When a reclaim sent the borrower's eviction, or null. */
  Instant evictionSent(String borrowerUid) {
    return evictions.get(borrowerUid);
  }

  void evicted(String borrowerUid, Instant at) {
    evictions.put(borrowerUid, at);
  }

  /** The namespace of the reservation that lends this borrower a slot, or null. */
  String lenderOf(String borrowerUid) {
    return borrowers.get(borrowerUid);
  }

  /** The borrower's loan, if it has one. */
  Optional<Loan> loanOf(String borrowerUid) {
    String lender = borrowers.get(borrowerUid);
    return lender == null
        ? Optional.empty()
        : change(lender, (m, tracker) -> m.loanOf(borrowerUid));
  }

  /** The loan was made: the borrower's events go to its lender from now on. */
  void borrowed(String borrowerNamespace, String borrowerUid, String lender) {
    borrowers.put(borrowerUid, lender);
    Instant now = clock.instant();
    change(borrowerNamespace, m -> m.removePod(borrowerUid, now)); // pending: it held nothing
  }

  /** A GPU pod is gone, or is no longer the reservations' (it joined a ResidentPool). */
  void podGone(Pod pod) {
    gpuPods.dra().forget(pod.getMetadata().getUid());
    if (recalls.remove(pod.getMetadata().getUid()) != null) {
      evictions.remove(pod.getMetadata().getUid());
    }
    loadLenderOf(pod);
    String lender = borrowers.get(pod.getMetadata().getUid());
    if (lender != null) {
      endLoan(
          lender,
          pod.getMetadata().getUid(),
          pod.getSpec() == null ? null : pod.getSpec().getNodeName());
    }
    Instant now = clock.instant();
    String namespace = pod.getMetadata().getNamespace();
    change(
        namespace,
        m -> {
          tracker(namespace).handOverDone(pod.getMetadata().getUid());
          rememberNode(m, namespace, pod);
          m.removePod(pod.getMetadata().getUid(), now);
        });
  }

  // The node a reserved pod ran on: its slot's next placeholder is bound there (the capacity the
  // pod frees goes straight back to the reservation).
  private void rememberNode(NamespaceMatcher m, String namespace, Pod pod) {
    if (m.billingOf(pod.getMetadata().getUid()) instanceof PodBilling.Reserved held
        && pod.getSpec() != null) {
      tracker(namespace).slotLeft(held.reservation(), held.slot(), pod.getSpec().getNodeName());
    }
  }

  /** A reservation as the informer holds it now (created, changed, expired, being deleted). */
  void reservationChanged(CapacityReservation r, ReservationShapes.Resolution resolution) {
    Instant now = clock.instant();
    ReservationDef def = shapes.toDef(r, resolution, now);
    String releaseReason = ReservationShapes.releaseReason(r, resolution, now);
    change(r.getMetadata().getNamespace(), m -> m.upsertReservation(def, releaseReason, now));
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
      PlaceholderTracker tracker = tracker(namespace);
      Set<Integer> idle = matcher.idleSlotIndices(name);
      int promised = matcher.promisedSlots(name).size();
      // a loan whose borrower has not started is idle and held, as a promised slot is
      int lending = matcher.idleSlots(name) - idle.size() - promised;
      int held =
          (int) idle.stream().filter(s -> tracker.holds(name, s)).count() + promised + lending;
      return new SlotsView(
          matcher.ledger(name),
          matcher.idleSlots(name),
          held,
          matcher.lentSlots(name),
          tracker.refusal(name),
          matcher.loans(name));
    }
  }

  PodBilling billingOf(String namespace, String podUid) {
    NamespaceMatcher matcher = matcher(namespace);
    synchronized (matcher) {
      return matcher.billingOf(podUid);
    }
  }

  /**
   * The pod's billing when its namespace is already loaded (never loads one: the metrics endpoint
   * asks), else not started.
   */
  PodBilling knownBillingOf(String namespace, String podUid) {
    NamespaceMatcher matcher = namespaces.get(namespace);
    if (matcher == null) {
      return PodBilling.NOT_STARTED;
    }
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

  /**
   * Whether the namespace has a reservation that is live now (from the informer cache): not
   * expired, not before its startAt or between its windows (docs/time-windows.md) — only a live
   * reservation holds capacity a pod could be handed.
   */
  public boolean hasLiveReservations(String namespace) {
    return hasLiveReservations(namespace, r -> true);
  }

  /**
   * Whether the namespace has a live reservation whose placeholders claim through DRA
   * (docs/capacity-holding.md, "GPUs claimed through DRA"): only such a reservation can hand a pod
   * that claims through templates a device, so only then does the webhook gate one.
   */
  public boolean hasLiveDraReservations(String namespace) {
    return hasLiveReservations(
        namespace,
        r ->
            r.getSpec().getPlaceholders() != null
                && r.getSpec().getPlaceholders().getDeviceClassName() != null);
  }

  private boolean hasLiveReservations(
      String namespace, java.util.function.Predicate<CapacityReservation> which) {
    ClusterCaches c = caches;
    Instant now = clock.instant();
    return c != null
        && c.synced()
        && c.reservations(namespace).stream().anyMatch(r -> which.test(r) && isLive(r, now));
  }

  /** Whether the reservation is live now: not being deleted, not expired, in a live period. */
  boolean isLive(CapacityReservation r) {
    return isLive(r, clock.instant());
  }

  private boolean isLive(CapacityReservation r, Instant now) {
    return r.getMetadata().getDeletionTimestamp() == null
        && !ReservationShapes.isExpired(r, now)
        && shapes.resolve(r.getSpec()).liveAt(now);
  }

  /**
   * Whether an existing ResidentPool bills this pod, so that reservations leave it alone
   * (docs/resident-pool.md, "Pods outside every pool"); false while the caches are not synced.
   */
  boolean belongsToAPool(Pod pod) {
    ClusterCaches c = caches;
    return c != null && c.synced() && GpuPods.belongsToAPool(pod, c::pool);
  }

  /** The reservations as the informer holds them (for metrics). */
  public List<CapacityReservation> reservations() {
    ClusterCaches c = caches;
    return c == null || !c.synced() ? List.of() : c.allReservations();
  }

  // The lock covers the matcher only; the triggers only queue reconciles.
  private void change(String namespace, Consumer<NamespaceMatcher> change) {
    change(
        namespace,
        (matcher, tracker) -> {
          change.accept(matcher);
          return null;
        });
  }

  /**
   * Applies a change to the namespace's matcher and placeholder tracker under their lock, then
   * triggers the reconciles of the reservations and pods it changed (after the lock is released).
   */
  <T> T change(String namespace, BiFunction<NamespaceMatcher, PlaceholderTracker, T> change) {
    NamespaceMatcher matcher = matcher(namespace);
    Set<String> reservations;
    List<ResourceID> pods = new ArrayList<>();
    T result;
    List<Loan> recalled;
    synchronized (matcher) {
      result = change.apply(matcher, tracker(namespace));
      recalled = stillRecalled(matcher, matcher.drainRecalledLoans());
      reservations = matcher.drainChangedReservations();
      for (String uid : matcher.drainChangedPods()) {
        String name = matcher.podName(uid);
        if (name != null) {
          pods.add(new ResourceID(name, namespace));
        }
      }
    }
    recall(namespace, recalled);
    reservations.forEach(name -> reservationTrigger.accept(new ResourceID(name, namespace)));
    pods.forEach(podTrigger);
    return result;
  }

  // A recalled loan whose borrower still has a loan of this lender (a restart read two lines for
  // it and kept one) recalls nothing.
  private static List<Loan> stillRecalled(NamespaceMatcher matcher, List<Loan> recalled) {
    return recalled.stream().filter(l -> matcher.loanOf(l.borrowerUid()).isEmpty()).toList();
  }

  // Recalled loans (docs/lending.md, "Recall"): the borrower's events are its own namespace's
  // again, and its reconcile evicts it (Lending.evictRecalled). No lock is held here.
  private void recall(String lender, List<Loan> recalled) {
    for (Loan loan : recalled) {
      borrowers.remove(loan.borrowerUid(), lender);
      ClusterCaches c = caches;
      CapacityReservation reservation =
          c == null
              ? null
              : c.reservations(lender).stream()
                  .filter(r -> loan.reservation().equals(r.getMetadata().getName()))
                  .findFirst()
                  .orElse(null);
      recalls.put(loan.borrowerUid(), new Recall(lender, loan, reservation));
      LOG.info(
          "loan of {}/{} recalled from borrower {}/{}",
          lender,
          loan.reservation() + "/" + loan.slot(),
          loan.borrowerNamespace(),
          loan.borrowerName());
      triggerPod(loan.borrowerNamespace(), loan.borrowerName());
    }
  }

  /** The recall of this borrower's loan, while it is to be evicted; null otherwise. */
  Recall recallOf(String borrowerUid) {
    return recalls.get(borrowerUid);
  }

  /** Queues a reconcile of a reservation (no lock needed). */
  void triggerReservation(String namespace, String name) {
    reservationTrigger.accept(new ResourceID(name, namespace));
  }

  /** Queues a reconcile of a pod (no lock needed). */
  void triggerPod(String namespace, String name) {
    podTrigger.accept(new ResourceID(name, namespace));
  }

  PlaceholderTracker tracker(String namespace) {
    return trackers.computeIfAbsent(namespace, ns -> new PlaceholderTracker());
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
    Map<String, String> releaseReasons = new HashMap<>();
    for (CapacityReservation r : c.reservations(namespace)) {
      ReservationShapes.Resolution resolution = shapes.resolve(r.getSpec());
      ReservationDef def = shapes.toDef(r, resolution, now);
      defs.add(def);
      ledger.addAll(ledgerOf(r));
      if (!def.active() && r.getMetadata().getDeletionTimestamp() == null) {
        // holders of a reservation that expired or closed while the operator was away are
        // released as the running operator would have released them
        releaseReasons.put(def.name(), ReservationShapes.releaseReason(r, resolution, now));
      }
    }
    Map<String, CapacityReservation> byName = new HashMap<>();
    c.reservations(namespace).forEach(r -> byName.put(r.getMetadata().getName(), r));
    PlaceholderTracker tracker = tracker(namespace);
    List<PodDef> pods = new ArrayList<>();
    List<Pod> handedOver = new ArrayList<>();
    for (Pod pod : c.pods(namespace)) {
      if (!gpuPods.isGpuPod(pod)
          || GpuPods.belongsToAPool(pod, c::pool)
          || isPlaceholder(pod, byName, tracker)
          || recordedBorrower(pod, c)) {
        continue; // a recorded borrower is its lender's namespace's
      }
      gpuPods
          .toPodDef(pod)
          .filter(d -> d.lifecycle() != PodDef.Lifecycle.ENDED)
          .ifPresent(pods::add);
      if (HandOverRecord.of(pod).isPresent() && pod.getSpec().getNodeName() == null) {
        handedOver.add(pod);
      }
    }
    List<Loan> loans = new ArrayList<>();
    for (CapacityReservation r : c.reservations(namespace)) {
      loans.addAll(loansOf(r, c));
    }
    NamespaceMatcher matcher = new NamespaceMatcher();
    matcher.restore(defs, ledger, loans, pods, releaseReasons, now);
    for (Loan loan : loans) {
      if (matcher.loanOf(loan.borrowerUid()).isPresent()) {
        borrowers.put(loan.borrowerUid(), namespace);
      }
    }
    // Pods pinned by a hand-over before the restart keep their slots while they start.
    for (Pod pod : handedOver) {
      gpuPods
          .toPodDef(pod)
          .ifPresent(
              def -> HandOverRecord.of(pod).ifPresent(ref -> matcher.restorePromise(def, ref)));
    }
    LOG.info(
        "namespace {} loaded: {} reservations, {} ledger lines, {} loans, {} GPU pods",
        namespace,
        defs.size(),
        ledger.size(),
        loans.size(),
        pods.size());
    return matcher;
  }

  // A verified placeholder of one of the namespace's reservations is recorded, never matched.
  private boolean isPlaceholder(
      Pod pod, Map<String, CapacityReservation> reservations, PlaceholderTracker tracker) {
    if (!PlaceholderPods.looksOwnedByAHolder(pod)) {
      return false;
    }
    for (var owner : pod.getMetadata().getOwnerReferences()) {
      CapacityReservation r = reservations.get(owner.getName());
      Optional<Integer> slot = r == null ? Optional.empty() : PlaceholderPods.slotOf(pod, r);
      if (slot.isPresent()) {
        tracker.placeholder(owner.getName(), slot.get(), gpuPods.placeholders().stateOf(pod));
        return true;
      }
    }
    return false;
  }

  // The stored loans of a reservation whose borrowers are still there and not ended
  // (docs/lending.md, "Restart"); the matcher keeps those whose slot is still live and idle.
  private List<Loan> loansOf(CapacityReservation r, ClusterCaches c) {
    List<Loan> result = new ArrayList<>();
    for (SlotLoan l : StoredLedgers.loans(r)) {
      Instant since = parseOrNull(l.getSince());
      if (l.getSlot() == null
          || l.getPodUid() == null
          || l.getNamespace() == null
          || l.getPod() == null
          || since == null) {
        LOG.warn("dropping malformed loan line of {}: {}", r.getMetadata().getName(), l.getPod());
        continue;
      }
      boolean alive =
          c.pods(l.getNamespace()).stream()
              .filter(p -> l.getPodUid().equals(p.getMetadata().getUid()))
              .anyMatch(p -> GpuPods.lifecycle(p) != PodDef.Lifecycle.ENDED);
      if (alive) {
        result.add(
            new Loan(
                r.getMetadata().getName(),
                l.getSlot(),
                l.getPodUid(),
                l.getNamespace(),
                l.getPod(),
                since,
                Boolean.TRUE.equals(l.getStarted()),
                l.getReclaimedFor()));
      }
    }
    return result;
  }

  private static Instant parseOrNull(String instant) {
    try {
      return instant == null ? null : Instant.parse(instant);
    } catch (java.time.format.DateTimeParseException malformed) {
      return null;
    }
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
