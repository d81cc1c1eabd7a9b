package io.gpureservation.reservation;

import static io.gpureservation.cluster.ClusterFixtures.gpuPod;
import static io.gpureservation.cluster.ClusterFixtures.reservation;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationConditions;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.cluster.GpuPods;
import io.gpureservation.cluster.MutableClock;
import io.gpureservation.cluster.OperatorConfig;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.holding.PlaceholderState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reservation engine and status composer driven by a fake clock, with lists standing in for the
 * informer caches, as the reconcilers drive them: what the time-window tests share
 * (docs/time-windows.md). {@link #restart()} builds a new engine from the same state.
 */
final class WindowedEngine {
  static final String NS = "team-a";
  private static final Catalog CATALOG = Catalog.defaults();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T07:00:00Z"));
  private final ReservationShapes shapes = new ReservationShapes(CATALOG);
  private final ReservationStatusComposer composer =
      new ReservationStatusComposer(CATALOG, region -> true);
  private final List<CapacityReservation> reservations = new ArrayList<>();
  private final List<Pod> pods = new ArrayList<>();
  private ReservationEngine engine = newEngine();

  ReservationEngine engine() {
    return engine;
  }

  ReservationShapes shapes() {
    return shapes;
  }

  /**
   * A new engine that loads the namespace from the stored statuses and pods, as after a restart.
   */
  ReservationEngine restart() {
    engine = newEngine();
    return engine;
  }

  private ReservationEngine newEngine() {
    ReservationEngine e =
        new ReservationEngine(new GpuPods(OperatorConfig.defaults(), CATALOG), shapes, clock);
    e.useCaches(
        new ClusterCaches() {
          @Override
          public List<CapacityReservation> reservations(String namespace) {
            return reservations.stream()
                .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
                .toList();
          }

          @Override
          public List<CapacityReservation> allReservations() {
            return List.copyOf(reservations);
          }

          @Override
          public List<Pod> pods(String namespace) {
            return pods.stream()
                .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
                .toList();
          }

          @Override
          public Optional<ResidentPool> pool(String namespace, String name) {
            return Optional.empty();
          }

          @Override
          public void awaitSynced() {}
        });
    return e;
  }

  /** Stores a reservation (generation 1) in the cache. */
  CapacityReservation add(CapacityReservation r) {
    r.getMetadata().setGeneration(1L);
    reservations.add(r);
    return r;
  }

  /** "0 8 * * *" UTC for 2 h: live 08:00 to 10:00 every day. */
  CapacityReservation daily(int quantity, String lead) {
    CapacityReservation r =
        reservation(NS, "tide").quantity(quantity).window("0 8 * * *", "UTC", "2h", lead).build();
    r.getMetadata().setUid("uid-tide");
    r.getMetadata().setCreationTimestamp("2026-11-23T06:00:00Z");
    return add(r);
  }

  /** What one reconcile does: tell the engine, then store the status composed from the matcher. */
  CapacityReservationStatus reconcile(CapacityReservation r) {
    ReservationShapes.Resolution resolution = shapes.resolve(r.getSpec());
    engine.reservationChanged(r, resolution);
    CapacityReservationStatus status =
        composer.compose(
            r, resolution, engine.slots(NS, r.getMetadata().getName()), clock.instant());
    r.setStatus(status);
    return status;
  }

  /** The scheduler bound every idle slot's placeholder. */
  void holdIdleSlots(String reservation) {
    engine.change(
        NS,
        (m, tracker) -> {
          m.idleSlotIndices(reservation)
              .forEach(
                  slot ->
                      tracker.placeholder(
                          reservation, slot, new PlaceholderState("node-1", false)));
          return null;
        });
  }

  /** A GPU pod bound to a node now (uid {@code uid-<name>}). */
  Pod startPod(String name) {
    Pod pod = gpuPod(NS, name).build();
    pod.getMetadata().setUid("uid-" + name);
    pod.getMetadata().setCreationTimestamp(clock.instant().toString());
    pods.add(pod);
    engine.podChanged(pod);
    return pod;
  }

  /**
   * A pod of {@code namespace} (uid {@code uid-<name>}) asks to borrow and is lent an idle held
   * slot of {@code reservation}, as {@code Lending.lend} does (docs/lending.md, "Borrow"); pending.
   */
  Pod lend(String reservation, String namespace, String name) {
    Pod pending = gpuPod(namespace, name).unscheduled().build();
    pending.getMetadata().setUid("uid-" + name);
    pending.getMetadata().setCreationTimestamp(clock.instant().toString());
    var def = engine.gpuPods().toPodDef(pending).orElseThrow();
    int slot =
        engine
            .change(NS, (m, tracker) -> m.lend(reservation, namespace, def, tracker::holds, now()))
            .orElseThrow()
            .slot();
    engine.borrowed(namespace, def.uid(), NS);
    // the loan record the gate's patch writes (CapacityGate.lift)
    pending
        .getMetadata()
        .getAnnotations()
        .put(GpuReservation.LENDER_ANNOTATION, NS + "/" + reservation + "/" + slot);
    pods.add(pending);
    return pending;
  }

  /** The pod, bound to a node now; its event reaches the engine. */
  Pod start(Pod pending) {
    pods.remove(pending);
    Pod pod = gpuPod(pending.getMetadata().getNamespace(), pending.getMetadata().getName()).build();
    pod.getMetadata().setUid(pending.getMetadata().getUid());
    pod.getMetadata().getAnnotations().putAll(pending.getMetadata().getAnnotations());
    pod.getMetadata().setCreationTimestamp(pending.getMetadata().getCreationTimestamp());
    pods.add(pod);
    engine.podChanged(pod);
    return pod;
  }

  /** The pod is deleted; its event reaches the engine. */
  void delete(Pod pod) {
    pods.remove(pod);
    engine.podGone(pod);
  }

  Instant now() {
    return clock.instant();
  }

  void at(String time) {
    clock.advance(Duration.between(clock.instant(), Instant.parse(time)));
  }

  static Condition ready(CapacityReservationStatus s) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals(CapacityReservationConditions.READY))
        .findFirst()
        .orElseThrow();
  }
}
