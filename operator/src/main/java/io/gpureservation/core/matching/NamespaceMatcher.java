package io.gpureservation.core.matching;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The CapacityReservation rules for the pods and reservations of one namespace: eligibility,
 * smallest-spec-first then FIFO slot choice, multi-card atomicity, real-time dynamic matching,
 * stable deductions, restoration and scale-down. Not thread-safe: the caller serialises calls per
 * namespace. Every call is idempotent, so redelivered events change nothing.
 *
 * <p>Invariant after every call: no admissible idle slot coexists with a started pay-as-you-go pod
 * it admits.
 */
public final class NamespaceMatcher {
  private final Map<String, ReservationSlots> reservations = new HashMap<>();
  private final Map<String, PodEntry> pods = new HashMap<>();
  private final FreeSlotIndex freeSlots = new FreeSlotIndex();
  private final WaitingPodIndex waitingPods = new WaitingPodIndex();
  private final Set<String> changedReservations = new LinkedHashSet<>();
  private final Set<String> changedPods = new LinkedHashSet<>();
  private final Map<String, SlotRef> promises = new HashMap<>();
  private final Loans loans = new Loans();

  /** One slot of one reservation. */
  public record SlotRef(String reservation, int slot) {}

  private static final class PodEntry {
    PodDef def;
    PodBilling billing = PodBilling.NOT_STARTED;
    boolean waiting;

    PodEntry(PodDef def) {
      this.def = def;
    }
  }

  /**
   * Rebuilds state after a restart: ledgers first (deductions are stable), then pods oldest first.
   * Ledger lines whose pod is gone, ended, unknown, already placed, or no longer fits its slot
   * (docs/capacity-reservation.md, "Holders that no longer fit") are restored to idle slots.
   */
  public void restore(
      Collection<ReservationDef> defs,
      Collection<Holding> ledger,
      Collection<PodDef> livePods,
      Instant now) {
    restore(defs, ledger, livePods, Map.of(), now);
  }

  /**
   * As {@link #restore(Collection, Collection, Collection, Instant)}, where {@code releaseReasons}
   * names why each inactive reservation offers no slots: a holder of its ledger is released with
   * that reason, as the running matcher would have released it (docs/time-windows.md, "Restart").
   */
  public void restore(
      Collection<ReservationDef> defs,
      Collection<Holding> ledger,
      Collection<PodDef> livePods,
      Map<String, String> releaseReasons,
      Instant now) {
    restore(defs, ledger, List.of(), livePods, releaseReasons, now);
  }

  /**
   * As {@link #restore(Collection, Collection, Collection, Map, Instant)}, with the loans the
   * reservations' statuses record (docs/lending.md, "Restart"), whose borrowers the caller found
   * still alive. A loan keeps its slot when the slot is live and idle after the ledger lines are
   * back, before any pay-as-you-go pod is matched — the borrower runs on that capacity. Any other
   * loan is recalled ({@link #drainRecalledLoans()}): its borrower is to be evicted. A loan's
   * reclaim mark survives only while its owner's pod is still pending.
   */
  public void restore(
      Collection<ReservationDef> defs,
      Collection<Holding> ledger,
      Collection<Loan> lent,
      Collection<PodDef> livePods,
      Map<String, String> releaseReasons,
      Instant now) {
    Map<String, PodDef> byUid = new HashMap<>();
    livePods.forEach(p -> byUid.put(p.uid(), p));
    for (ReservationDef def : defs) {
      reservations.put(def.name(), new ReservationSlots(def));
    }
    List<PodEntry> released = new ArrayList<>();
    for (Holding h : ledger) {
      ReservationSlots r = reservations.get(h.reservation());
      PodDef pod = byUid.get(h.podUid());
      boolean valid =
          r != null
              && r.def.active()
              && pod != null
              && pod.lifecycle() == PodDef.Lifecycle.STARTED
              && !pods.containsKey(pod.uid())
              && !r.held.containsKey(h.slot())
              && r.def.holds(pod);
      if (!valid) {
        changedReservations.add(h.reservation());
        releasedByInactive(r, h, pod, releaseReasons, now).ifPresent(released::add);
        continue;
      }
      r.held.put(h.slot(), h);
      PodEntry entry = new PodEntry(pod);
      entry.billing = new PodBilling.Reserved(r.name(), h.slot(), h.since());
      pods.put(pod.uid(), entry);
    }
    for (ReservationSlots r : reservations.values()) {
      resize(r, r.def.active() ? r.def.quantity() : 0, now);
      freeSlots.refresh(r);
    }
    lent.forEach(loan -> restoreLoan(loan, byUid));
    reservations.values().forEach(r -> fillIdleSlots(r, now));
    released.sort(Comparator.comparing(e -> e.def, WaitingPodIndex.OLDEST_FIRST));
    released.forEach(e -> place(e, Reasons.carriedBy(e.billing), now));
    livePods.stream()
        .filter(p -> !pods.containsKey(p.uid()))
        .sorted(WaitingPodIndex.OLDEST_FIRST)
        .forEach(p -> upsertPod(p, now));
  }

