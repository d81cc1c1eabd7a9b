package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.cluster.BorrowerEviction;
import io.gpureservation.cluster.EventRecorder;
import io.gpureservation.cluster.ObjectEvent;
import io.gpureservation.cluster.Pods;
import io.gpureservation.core.holding.PlaceholderState;
import io.gpureservation.core.lending.LendingTerms;
import io.gpureservation.core.matching.Loan;
import io.gpureservation.core.matching.PodDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator side of lending (docs/lending.md): which reservations of other namespaces lend to a
 * pod that asks to borrow (their {@code spec.lending} read as {@link LendingTerms}, against the
 * borrower's Namespace labels from the informer cache), the loan made under the lender namespace's
 * lock, and the reclaim of a loan for an owner's gated pod: the borrower is evicted with the
 * reservation's grace period and deleted if it is still there after it, with Events on the borrower
 * and on the reservation. The core decides every slot ({@code NamespaceMatcher.lend}, {@code
 * reclaimFor}); this class only reads caches and carries out the API calls, outside the lock.
 */
final class Lending {
  private static final Logger LOG = LoggerFactory.getLogger(Lending.class);

  /** Reason of the Event on a borrower evicted because its slot is taken back. */
  static final String RECLAIMED = "BorrowedSlotReclaimed";

  /** Reason of the Event on a borrower deleted because it outlived the grace period. */
  static final String DELETED = "BorrowerDeleted";

  /** Reason of the Event on the lending reservation when it takes a slot back. */
  static final String SLOT_RECLAIMED = "SlotReclaimed";

  /** Reason of the Event on a borrower evicted because its lender no longer has the slot. */
  static final String RECALLED = "BorrowedSlotRecalled";

  /** Reason of the Event on the lending reservation when a loan ends because the slot went. */
  static final String LOAN_RECALLED = "LoanRecalled";

  /** A loan made: the lender's namespace, the loan and the node its slot is held on. */
  record Lent(String lenderNamespace, Loan loan, String node) {
    /** The loan record on the borrower: {@code <namespace>/<reservation>/<slot>}. */
    String record() {
      return lenderNamespace + "/" + loan.reservation() + "/" + loan.slot();
    }
  }

  private final ReservationEngine engine;
  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;

  Lending(ReservationEngine engine, KubernetesClient client, EventRecorder events, Clock clock) {
    this.engine = engine;
    this.client = client;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Whether a new pod of {@code namespace} asks to borrow and some live reservation of another
   * namespace lends to it (the webhook gates it then, docs/lending.md "Borrow").
   */
  boolean lendsTo(String namespace, Pod pod) {
    return LendingTerms.asksToBorrow(labels(pod)) && !lenders(namespace, pod).isEmpty();
  }

  /**
   * A loan for a gated pod that asks to borrow: its existing one, or an idle held slot of the first
   * reservation that lends to it and has one (oldest reservation first). Empty when none does: the
   * pod then runs as any pod of its namespace.
   */
  Optional<Lent> lend(PodDef pod, Pod object) {
    String uid = pod.uid();
    String known = engine.lenderOf(uid);
    if (known != null) {
      return engine.change(
          known,
          (m, tracker) ->
              m.loanOf(uid).map(loan -> new Lent(known, loan, tracker.handOverNode(uid))));
    }
    String namespace = object.getMetadata().getNamespace();
    if (!LendingTerms.asksToBorrow(labels(object))) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    for (CapacityReservation r : lenders(namespace, object)) {
      String lender = r.getMetadata().getNamespace();
      String name = r.getMetadata().getName();
      Optional<Lent> lent =
          engine.change(
              lender,
              (m, tracker) ->
                  m.lend(name, namespace, pod, tracker::holds, now)
                      .flatMap(
                          loan -> {
                            PlaceholderState held = tracker.placeholder(name, loan.slot());
                            if (held == null || held.node() == null) {
                              m.endLoan(uid, now); // held says bound: not reached
                              return Optional.empty();
                            }
                            tracker.handOverNode(uid, held.node());
                            return Optional.of(new Lent(lender, loan, held.node()));
                          }));
      if (lent.isPresent()) {
        engine.borrowed(namespace, uid, lender);
        LOG.info("pod {}/{} borrows {}", namespace, object.getMetadata().getName(), lent.get());
        return lent;
      }
    }
    return Optional.empty();
  }

  /**
   * The reclaim step for an owner's gated pod that no idle slot is left for (docs/lending.md,
   * "Reclaim"): the newest loan of the reservation the matching order gives it is taken back — its
   * borrower evicted with the reservation's grace period, then deleted if it is still there after
   * it. Returns when to look at the pod again, or null when there is nothing to take back (the pod
   * goes its way).
   */
  Duration reclaim(PodDef owner, Pod object) {
    String namespace = object.getMetadata().getNamespace();
    Optional<Loan> taken = engine.change(namespace, (m, tracker) -> m.reclaimFor(owner));
    if (taken.isEmpty()) {
      return null;
    }
    Loan loan = taken.get();
    CapacityReservation reservation =
        engine.caches().reservations(namespace).stream()
            .filter(r -> loan.reservation().equals(r.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    Pod borrower =
        engine.caches().pods(loan.borrowerNamespace()).stream()
            .filter(p -> loan.borrowerUid().equals(p.getMetadata().getUid()))
            .findFirst()
            .orElse(null);
    if (borrower == null) {
      // gone before its delete event reached the engine: the event ends the loan
      return Duration.ofSeconds(1);
    }
    String ownerName = object.getMetadata().getName();
    return evictThenDelete(
        borrower,
        loan,
        namespace,
        reservation,
        new Notice(
            "reclaimed",
            RECLAIMED,
            "the owner of the borrowed slot "
                + namespace
                + "/"
                + loan.reservation()
                + "/"
                + loan.slot()
                + " needs it back (pod "
                + ownerName
                + ")",
            "reclaim-" + loan.borrowerUid(),
            SLOT_RECLAIMED,
            "slot "
                + loan.slot()
                + " taken back from borrower "
                + loan.borrowerNamespace()
                + "/"
                + loan.borrowerName()
                + " for pod "
                + ownerName));
  }

  /**
   * The recall step for a borrower whose loan its lender recalled (docs/lending.md, "Recall"): the
   * reservation shrank, expired or went away, or a restart could not keep the loan, so nothing
   * holds the capacity it runs on. It is evicted with the reservation's grace period, then deleted
   * if it is still there after it, as a reclaimed borrower is. Returns when to look at the pod
   * again, or null when it is not a recalled borrower (any more).
   */
  Duration evictRecalled(Pod borrower) {
    String uid = borrower.getMetadata().getUid();
    ReservationEngine.Recall recall = engine.recallOf(uid);
    if (recall == null || Pods.hasEnded(borrower)) {
      return null;
    }
    Loan loan = recall.loan();
    CapacityReservation reservation = recall.reservation();
    return evictThenDelete(
        borrower,
        loan,
        recall.lender(),
        reservation,
        new Notice(
            "recalled",
            RECALLED,
            "the lender no longer has the borrowed slot "
                + recall.lender()
                + "/"
                + loan.reservation()
                + "/"
                + loan.slot()
                + " (its reservation shrank, expired or was deleted)",
            "recall-" + uid,
            LOAN_RECALLED,
            "slot "
                + loan.slot()
                + " is no longer the reservation's: its borrower "
                + loan.borrowerNamespace()
                + "/"
                + loan.borrowerName()
                + " is evicted"));
  }

  /**
   * The Events of an eviction: a Warning on the borrower and a Normal one on the reservation, each
   * with its key (sent once), reason and why; the grace period is added to both.
   */
  private record Notice(
      String borrowerKey,
      String borrowerReason,
      String borrowerWhy,
      String reservationKey,
      String reservationReason,
      String reservationWhy) {}

  // Evicts the borrower with the reservation's grace period, then deletes it with grace period 0
  // when it is still there after it (docs/lending.md, "Reclaim"). Returns when to look again.
  private Duration evictThenDelete(
      Pod borrower, Loan loan, String lender, CapacityReservation reservation, Notice notice) {
    Duration grace = graceOf(reservation);
    Instant now = clock.instant();
    Instant sent = engine.evictionSent(loan.borrowerUid());
    Instant deleting = deletionDeadline(borrower);
    if (sent == null && deleting != null) {
      // already leaving (evicted before a restart, or deleted by its owner): no new eviction; it
      // is deleted when its own deadline or ours, counted from now, passes — whichever is first
      sent = Collections.min(List.of(now, deleting.minus(grace)));
      engine.evicted(loan.borrowerUid(), sent);
    }
    if (sent == null) {
      boolean accepted = evict(borrower, grace);
      events.record(
          borrower,
          ObjectEvent.warning(
              notice.borrowerKey(),
              notice.borrowerReason(),
              notice.borrowerWhy()
                  + ": evicted with a grace period of "
                  + grace.toSeconds()
                  + " s"
                  + (accepted ? "" : " (refused for now: it is deleted after the grace period)")));
      if (reservation != null) {
        events.record(
            reservation,
            ObjectEvent.normal(
                notice.reservationKey(),
                notice.reservationReason(),
                notice.reservationWhy() + " (grace period " + grace.toSeconds() + " s)"));
      }
      engine.evicted(loan.borrowerUid(), now);
      LOG.info(
          "borrower {}/{} of {}/{} evicted (grace {} s, accepted {})",
          loan.borrowerNamespace(),
          loan.borrowerName(),
          lender,
          loan.reservation() + "/" + loan.slot(),
          grace.toSeconds(),
          accepted);
      return grace.plusSeconds(1);
    }
    Instant deadline = sent.plus(grace);
    if (now.isBefore(deadline)) {
      return Duration.between(now, deadline).plusMillis(200);
    }
    delete(borrower, lender + "/" + loan.reservation() + "/" + loan.slot(), grace);
    return Duration.ofSeconds(2);
  }

  // When a pod being deleted is to be gone (its deletionTimestamp), or null.
  private static Instant deletionDeadline(Pod pod) {
    String at = pod.getMetadata().getDeletionTimestamp();
    return at == null ? null : OffsetDateTime.parse(at).toInstant();
  }

  // The reservation's reclaimGracePeriodSeconds; 30 s when it lends no more or is gone.
  private static Duration graceOf(CapacityReservation reservation) {
    return Optional.ofNullable(reservation)
        .map(ReservationShapes::lending)
        .filter(LendingTerms::enabled)
        .map(LendingTerms::reclaimGracePeriod)
        .orElse(ReservationShapes.DEFAULT_RECLAIM_GRACE);
  }

  // False when it was refused (a PodDisruptionBudget), or the pod is gone or replaced
  // (BorrowerEviction).
  private boolean evict(Pod borrower, Duration grace) {
    return BorrowerEviction.evict(client, borrower, grace);
  }

  private void delete(Pod borrower, String slot, Duration grace) {
    events.record(
        borrower,
        ObjectEvent.warning(
            "reclaim-deleted",
            DELETED,
            "still here "
                + grace.toSeconds()
                + " s after its eviction: deleted so that the borrowed slot "
                + slot
                + " is free"));
    BorrowerEviction.delete(client, borrower);
    LOG.info(
        "borrower {}/{} deleted after its grace period",
        borrower.getMetadata().getNamespace(),
        borrower.getMetadata().getName());
  }

  // Live reservations of other namespaces whose spec.lending lets this pod borrow, oldest first.
  private List<CapacityReservation> lenders(String namespace, Pod pod) {
    ClusterCaches c = engine.caches();
    if (c == null || !c.synced() || namespace == null) {
      return List.of();
    }
    Map<String, String> namespaceLabels = c.namespaceLabels(namespace);
    Map<String, String> podLabels = labels(pod);
    return c.allReservations().stream()
        .filter(r -> !namespace.equals(r.getMetadata().getNamespace()))
        .filter(
            r ->
                ReservationShapes.lending(r)
                    .allows(r.getMetadata().getNamespace(), namespace, namespaceLabels, podLabels))
        .filter(r -> engine.isLive(r))
        .sorted(
            Comparator.comparing(
                    (CapacityReservation r) -> r.getMetadata().getCreationTimestamp(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(r -> r.getMetadata().getNamespace())
                .thenComparing(r -> r.getMetadata().getName()))
        .toList();
  }

  private static Map<String, String> labels(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }
}
