package io.gpureservation.cli;

import io.gpureservation.core.billing.Bill;
import io.gpureservation.core.billing.LineItem;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a bill the way the reference pages lay it out: the usage table (usage, factor, CU), the
 * charges table (quantity, unit price, amount), then the exact total and the payable amount.
 * Numbers are printed exactly (grouped, trailing zeros dropped; money keeps at least 2 decimals).
 */
final class BillPrinter {
  private final PrintStream out;

  BillPrinter(PrintStream out) {
    this.out = out;
  }

  void print(Bill bill) {
    out.println("== " + bill.title() + " ==");
    if (!bill.usage().isEmpty()) {
      table("Usage item", "Usage", "Factor", "Result", bill.usage(), false);
      out.println("Usage total: " + number(bill.usageTotal(), 0));
    }
    table(
        "Item", "Quantity", "Unit price", "Amount (" + bill.currency() + ")", bill.charges(), true);
    out.println("Total: " + bill.currency() + " " + number(bill.total(), 2));
    out.println("Payable (rounded to cents): " + bill.currency() + " " + number(bill.payable(), 2));
    bill.notes().forEach(note -> out.println("  * " + note));
    out.println();
  }

  private void table(
      String item,
      String quantity,
      String price,
      String amount,
      List<LineItem> lines,
      boolean money) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {item, quantity, price, amount});
    for (LineItem line : lines) {
      rows.add(
          new String[] {
            line.description(),
            number(line.quantity(), 0) + " " + line.unit(),
            number(line.unitPrice(), money ? 2 : 0),
            number(line.amount(), money ? 2 : 0)
          });
    }
    int[] widths = new int[4];
    rows.forEach(
        row -> {
          for (int i = 0; i < 4; i++) {
            widths[i] = Math.max(widths[i], row[i].length());
          }
        });
    for (String[] row : rows) {
      out.printf(
          "| %-" + widths[0] + "s | %" + widths[1] + "s | %" + widths[2] + "s | %" + widths[3]
              + "s |%n",
          (Object[]) row);
    }
  }

  /** Exact, grouped, at least {@code minFraction} decimals, no trailing zeros beyond that. */
  static String number(BigDecimal value, int minFraction) {
    BigDecimal stripped = value.stripTrailingZeros();
    int scale = Math.max(minFraction, Math.max(0, stripped.scale()));
    DecimalFormat format =
        new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
    format.setMinimumFractionDigits(scale);
    format.setMaximumFractionDigits(scale);
    format.setRoundingMode(RoundingMode.UNNECESSARY);
    return format.format(stripped.setScale(scale, RoundingMode.UNNECESSARY));
  }
}