  private void restoreLoan(Loan loan, Map<String, PodDef> livePods) {
    ReservationSlots r = reservations.get(loan.reservation());
    if (r == null
        || !r.idle.contains(loan.slot())
        || loans.of(loan.borrowerUid(), reservations).isPresent()) {
      loans.recallUnrecorded(loan);
      return;
    }
    PodDef owner = loan.reclaimedFor() == null ? null : livePods.get(loan.reclaimedFor());
    boolean reclaiming = owner != null && owner.lifecycle() == PodDef.Lifecycle.PENDING;
    r.idle.remove(loan.slot());
    loans.put(r, reclaiming ? loan : loan.reclaimingFor(null));
    freeSlots.refresh(r);
  }

  // A holder of a reservation that is no longer active keeps the release as its reason.
  private Optional<PodEntry> releasedByInactive(
      ReservationSlots r, Holding h, PodDef pod, Map<String, String> reasons, Instant now) {
    String reason = reasons.get(h.reservation());
    if (r == null
        || r.def.active()
        || reason == null
        || pod == null
        || pod.lifecycle() != PodDef.Lifecycle.STARTED
        || pods.containsKey(pod.uid())) {
      return Optional.empty();
    }
    PodEntry entry = new PodEntry(pod);
    entry.billing = new PodBilling.PayAsYouGo(reason, now);
    pods.put(pod.uid(), entry);
    changedPods.add(pod.uid());
    return Optional.of(entry);
  }

  /** A reservation appeared or changed (quantity, selector, zone, activity). */
  public void upsertReservation(ReservationDef def, Instant now) {
    upsertReservation(def, Reasons.RESERVATION_EXPIRED, now);
  }

  /**
   * A reservation appeared or changed; when it turns inactive, its holders are released with {@code
   * releaseReason} ({@code ReservationExpired}, {@code ReservationWindowClosed}).
   */
  public void upsertReservation(ReservationDef def, String releaseReason, Instant now) {
    ReservationSlots r = reservations.get(def.name());
    if (r != null && !r.def.shape().equals(def.shape())) {
      releaseAll(r, Reasons.RESERVATION_DELETED, now);
      reservations.remove(def.name());
      r = null;
    }
    if (r == null) {
      r = new ReservationSlots(def);
      reservations.put(def.name(), r);
      changedReservations.add(def.name());
    }
    freeSlots.remove(r);
    boolean wasActive = r.def.active();
    r.def = def;
    if (wasActive && !def.active()) {
      releaseAll(r, releaseReason, now);
      return;
    }
    resize(r, def.active() ? def.quantity() : 0, now);
    freeSlots.refresh(r);
    fillIdleSlots(r, now);
  }

  /** The reservation is gone: its pods return to pay-as-you-go or take other free slots. */
  public void removeReservation(String name, String reason, Instant now) {
    ReservationSlots r = reservations.get(name);
    if (r == null) {
      return;
    }
    releaseAll(r, reason, now);
    reservations.remove(name);
  }

