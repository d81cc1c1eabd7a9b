package io.gpureservation.cluster;

import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.ChargebackMetrics.Sample;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pool gauges from a pool's status: cards by state (subscribed, allocated, free, held), waiting
 * pods, fees, days to expiry, phase.
 */
final class PoolGauges {
  private PoolGauges() {}

  static List<Sample> of(ResidentPool p, Instant now) {
    ResidentPoolStatus s = p.getStatus();
    List<Sample> out = new ArrayList<>();
    if (s == null) {
      return out;
    }
    List<String> pool =
        List.of(
            "namespace", p.getMetadata().getNamespace(),
            "pool", p.getMetadata().getName(),
            "card_type", p.getSpec().getCardType());
    long capacity = s.getCapacity() == null ? 0 : s.getCapacity().getCards();
    long allocated = s.getAllocated() == null ? 0 : s.getAllocated().getCards();
    out.add(new Sample("gpureservation_pool_cards", with(pool, "state", "subscribed"), capacity));
    out.add(new Sample("gpureservation_pool_cards", with(pool, "state", "allocated"), allocated));
    out.add(
        new Sample("gpureservation_pool_cards", with(pool, "state", "free"), capacity - allocated));
    if (s.getHeldCards() != null) {
      // Held on nodes by placeholders or started pods (docs/capacity-holding.md "Resident pools").
      out.add(
          new Sample("gpureservation_pool_cards", with(pool, "state", "held"), s.getHeldCards()));
    }
    out.add(
        new Sample(
            "gpureservation_pool_waiting_pods",
            pool,
            s.getWaitingPods() == null ? 0 : s.getWaitingPods()));
    if (s.getFees() != null && s.getFees().getPaid() != null) {
      out.add(
          new Sample(
              "gpureservation_pool_fees_paid",
              with(pool, "currency", s.getFees().getCurrency()),
              new BigDecimal(s.getFees().getPaid()).doubleValue()));
    }
    Instant expires = instant(s.getExpiresAt());
    if (expires != null && "Active".equals(s.getPhase())) {
      out.add(
          new Sample(
              "gpureservation_pool_days_to_expiry",
              pool,
              Duration.between(now, expires).toSeconds() / 86_400.0));
    }
    if (s.getPhase() != null) {
      out.add(new Sample("gpureservation_pool_phase", with(pool, "phase", s.getPhase()), 1));
    }
    return out;
  }

  private static List<String> with(List<String> labels, String key, String value) {
    List<String> result = new ArrayList<>(labels);
    result.add(key);
    result.add(value);
    return result;
  }

  static Instant instant(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
