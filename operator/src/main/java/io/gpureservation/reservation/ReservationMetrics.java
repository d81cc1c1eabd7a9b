package io.gpureservation.reservation;

import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.CapacityReservationStatus;
import io.gpureservation.core.matching.PodBilling;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus metrics, computed at scrape time from what the operator already holds: slots by state,
 * GPU pods by billing mode, accrued cost per reservation. Nothing is counted per event.
 */
public final class ReservationMetrics {
  static final String SLOTS = "gpureservation_reservation_slots";
  static final String PODS = "gpureservation_gpu_pods";
  static final String COST = "gpureservation_reservation_accrued_cost";
  static final String SLOT_SECONDS = "gpureservation_reservation_accrued_slot_seconds";

  /** The metric names this class exports (the dashboard test checks its queries against them). */
  public static final List<String> NAMES = List.of(SLOTS, PODS, COST, SLOT_SECONDS);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ReservationEngine matching;
  private final MultiGauge slots;
  private final MultiGauge pods;
  private final MultiGauge cost;
  private final MultiGauge slotSeconds;

  public ReservationMetrics(ReservationEngine matching) {
    this.matching = matching;
    slots =
        MultiGauge.builder(SLOTS)
            .description("Reservation slots by state (idle, active or lent)")
            .register(registry);
    pods =
        MultiGauge.builder(PODS).description("Started GPU pods by billing mode").register(registry);
    cost =
        MultiGauge.builder(COST)
            .description(
                "Cost accrued by a reservation, by kind (idle, active; lent: the borrowers')")
            .register(registry);
    slotSeconds =
        MultiGauge.builder(SLOT_SECONDS)
            .description(
                "Slot-seconds accrued by a reservation, by kind (idle, active, unheld, lent)")
            .register(registry);
  }

  /** The Prometheus text exposition, refreshed from the current state. */
  public String scrape() {
    refresh();
    return registry.scrape();
  }

  private void refresh() {
    List<MultiGauge.Row<?>> slotRows = new ArrayList<>();
    List<MultiGauge.Row<?>> costRows = new ArrayList<>();
    List<MultiGauge.Row<?>> secondRows = new ArrayList<>();
    for (CapacityReservation r : matching.reservations()) {
      CapacityReservationStatus s = r.getStatus();
      if (s == null) {
        continue;
      }
      Tags tags =
          Tags.of(
              "namespace",
              r.getMetadata().getNamespace(),
              "reservation",
              r.getMetadata().getName());
      slotRows.add(MultiGauge.Row.of(tags.and("state", "idle"), count(s.getIdle())));
      slotRows.add(MultiGauge.Row.of(tags.and("state", "active"), count(s.getActive())));
      // Slots a borrower of another namespace runs on (docs/lending.md).
      slotRows.add(MultiGauge.Row.of(tags.and("state", "lent"), count(s.getLent())));
      // Idle slots held on a node, and idle slots no node holds (docs/capacity-holding.md).
      int held = s.getHeld() == null ? count(s.getIdle()) : s.getHeld();
      slotRows.add(MultiGauge.Row.of(tags.and("state", "held"), held));
      slotRows.add(
          MultiGauge.Row.of(tags.and("state", "unheld"), Math.max(0, count(s.getIdle()) - held)));
      if (s.getAccrued() != null) {
        costRows.add(
            MultiGauge.Row.of(tags.and("kind", "idle"), number(s.getAccrued().getIdleCost())));
        costRows.add(
            MultiGauge.Row.of(tags.and("kind", "active"), number(s.getAccrued().getActiveCost())));
        secondRows.add(
            MultiGauge.Row.of(
                tags.and("kind", "idle"), number(s.getAccrued().getIdleSlotSeconds())));
        secondRows.add(
            MultiGauge.Row.of(
                tags.and("kind", "active"), number(s.getAccrued().getActiveSlotSeconds())));
        if (s.getAccrued().getLentSlotSeconds() != null) {
          // lent time and what the borrowers pay for it (docs/lending.md, "Money")
          costRows.add(
              MultiGauge.Row.of(tags.and("kind", "lent"), number(s.getAccrued().getLentCost())));
          secondRows.add(
              MultiGauge.Row.of(
                  tags.and("kind", "lent"), number(s.getAccrued().getLentSlotSeconds())));
        }
        if (s.getAccrued().getUnheldSlotSeconds() != null) {
          secondRows.add(
              MultiGauge.Row.of(
                  tags.and("kind", "unheld"), number(s.getAccrued().getUnheldSlotSeconds())));
        }
      }
    }
    slots.register(slotRows, true);
    cost.register(costRows, true);
    slotSeconds.register(secondRows, true);

    Map<Tags, Integer> byMode = new HashMap<>();
    matching.forEachPod(
        (namespace, billing) -> {
          String mode = mode(billing);
          if (mode != null) {
            byMode.merge(Tags.of("namespace", namespace, "mode", mode), 1, Integer::sum);
          }
        });
    List<MultiGauge.Row<?>> podRows = new ArrayList<>();
    byMode.forEach((tags, n) -> podRows.add(MultiGauge.Row.of(tags, n)));
    pods.register(podRows, true);
  }

  private static String mode(PodBilling billing) {
    if (billing instanceof PodBilling.Reserved) {
      return "reserved";
    }
    if (billing instanceof PodBilling.PayAsYouGo) {
      return "pay-as-you-go";
    }
    return null;
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }

  // Prometheus samples are doubles; the exact decimal lives in the reservation's status.
  private static double number(String decimal) {
    return decimal == null ? 0 : new BigDecimal(decimal).doubleValue();
  }
}
