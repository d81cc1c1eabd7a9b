package io.gpureservation.reservation;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.SlotHolding;
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
 * ledger (docs/architecture.md, "Ledger first, annotation second").
 */
final class StoredLedgers extends InformerEventSource<CapacityReservation, Pod> {
  static final String NAME = "stored-ledgers";
  private static final String BY_POD_UID = "ledger-pod-uid";

  /** One stored ledger line naming a pod. */
  record Line(String reservation, int slot, String since) {}

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

  @Override
  public void onAdd(CapacityReservation r) {
    super.onAdd(r);
    engine.reservationDelivered(r);
    wake(r, Set.copyOf(lines(r)));
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
  }

  @Override
  public void onDelete(CapacityReservation r, boolean finalStateUnknown) {
    super.onDelete(r, finalStateUnknown);
    wake(r, Set.copyOf(lines(r)));
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

  private static List<String> podUids(CapacityReservation r) {
    return lines(r).stream().map(SlotHolding::getPodUid).filter(Objects::nonNull).toList();
  }
}
