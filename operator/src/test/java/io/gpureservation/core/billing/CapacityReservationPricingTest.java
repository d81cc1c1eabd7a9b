package io.gpureservation.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.billing.CapacityReservationPricing.Phase;
import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "Container Compute Service: GPU Pod capacity reservation", "Billing example"
 * (docs/capacity-reservation.md, "The source's rules and numbers"): two reservations and Pod1/Pod2
 * across seven phases (each one hour here; the page gives no durations or prices, rates are the
 * catalog's example rates).
 */
class CapacityReservationPricingTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private final Catalog catalog = Catalog.defaults();
  private final CapacityReservationPricing pricing = new CapacityReservationPricing(catalog);

  @Test
  void acsReservation_sevenPhaseBillingExample() {
    BigDecimal reservation = catalog.reservationHourlyRate("L20", 1).orElseThrow();
    BigDecimal pod = catalog.payAsYouGoHourlyRate("L20", 1).orElseThrow();
    List<Phase> phases =
        List.of(
            new Phase("Phase 1", HOUR, 0, 0), // purchased, not yet active: no charge
            new Phase("Phase 2", HOUR, 2, 0), // 2 × reservation rate
            new Phase("Phase 3", HOUR, 2, 1), // 1 × reservation + Pod1
            new Phase("Phase 4", HOUR, 2, 2), // Pod1 + Pod2
            new Phase("Phase 5", HOUR, 2, 1), // 1 × reservation + Pod2
            new Phase("Phase 6", HOUR, 2, 0), // 2 × reservation
            new Phase("Phase 7", HOUR, 0, 0)); // released
    Bill bill = pricing.bill("NVIDIA-L20", 1, phases);

    assertThat(bill.charges()).noneMatch(l -> l.description().startsWith("Phase 1"));
    assertThat(bill.charges()).noneMatch(l -> l.description().startsWith("Phase 7"));
    assertThat(bill.charge("Phase 2: idle slots").quantity()).isEqualByComparingTo("2");
    assertThat(bill.charge("Phase 3: idle slots").quantity()).isEqualByComparingTo("1");
    assertThat(bill.charge("Phase 3: pods on reserved slots").quantity()).isEqualByComparingTo("1");
    assertThat(bill.charge("Phase 4: pods on reserved slots").quantity()).isEqualByComparingTo("2");
    assertThat(bill.charges()).noneMatch(l -> l.description().equals("Phase 4: idle slots"));
    // 6 idle slot-hours and 4 pod-hours in all
    BigDecimal expected =
        reservation.multiply(BigDecimal.valueOf(6)).add(pod.multiply(BigDecimal.valueOf(4)));
    assertThat(bill.total()).isEqualByComparingTo(expected);
  }

  @Test
  void acsReservation_neverBothNeverNeither_slotHoursEqualSlotsTimesDuration() {
    Bill bill = pricing.bill("A10", 2, List.of(new Phase("p", Duration.ofMinutes(90), 3, 1)));
    BigDecimal slotHours =
        bill.charges().stream().map(LineItem::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(slotHours).isEqualByComparingTo("4.5"); // 3 slots × 1.5 h
  }

  @Test
  void acsReservation_podsBeyondTheSlotsRunPayAsYouGo() {
    Bill bill = pricing.bill("T4", 1, List.of(new Phase("p", HOUR, 1, 3)));
    assertThat(bill.charge("p: pods on reserved slots").quantity()).isEqualByComparingTo("1");
    assertThat(bill.charge("p: pay-as-you-go pods (no slot)").quantity()).isEqualByComparingTo("2");
  }

  @Test
  void acsReservation_unknownCardTypeOrCountIsRefusedNamingTheField() {
    assertThatThrownBy(() -> pricing.bill("H100", 1, List.of())).hasMessageStartingWith("cardType");
    assertThatThrownBy(() -> pricing.bill("T4", 4, List.of())).hasMessageStartingWith("cards");
  }

  @Test
  void regionRates_priceTheTimelineAndFallBackPerRate(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // docs/billing.md, "Region rates": us-east-1 lists only the reservation rate (0.70 per L20
    // card-hour); pods keep the example pay-as-you-go rate 1.80. One hour, 2 slots, 1 pod:
    // 1 idle slot × 0.70 + 1 pod × 1.80 = 2.50.
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(
        file,
        "cardTypes:\n  L20:\n    regionRates:\n      us-east-1: {reservationPerCardHour: 0.70}\n");
    Bill bill =
        new CapacityReservationPricing(Catalog.load(file))
            .bill("L20", 1, "us-east-1", List.of(new Phase("Phase 3", HOUR, 2, 1)));

    assertThat(bill.charge("Phase 3: idle slots").amount()).isEqualByComparingTo("0.70");
    assertThat(bill.charge("Phase 3: pods on reserved slots").amount())
        .isEqualByComparingTo("1.80");
    assertThat(bill.total()).isEqualByComparingTo("2.50");
    assertThat(bill.title()).endsWith("in us-east-1");
  }
}