  /** A GPU pod appeared or changed. */
  public void upsertPod(PodDef def, Instant now) {
    if (def.lifecycle() == PodDef.Lifecycle.ENDED) {
      removePod(def.uid(), now);
      return;
    }
    PodEntry entry = pods.computeIfAbsent(def.uid(), uid -> new PodEntry(def));
    if (entry.waiting) {
      waitingPods.remove(entry.def);
      entry.waiting = false;
    }
    entry.def = def;
    if (entry.billing instanceof PodBilling.Reserved held) {
      ReservationSlots r = reservations.get(held.reservation());
      if (r.def.holds(def)) {
        return; // deductions are stable
      }
      // Resized beyond its slot: the same check a restart applies to ledger lines.
      restoreSlot(r, held.slot());
      replace(new ArrayList<>(List.of(entry)), Reasons.POD_EXCEEDS_SLOT, now);
      fillIdleSlots(r, now);
      return;
    }
    if (def.lifecycle() != PodDef.Lifecycle.STARTED) {
      return; // pending pods hold nothing
    }
    if (takePromisedSlot(entry, now)) {
      return;
    }
    place(entry, Reasons.carriedBy(entry.billing), now);
  }

  /** A GPU pod was deleted or ended: its slot, if any, is restored and offered to waiting pods. */
  public void removePod(String uid, Instant now) {
    releasePromise(uid, now);
    loans.forgetReclaimer(uid, reservations);
    PodEntry entry = pods.remove(uid);
    if (entry == null) {
      return;
    }
    if (entry.waiting) {
      waitingPods.remove(entry.def);
    }
    if (entry.billing instanceof PodBilling.Reserved held) {
      ReservationSlots r = reservations.get(held.reservation());
      restoreSlot(r, held.slot());
      fillIdleSlots(r, now);
    }
  }

  private void restoreSlot(ReservationSlots r, int slot) {
    r.held.remove(slot);
    r.idle.add(slot);
    changedReservations.add(r.name());
    freeSlots.refresh(r);
  }

  /** The name of a pod the matcher knows, or null. */
  public String podName(String podUid) {
    PodEntry entry = pods.get(podUid);
    return entry == null ? null : entry.def.name();
  }

  public PodBilling billingOf(String podUid) {
    PodEntry entry = pods.get(podUid);
    return entry == null ? PodBilling.NOT_STARTED : entry.billing;
  }

  /** The billing of every pod the matcher tracks. */
  public List<PodBilling> billings() {
    return pods.values().stream().map(e -> e.billing).toList();
  }

  /** The reservation's held slots, by slot index. */
  public List<Holding> ledger(String reservation) {
    ReservationSlots r = reservations.get(reservation);
    return r == null ? List.of() : List.copyOf(r.held.values());
  }

  public int idleSlots(String reservation) {
    ReservationSlots r = reservations.get(reservation);
    return r == null ? 0 : r.idle.size() + r.promised.size() + Loans.count(r, false);
  }

  /** The reservation's slots lent to a borrower that runs on them (docs/lending.md). */
  public int lentSlots(String reservation) {
    ReservationSlots r = reservations.get(reservation);
    return r == null ? 0 : Loans.count(r, true);
  }

  /** The reservation's idle slots that no hand-over has promised, by index. */
  public Set<Integer> idleSlotIndices(String reservation) {
    ReservationSlots r = reservations.get(reservation);
    return r == null ? Set.of() : Set.copyOf(r.idle);
  }

  /** The reservation's idle slots promised to a pod in a hand-over, by index. */
  public Set<Integer> promisedSlots(String reservation) {
    ReservationSlots r = reservations.get(reservation);
    return r == null ? Set.of() : Set.copyOf(r.promised.keySet());
  }

