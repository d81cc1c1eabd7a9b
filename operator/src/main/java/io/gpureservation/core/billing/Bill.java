package io.gpureservation.core.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * An itemised bill, shared by every pricing model.
 *
 * <p>{@code usage} is the metering table that precedes pricing (for Function Compute: usage items
 * converted to CU — its amounts are CU, not money); {@code charges} are money in {@code currency}.
 * {@link #total()} is the exact sum of the charges; {@link #payable()} is that total rounded once,
 * to cents ({@link Money#CENTS}), the way the reference pages state final amounts (USD 0.672 → USD
 * 0.67).
 */
public record Bill(
    String title,
    String currency,
    List<LineItem> usage,
    List<LineItem> charges,
    List<String> notes) {
  public Bill {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(currency, "currency");
    usage = List.copyOf(usage);
    charges = List.copyOf(charges);
    notes = List.copyOf(notes);
  }

  /** A bill without a usage table. */
  public static Bill of(String title, String currency, List<LineItem> charges, List<String> notes) {
    return new Bill(title, currency, List.of(), charges, notes);
  }

  /** The same bill with {@code more} notes after its own. */
  public Bill withMoreNotes(List<String> more) {
    List<String> all = new java.util.ArrayList<>(notes);
    all.addAll(more);
    return new Bill(title, currency, usage, charges, all);
  }

  /** Exact sum of the charges' amounts (no rounding). */
  public BigDecimal total() {
    return Money.sum(charges);
  }

  /** {@link #total()} rounded to cents, HALF_UP. */
  public BigDecimal payable() {
    return Money.cents(total());
  }

  /** Exact sum of the usage table's amounts (CU for Function Compute). */
  public BigDecimal usageTotal() {
    return Money.sum(usage);
  }

  /** The charge line with this description. */
  public LineItem charge(String description) {
    return find(charges, description);
  }

  /** The usage line with this description. */
  public LineItem usageLine(String description) {
    return find(usage, description);
  }

  private static LineItem find(List<LineItem> lines, String description) {
    return lines.stream()
        .filter(line -> line.description().equals(description))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no line " + description));
  }
}
