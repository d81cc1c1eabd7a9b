package io.gpureservation.cli;

import io.gpureservation.core.planner.Option;
import io.gpureservation.core.planner.ProposedReservation;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text forms shared by the table and the HTML report. */
final class PlanFormat {
  private PlanFormat() {}

  /** Cents with thousands separators: 12,345.60. */
  static String money(BigDecimal amount) {
    DecimalFormat format =
        new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
    return format.format(amount);
  }

  static String percent(BigDecimal value) {
    return value.toPlainString() + " %";
  }

  static String utilisation(Option option) {
    return option.utilisation().map(PlanFormat::percent).orElse("-");
  }

  static String breakEven(Option option) {
    if (option.guaranteedSlotMillis() == 0) {
      return "-";
    }
    return option.breakEven().map(PlanFormat::percent).orElse("never");
  }

  /** {@code PT12H} as {@code 12h}, {@code PT1H30M} as {@code 1h30m}. */
  static String duration(Duration d) {
    String text = d.toString().substring(2).toLowerCase(Locale.ROOT);
    return text.isEmpty() ? "0s" : text;
  }

  /** One line per proposed reservation: its quantity and windows. */
  static List<String> reservations(List<ProposedReservation> proposed) {
    List<String> lines = new ArrayList<>();
    for (ProposedReservation r : proposed) {
      if (r.alwaysOn()) {
        lines.add(r.quantity() + " slot(s) always on");
        continue;
      }
      List<String> windows = new ArrayList<>();
      for (ProposedReservation.Window w : r.windows()) {
        String lead = w.leadTime().isZero() ? "" : " (lead " + duration(w.leadTime()) + ")";
        windows.add("\"" + w.cron() + "\" for " + duration(w.duration()) + lead);
      }
      lines.add(r.quantity() + " slot(s) live " + String.join("; ", windows));
    }
    return lines;
  }
}
