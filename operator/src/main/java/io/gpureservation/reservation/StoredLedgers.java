package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.SlotHolding;
import io.gpureservation.api.v1alpha1.SlotLoan;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The reservations as stored, for the pod reconciler: an index from pod uid to the stored ledger
 * lines that name it, and a trigger of the pods whose line a stored status added, changed or
 * removed. A pod is annotated from what this cache holds, so its annotation never runs ahead of the
 * ledger (docs/architecture.md, "Ledger first, annotation second"). Loan lines are indexed the same
 * way, by the borrower's uid, and a changed loan line wakes the borrower in its own namespace.
 */
final class StoredLedgers extends InformerEventSource<CapacityReservation, Pod> {
  static final String NAME = "stored-ledgers";
  private static final String BY_POD_UID = "ledger-pod-uid";

  /** One stored ledger line naming a pod. */
  record Line(String reservation, int slot, String since) {}

  /** One stored loan line naming a borrower: the lender's namespace and reservation, the loan. */
  record LoanLine(String namespace, String reservation, SlotLoan loan) {}

  private final ReservationEngine engine;

  StoredLedgers(EventSourceContext<Pod> context, ReservationEngine engine) {
    // The mapper is unused: which pods to wake is computed from the old and the new ledger below.
    super(
        InformerEventSourceConfiguration.from(CapacityReservation.class, Pod.class)
            .withName(NAME)
            .withSecondaryToPrimaryMapper(r -> Set.of())
            .build(),
        context);
    addIndexers(Map.of(BY_POD_UID, StoredLedgers::podUids));
    this.engine = engine;
  }

  /** The stored ledger lines that name the pod (more than one only between two ledger writes). */
  List<Line> linesOf(String podUid) {
    return byIndex(BY_POD_UID, podUid).stream()
        .flatMap(
            r ->
                lines(r).stream()
                    .filter(h -> podUid.equals(h.getPodUid()))
                    .map(h -> new Line(r.getMetadata().getName(), h.getSlot(), h.getSince())))
        .toList();
  }

  /** The stored loan lines that name the borrower (docs/lending.md, "Restart"). */
  List<LoanLine> loansOf(String podUid) {
    return byIndex(BY_POD_UID, podUid).stream()
        .flatMap(
            r ->
                loans(r).stream()
                    .filter(l -> podUid.equals(l.getPodUid()))
                    .map(l -> new LoanLine(ns(r), r.getMetadata().getName(), l)))
        .toList();
  }

  @Override
  public void onAdd(CapacityReservation r) {
    super.onAdd(r);
    engine.reservationDelivered(r);
    wake(r, Set.copyOf(lines(r)));
    wakeBorrowers(Set.copyOf(loans(r)));
  }

  @Override
  public void onUpdate(CapacityReservation old, CapacityReservation now) {
    super.onUpdate(old, now);
    engine.reservationDelivered(now);
    Set<SlotHolding> before = Set.copyOf(lines(old));
    Set<SlotHolding> after = Set.copyOf(lines(now));
    Set<SlotHolding> changed = new HashSet<>(before);
    changed.addAll(after);
    changed.removeIf(h -> before.contains(h) && after.contains(h));
    wake(now, changed);
    Set<SlotLoan> loansBefore = Set.copyOf(loans(old));
    Set<SlotLoan> loansAfter = Set.copyOf(loans(now));
    Set<SlotLoan> changedLoans = new HashSet<>(loansBefore);
    changedLoans.addAll(loansAfter);
    changedLoans.removeIf(l -> loansBefore.contains(l) && loansAfter.contains(l));
    wakeBorrowers(changedLoans);
  }

  @Override
  public void onDelete(CapacityReservation r, boolean finalStateUnknown) {
    super.onDelete(r, finalStateUnknown);
    wake(r, Set.copyOf(lines(r)));
    wakeBorrowers(Set.copyOf(loans(r)));
  }

  // A borrower lives in its own namespace, not the lender's.
  private void wakeBorrowers(Set<SlotLoan> loans) {
    EventHandler handler = getEventHandler();
    if (handler == null || !isRunning()) {
      return;
    }
    loans.stream()
        .filter(l -> l.getPod() != null && l.getNamespace() != null)
        .map(l -> new ResourceID(l.getPod(), l.getNamespace()))
        .distinct()
        .forEach(id -> handler.handleEvent(new Event(id)));
  }

  private void wake(CapacityReservation r, Set<SlotHolding> lines) {
    EventHandler handler = getEventHandler();
    if (handler == null || !isRunning()) {
      return;
    }
    lines.stream()
        .map(SlotHolding::getPod)
        .filter(Objects::nonNull)
        .distinct()
        .forEach(pod -> handler.handleEvent(new Event(new ResourceID(pod, ns(r)))));
  }

  private static String ns(CapacityReservation r) {
    return r.getMetadata().getNamespace();
  }

  private static List<SlotHolding> lines(CapacityReservation r) {
    return r.getStatus() == null || r.getStatus().getLedger() == null
        ? List.of()
        : r.getStatus().getLedger();
  }

  static List<SlotLoan> loans(CapacityReservation r) {
    return r.getStatus() == null || r.getStatus().getLoans() == null
        ? List.of()
        : r.getStatus().getLoans();
  }

  private static List<String> podUids(CapacityReservation r) {
    return java.util.stream.Stream.concat(
            lines(r).stream().map(SlotHolding::getPodUid),
            loans(r).stream().map(SlotLoan::getPodUid))
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }
}
