package io.gpureservation.core.billing;

import io.gpureservation.core.catalog.CatalogModel.CuTier;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Cumulative monthly CU tiers ({@code fc-cu-billing.zh.txt}, "计费项和计费单价"): the CU of a month are
 * priced tier by tier, each tier at its own unit price. {@code monthToDateCu} places a cycle's CU
 * after what the month already consumed. Amounts are exact products (CU × price).
 */
public final class CuTiers {
  /** Which of the page's two price columns to apply. */
  public enum PriceList {
    LIST,
    PROMOTIONAL
  }

  private final List<CuTier> tiers;

  public CuTiers(List<CuTier> tiers) {
    this.tiers = List.copyOf(tiers);
  }

  /** One line per tier that the CU interval {@code (monthToDateCu, monthToDateCu + cu]} touches. */
  public List<LineItem> price(BigDecimal monthToDateCu, BigDecimal cu, PriceList priceList) {
    Money.requireNonNegative(monthToDateCu, "monthToDateCu");
    Money.requireNonNegative(cu, "cu");
    BigDecimal from = monthToDateCu;
    BigDecimal to = monthToDateCu.add(cu);
    BigDecimal lower = BigDecimal.ZERO;
    List<LineItem> lines = new ArrayList<>();
    for (int i = 0; i < tiers.size(); i++) {
      CuTier tier = tiers.get(i);
      BigDecimal upper = tier.upToCu() == null ? null : BigDecimal.valueOf(tier.upToCu());
      BigDecimal start = from.max(lower);
      BigDecimal end = upper == null ? to : to.min(upper);
      if (end.compareTo(start) > 0) {
        BigDecimal price = priceList == PriceList.LIST ? tier.list() : tier.promotional();
        lines.add(LineItem.of(label(i, lower, upper), end.subtract(start), "CU", price));
      }
      if (upper == null) {
        break;
      }
      lower = upper;
    }
    return lines;
  }

  private static String label(int index, BigDecimal lower, BigDecimal upper) {
    DecimalFormat grouped = new DecimalFormat("#,##0");
    String range =
        upper == null
            ? "> " + grouped.format(lower)
            : "(" + grouped.format(lower) + ", " + grouped.format(upper) + "]";
    return "Tier " + (index + 1) + " " + range + " CU";
  }
}