  /**
   * Hand-over (docs/capacity-holding.md "Hand-over"): promises a pending pod a held idle slot (its
   * placeholder is bound, says {@code held}) of the reservation the matching order gives it — the
   * one it would deduct when it starts, so smallest spec first and FIFO hold as without holding.
   * The slot is then neither offered to other pods nor given a placeholder; the pod takes it when
   * it starts. Empty when none of that reservation's idle slots is held: the pod goes its way and
   * is matched as usual when it starts.
   */
  public Optional<SlotRef> promise(PodDef pod, BiPredicate<String, Integer> held) {
    SlotRef existing = promises.get(pod.uid());
    if (existing != null) {
      return Optional.of(existing);
    }
    if (pod.bestEffort() || pod.size() == null || pod.lifecycle() != PodDef.Lifecycle.PENDING) {
      return Optional.empty();
    }
    ReservationSlots r = freeSlots.firstFor(pod);
    if (r == null) {
      return Optional.empty();
    }
    for (int slot : r.idle) {
      if (held.test(r.name(), slot)) {
        promiseSlot(r, slot, pod.uid());
        return Optional.of(promises.get(pod.uid()));
      }
    }
    return Optional.empty();
  }

  /**
   * After a restart, a pending pod's recorded hand-over: it keeps its slot when the slot is still
   * idle and the reservation still admits the pod. Returns whether it did.
   */
  public boolean restorePromise(PodDef pod, SlotRef ref) {
    ReservationSlots r = reservations.get(ref.reservation());
    if (promises.containsKey(pod.uid())
        || r == null
        || !r.def.admits(pod)
        || !r.idle.contains(ref.slot())) {
      return false;
    }
    promiseSlot(r, ref.slot(), pod.uid());
    return true;
  }

  /** The uid of the pod a slot is promised to, if any. */
  public Optional<String> promisedPod(String reservation, int slot) {
    ReservationSlots r = reservations.get(reservation);
    return r == null ? Optional.empty() : Optional.ofNullable(r.promised.get(slot));
  }

  /** The slot promised to a pod, if any. */
  public Optional<SlotRef> promiseOf(String podUid) {
    return Optional.ofNullable(promises.get(podUid));
  }

  /**
   * Gives a promised slot back (the pod did not start in time, or is gone): it is idle again,
   * offered to waiting pods first.
   */
  public void releasePromise(String podUid, Instant now) {
    SlotRef ref = promises.remove(podUid);
    ReservationSlots r = ref == null ? null : reservations.get(ref.reservation());
    if (r == null || r.promised.remove(ref.slot()) == null) {
      return;
    }
    r.idle.add(ref.slot());
    changedReservations.add(r.name());
    freeSlots.refresh(r);
    fillIdleSlots(r, now);
  }

  private void promiseSlot(ReservationSlots r, int slot, String podUid) {
    r.idle.remove(slot);
    r.promised.put(slot, podUid);
    promises.put(podUid, new SlotRef(r.name(), slot));
    changedReservations.add(r.name());
    freeSlots.refresh(r);
  }

  // A started pod with a promise takes exactly the promised slot.
  private boolean takePromisedSlot(PodEntry entry, Instant now) {
    SlotRef ref = promises.remove(entry.def.uid());
    ReservationSlots r = ref == null ? null : reservations.get(ref.reservation());
    if (r == null || r.promised.remove(ref.slot()) == null) {
      return false;
    }
    if (!r.def.admits(entry.def)) {
      r.idle.add(ref.slot());
      freeSlots.refresh(r);
      changedReservations.add(r.name());
      return false;
    }
    r.held.put(
        ref.slot(), new Holding(r.name(), ref.slot(), entry.def.uid(), entry.def.name(), now));
    setBilling(entry, new PodBilling.Reserved(r.name(), ref.slot(), now));
    changedReservations.add(r.name());
    return true;
  }

