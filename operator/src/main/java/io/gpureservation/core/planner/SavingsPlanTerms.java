package io.gpureservation.core.planner;

import io.gpureservation.core.billing.SavingsPlan;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * The savings plan a plan is asked about (docs/planner.md, "Savings plans"): its name (a catalog
 * plan type, or {@code custom}), discount off list (0..1), and the attributes eligible usage must
 * match — {@code region} (null: every region) and {@code cardTypes} (empty: every card type).
 */
public record SavingsPlanTerms(
    String name, BigDecimal discount, String region, Set<String> cardTypes) {
  public SavingsPlanTerms {
    Objects.requireNonNull(name, "name");
    SavingsPlan.requireDiscount(discount);
    cardTypes = cardTypes == null ? Set.of() : Set.copyOf(cardTypes);
  }
}
