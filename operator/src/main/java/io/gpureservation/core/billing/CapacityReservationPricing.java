package io.gpureservation.core.billing;

import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Capacity reservation timeline ({@code acs-gpu-pod-capacity-reservation.txt}, "Billing example"):
 * in each phase every live slot is billed exactly once — idle slots at the reservation rate, slots
 * deducted by running pods at the pod pay-as-you-go rate. Running pods beyond the slots run as
 * plain pay-as-you-go. Rates come from the catalog (EXAMPLE rates by default).
 *
 * <p>Rounding: each line's amount is {@code count × rate × phase milliseconds / 3,600,000} rounded
 * to 6 decimals HALF_UP (computed by {@link ReservationAccrual}); quantities are hours at 6
 * decimals; the bill's payable amount is the exact sum rounded to cents.
 */
public final class CapacityReservationPricing {
  /** One phase of the timeline: how long, how many live slots, how many pods run. */
  public record Phase(String name, Duration duration, int slots, int runningPods) {
    public Phase {
      if (duration.isNegative()) {
        throw new IllegalArgumentException(name + ": duration must not be negative");
      }
      if (slots < 0) {
        throw new IllegalArgumentException(name + ": slots must not be negative");
      }
      if (runningPods < 0) {
        throw new IllegalArgumentException(name + ": runningPods must not be negative");
      }
    }

    int deducted() {
      return Math.min(slots, runningPods);
    }

    int idle() {
      return slots - deducted();
    }

    int unmatched() {
      return runningPods - deducted();
    }
  }

  private final Catalog catalog;

  public CapacityReservationPricing(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Bills a timeline of phases for reservations of (card type, cards).
   *
   * @throws IllegalArgumentException naming {@code cardType} when the pair has no catalog rates
   */
  public Bill bill(String cardType, int cards, List<Phase> phases) {
    return bill(cardType, cards, null, phases);
  }

  /**
   * As {@link #bill(String, int, List)} at the rates of {@code region} (catalog region rates with
   * their fallback, docs/billing.md "Region rates"; null: the card type's default rates).
   */
  public Bill bill(String cardType, int cards, String region, List<Phase> phases) {
    String type =
        catalog
            .canonicalCardType(cardType)
            .orElseThrow(
                () -> new IllegalArgumentException("cardType: unknown card type " + cardType));
    BigDecimal reservationRate =
        catalog
            .reservationHourlyRate(type, cards, region)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "cards: " + type + " has no " + cards + "-card specification"));
    BigDecimal podRate = catalog.payAsYouGoHourlyRate(type, cards, region).orElseThrow();
    List<LineItem> lines = new ArrayList<>();
    for (Phase phase : phases) {
      Instant end = Instant.EPOCH.plus(phase.duration());
      ReservationAccrual slots =
          ReservationAccrual.ZERO.advance(
              Instant.EPOCH, end, phase.idle(), phase.deducted(), reservationRate, podRate);
      ReservationAccrual plain =
          ReservationAccrual.ZERO.advance(
              Instant.EPOCH, end, 0, phase.unmatched(), podRate, podRate);
      LineItem.addTimed(
          lines,
          phase.name() + ": idle slots",
          slots.idleSlotMillis(),
          "slot-hour",
          reservationRate,
          slots.idleCost());
      LineItem.addTimed(
          lines,
          phase.name() + ": pods on reserved slots",
          slots.activeSlotMillis(),
          "pod-hour",
          podRate,
          slots.activeCost());
      LineItem.addTimed(
          lines,
          phase.name() + ": pay-as-you-go pods (no slot)",
          plain.activeSlotMillis(),
          "pod-hour",
          podRate,
          plain.activeCost());
    }
    String title =
        "GPU pod capacity reservation: "
            + type
            + " x"
            + cards
            + (region == null ? "" : " in " + region);
    return Bill.of(
        title,
        catalog.currency(),
        lines,
        List.of(
            "Rates: reservation "
                + reservationRate.toPlainString()
                + "/slot-hour, pay-as-you-go "
                + podRate.toPlainString()
                + "/pod-hour (catalog; the defaults are EXAMPLE rates)",
            "Phases without slots or pods cost nothing."));
  }
}