  /**
   * Lends a borrower of another namespace an idle held slot of {@code reservation}
   * (docs/lending.md, "Who gets a slot"): only a slot that is idle, held ({@code held}) and not
   * promised, and only while more such slots are left than the owner has pods waiting that the
   * reservation admits — a borrower never takes a slot an owner's pod waits for and never displaces
   * another borrower. Whether the borrower may borrow at all (its label, its namespace, the
   * reservation's {@code spec.lending}) is {@link io.gpureservation.core.lending.LendingTerms}'s to
   * say. Idempotent: a borrower that has a loan gets it back.
   */
  public Optional<Loan> lend(
      String reservation,
      String borrowerNamespace,
      PodDef borrower,
      BiPredicate<String, Integer> held,
      Instant now) {
    Optional<Loan> existing = loans.of(borrower.uid(), reservations);
    if (existing.isPresent()) {
      return existing;
    }
    ReservationSlots r = reservations.get(reservation);
    if (r == null
        || !r.def.active()
        || borrower.bestEffort()
        || borrower.size() == null
        || borrower.lifecycle() != PodDef.Lifecycle.PENDING
        || !r.def.shape().fits(borrower.size())) {
      return Optional.empty();
    }
    List<Integer> lendable = r.idle.stream().filter(slot -> held.test(r.name(), slot)).toList();
    if (lendable.size() <= ownerPodsWaitingFor(r)) {
      return Optional.empty();
    }
    int slot = lendable.get(lendable.size() - 1);
    r.idle.remove(slot);
    Loan loan =
        new Loan(
            r.name(), slot, borrower.uid(), borrowerNamespace, borrower.name(), now, false, null);
    loans.put(r, loan);
    changedReservations.add(r.name());
    freeSlots.refresh(r);
    return Optional.of(loan);
  }

  // Pods of the namespace the reservation admits that wait for a slot: pending ones without a
  // promise, and started pay-as-you-go ones.
  private long ownerPodsWaitingFor(ReservationSlots r) {
    return pods.values().stream()
        .filter(e -> e.def.lifecycle() == PodDef.Lifecycle.PENDING || e.waiting)
        .filter(e -> !promises.containsKey(e.def.uid()) && !loans.isReclaimer(e.def.uid()))
        .filter(e -> !e.def.bestEffort() && r.def.admits(e.def))
        .count();
  }

  /** The borrower started on its slot: from now on the slot is lent, billed to the borrower. */
  public void borrowerStarted(String borrowerUid, Instant now) {
    loans
        .of(borrowerUid, reservations)
        .filter(l -> !l.started())
        .ifPresent(
            l -> {
              loans.put(reservations.get(l.reservation()), l.startedAt(now));
              changedReservations.add(l.reservation());
            });
  }

  /**
   * The borrower is gone or ended: its slot goes to the owner's pod it was taken back for (a
   * promise, as in a hand-over), or else is idle again and offered to waiting pods first.
   */
  public void endLoan(String borrowerUid, Instant now) {
    Optional<Loan> ended = loans.of(borrowerUid, reservations);
    if (ended.isEmpty()) {
      return;
    }
    Loan loan = ended.get();
    ReservationSlots r = reservations.get(loan.reservation());
    loans.remove(r, loan);
    changedReservations.add(r.name());
    PodEntry owner = loan.reclaimedFor() == null ? null : pods.get(loan.reclaimedFor());
    if (owner != null
        && owner.def.lifecycle() == PodDef.Lifecycle.PENDING
        && !promises.containsKey(owner.def.uid())) {
      promiseSlot(r, loan.slot(), owner.def.uid());
      return;
    }
    r.idle.add(loan.slot());
    freeSlots.refresh(r);
    fillIdleSlots(r, now);
  }

  /**
   * Takes a lent slot back for an owner's pending pod that no idle slot is left for
   * (docs/lending.md, "Reclaim"): among the reservations that admit the pod, in matching order, the
   * first that has a loan not already being taken back gives up its most recent loan. Returns that
   * loan — its borrower is to be evicted — or empty (the pod has a promise, an idle slot admits it,
   * or nothing is lent). When the borrower is gone the slot is promised to the pod. Idempotent: a
   * pod already reclaiming gets its loan back.
   */
  public Optional<Loan> reclaimFor(PodDef pod) {
    Optional<Loan> existing = loans.reclaimedBy(pod.uid(), reservations);
    if (existing.isPresent()) {
      return existing;
    }
    if (pod.bestEffort()
        || pod.size() == null
        || pod.lifecycle() != PodDef.Lifecycle.PENDING
        || promises.containsKey(pod.uid())
        || freeSlots.firstFor(pod) != null) {
      return Optional.empty();
    }
    return reservations.values().stream()
        .filter(r -> r.def.admits(pod) && r.newestLoan(false) != null)
        .min(
            Comparator.comparing((ReservationSlots r) -> r.def.shape().size())
                .thenComparing(ReservationSlots.FIFO))
        .map(
            r -> {
              Loan loan = r.newestLoan(false).reclaimingFor(pod.uid());
              loans.put(r, loan);
              changedReservations.add(r.name());
              return loan;
            });
  }

