package io.gpureservation.core.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The usage of one billing hour, each line already priced at its list rate (reservation idle fees,
 * reserved and pay-as-you-go pod fees). An hour without lines is still an hour of a plan's term.
 */
public record HourlyUsage(Instant start, List<Charge> charges) {
  public HourlyUsage {
    Objects.requireNonNull(start, "start");
    charges = List.copyOf(charges);
  }

  /** One priced line: what, its card type and region (for plan eligibility), its list amount. */
  public record Charge(String description, String cardType, String region, BigDecimal listAmount) {
    public Charge {
      Objects.requireNonNull(description, "description");
      Money.requireNonNegative(listAmount, description + ": listAmount");
    }
  }
}
