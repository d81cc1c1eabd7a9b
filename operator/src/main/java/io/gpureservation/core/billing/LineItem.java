package io.gpureservation.core.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One line of an itemised bill: {@code amount = quantity × unitPrice}, computed exactly unless the
 * pricing model documents a rounding for that line.
 *
 * @param description what is billed (e.g. "Active vCPU")
 * @param quantity usage in {@code unit}
 * @param unit the quantity's unit (e.g. "vCPU·s", "card-month")
 * @param unitPrice price (or conversion factor, in a usage table) per unit
 * @param amount money in the bill's currency (or CU, in a usage table)
 */
public record LineItem(
    String description, BigDecimal quantity, String unit, BigDecimal unitPrice, BigDecimal amount) {
  public LineItem {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(amount, "amount");
  }

  /** A line whose amount is the exact product {@code quantity × unitPrice}. */
  public static LineItem of(
      String description, BigDecimal quantity, String unit, BigDecimal price) {
    return new LineItem(description, quantity, unit, price, quantity.multiply(price));
  }

  /**
   * Adds a line for {@code millis} of time (quantity in hours, {@link Money#hours}) with its
   * amount, unless no time passed: a bill lists only what was used.
   */
  public static void addTimed(
      List<LineItem> lines,
      String description,
      long millis,
      String unit,
      BigDecimal rate,
      BigDecimal amount) {
    if (millis > 0) {
      lines.add(new LineItem(description, Money.hours(millis), unit, rate, amount));
    }
  }
}