  /** The reservation's loans, by slot. */
  public List<Loan> loans(String reservation) {
    ReservationSlots r = reservations.get(reservation);
    return r == null ? List.of() : List.copyOf(r.lent.values());
  }

  /** The loan a borrower has, if any. */
  public Optional<Loan> loanOf(String borrowerUid) {
    return loans.of(borrowerUid, reservations);
  }

  /**
   * Loans ended because their reservation shrank, expired or went away since the last call: their
   * borrowers are to be evicted (docs/lending.md, "Reclaim").
   */
  public List<Loan> drainRecalledLoans() {
    return loans.drainRecalled();
  }

  /**
   * Each slot of the reservation with the state it is billed in (docs/lending.md, "Money"). Throws
   * when a slot is in two states or a live reservation's slots are not exactly {@code 0 ..
   * quantity-1}: the "billed exactly once" invariant.
   */
  public Map<Integer, SlotState> slotStates(String reservation) {
    ReservationSlots r = reservations.get(reservation);
    if (r == null) {
      return Map.of();
    }
    Map<Integer, SlotState> states = new HashMap<>();
    r.idle.forEach(slot -> putOnce(states, r, slot, SlotState.IDLE));
    r.promised.keySet().forEach(slot -> putOnce(states, r, slot, SlotState.PROMISED));
    r.held.keySet().forEach(slot -> putOnce(states, r, slot, SlotState.ACTIVE));
    r.lent.forEach(
        (slot, l) -> putOnce(states, r, slot, l.started() ? SlotState.LENT : SlotState.PROMISED));
    int live = r.def.active() ? r.def.quantity() : 0;
    if (states.size() != live) {
      throw new IllegalStateException(
          r.name() + " has " + states.size() + " slots in a state, " + live + " live");
    }
    return states;
  }

  private static void putOnce(
      Map<Integer, SlotState> states, ReservationSlots r, int slot, SlotState state) {
    SlotState before = states.put(slot, state);
    if (before != null) {
      throw new IllegalStateException(
          r.name() + " slot " + slot + " is both " + before + " and " + state);
    }
  }

  /** Names of reservations whose ledger changed since the last call. */
  public Set<String> drainChangedReservations() {
    Set<String> result = new LinkedHashSet<>(changedReservations);
    changedReservations.clear();
    return result;
  }

  /** UIDs of pods whose billing changed since the last call. */
  public Set<String> drainChangedPods() {
    Set<String> result = new LinkedHashSet<>(changedPods);
    changedPods.clear();
    return result;
  }

  // Takes the first fitting free slot, or leaves the pod pay-as-you-go for the given reason.
  private void place(PodEntry entry, String payAsYouGoReason, Instant now) {
    PodDef pod = entry.def;
    if (pod.bestEffort()) {
      setBilling(entry, payAsYouGo(entry, Reasons.BEST_EFFORT, now));
      return;
    }
    if (pod.size() == null) {
      String reason = pod.noSizeReason() == null ? Reasons.NO_CARD_TYPE : pod.noSizeReason();
      setBilling(entry, payAsYouGo(entry, reason, now));
      return;
    }
    ReservationSlots r = freeSlots.firstFor(pod);
    if (r != null) {
      assign(entry, r, now);
      return;
    }
    String reason =
        pod.ignoredCardType() != null && !Reasons.isRelease(payAsYouGoReason)
            ? Reasons.DECLARED_CARD_TYPE_IGNORED
            : payAsYouGoReason;
    setBilling(entry, payAsYouGo(entry, reason, now));
    waitingPods.add(pod);
    entry.waiting = true;
  }

