package io.gpureservation.core.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A savings plan (docs/billing.md, "Savings plans"): a commitment of {@code commitmentPerHour} for
 * every hour of the term [{@code start}, {@code end}), spent on eligible usage at the plan rate
 * (list × (1 − {@code discount})). Eligible usage matches the plan's attributes: {@code region}
 * (null = every region) and {@code cardTypes} (empty = every card type), both compared ignoring
 * case.
 */
public record SavingsPlan(
    BigDecimal commitmentPerHour,
    BigDecimal discount,
    Instant start,
    Instant end,
    String region,
    Set<String> cardTypes) {
  public SavingsPlan {
    Money.requireNonNegative(commitmentPerHour, "commitmentPerHour");
    requireDiscount(discount);
    if (start == null || end == null || !end.isAfter(start)) {
      throw new IllegalArgumentException("term: end must be after start");
    }
    TreeSet<String> types = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    types.addAll(cardTypes == null ? Set.of() : cardTypes);
    cardTypes = java.util.Collections.unmodifiableSet(types);
  }

  /** A discount off list between 0 and 1; the message names the field. */
  public static BigDecimal requireDiscount(BigDecimal discount) {
    Money.requireNonNegative(discount, "discount");
    if (discount.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException(
          "discount must be between 0 and 1: " + discount.toPlainString());
    }
    return discount;
  }

  /** The plan rate's factor of the list price: {@code 1 − discount}, exact. */
  public BigDecimal planRateFactor() {
    return BigDecimal.ONE.subtract(discount);
  }

  /** Whether the hour starting at {@code hourStart} is in the term. */
  public boolean inTerm(Instant hourStart) {
    return !hourStart.isBefore(start) && hourStart.isBefore(end);
  }

  /** Whether usage of this card type in this region (null: none stated) is eligible. */
  public boolean matches(String cardType, String usageRegion) {
    boolean typeOk = cardTypes.isEmpty() || (cardType != null && cardTypes.contains(cardType));
    boolean regionOk =
        region == null
            || (usageRegion != null
                && region.toLowerCase(Locale.ROOT).equals(usageRegion.toLowerCase(Locale.ROOT)));
    return typeOk && regionOk;
  }
}