  // Pay-as-you-go since the pod started (a restart does not move it), or since it was released.
  // A pod that is pay-as-you-go from its start takes the bind time its pod records, also when
  // that time shows up after the pod was first seen bound, as a restart would read it; a release
  // keeps its own time.
  private static PodBilling payAsYouGo(PodEntry entry, String reason, Instant now) {
    Instant started = entry.def.startedAt();
    Instant bound = started != null && !started.isAfter(now) ? started : null;
    if (entry.billing instanceof PodBilling.PayAsYouGo p) {
      boolean keep = Reasons.isRelease(p.reason()) || bound == null;
      return new PodBilling.PayAsYouGo(reason, keep ? p.since() : bound);
    }
    return new PodBilling.PayAsYouGo(reason, bound != null ? bound : now);
  }

  private void assign(PodEntry entry, ReservationSlots r, Instant now) {
    int slot = r.idle.pollFirst();
    r.held.put(slot, new Holding(r.name(), slot, entry.def.uid(), entry.def.name(), now));
    if (entry.waiting) {
      waitingPods.remove(entry.def);
      entry.waiting = false;
    }
    setBilling(entry, new PodBilling.Reserved(r.name(), slot, now));
    changedReservations.add(r.name());
    freeSlots.refresh(r);
  }

  private void fillIdleSlots(ReservationSlots r, Instant now) {
    while (!r.idle.isEmpty()) {
      PodDef oldest = waitingPods.oldestFor(r.def);
      if (oldest == null) {
        return;
      }
      assign(pods.get(oldest.uid()), r, now);
    }
  }

  // Grows with idle slots, or shrinks: idle slots first, then the newest deductions.
  private void resize(ReservationSlots r, int target, Instant now) {
    if (r.slotCount() < target) {
      r.addIdleSlots(target - r.slotCount());
      changedReservations.add(r.name());
      return;
    }
    while (r.slotCount() > target && !r.idle.isEmpty()) {
      r.idle.pollLast();
      changedReservations.add(r.name());
    }
    while (r.slotCount() > target && !r.promised.isEmpty()) {
      promises.remove(r.promised.pollLastEntry().getValue());
      changedReservations.add(r.name());
    }
    while (r.slotCount() > target && !r.lent.isEmpty()) {
      loans.recall(r, r.newestLoan(true));
      changedReservations.add(r.name());
    }
    List<PodEntry> released = new ArrayList<>();
    while (r.slotCount() > target) {
      Holding newest = r.newestHolding();
      r.held.remove(newest.slot());
      released.add(pods.get(newest.podUid()));
      changedReservations.add(r.name());
    }
    replace(released, Reasons.RESERVATION_SCALED_DOWN, now);
  }

  private void releaseAll(ReservationSlots r, String reason, Instant now) {
    freeSlots.remove(r);
    List<PodEntry> released = new ArrayList<>();
    r.held.values().forEach(h -> released.add(pods.get(h.podUid())));
    if (!r.held.isEmpty() || !r.idle.isEmpty() || !r.promised.isEmpty() || !r.lent.isEmpty()) {
      changedReservations.add(r.name());
    }
    r.promised.values().forEach(promises::remove);
    List.copyOf(r.lent.values()).forEach(l -> loans.recall(r, l));
    r.held.clear();
    r.idle.clear();
    r.promised.clear();
    replace(released, reason, now);
  }

  // Released pods, oldest first, take other free slots or become pay-as-you-go.
  private void replace(List<PodEntry> released, String reason, Instant now) {
    released.sort(Comparator.comparing(e -> e.def, WaitingPodIndex.OLDEST_FIRST));
    for (PodEntry entry : released) {
      entry.billing = new PodBilling.PayAsYouGo(reason, now);
      changedPods.add(entry.def.uid());
      place(entry, reason, now);
    }
  }

  private void setBilling(PodEntry entry, PodBilling billing) {
    if (!billing.equals(entry.billing)) {
      entry.billing = billing;
      changedPods.add(entry.def.uid());
    }
  }
}
