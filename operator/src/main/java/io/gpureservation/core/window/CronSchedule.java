package io.gpureservation.core.window;

import java.time.LocalDate;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A five-field cron expression (minute, hour, day of month, month, day of week) as Vixie cron and
 * the Kubernetes CronJob read it (docs/time-windows.md, "Cron syntax"): lists {@code 1,3}, ranges
 * {@code 1-5}, steps {@code *}{@code /15} and {@code 8-18/2}, month names {@code JAN..DEC}, weekday
 * names {@code SUN..SAT} (0 and 7 are Sunday), and the macros {@code @hourly}, {@code @daily},
 * {@code @weekly}, {@code @monthly}, {@code @yearly}. When both day of month and day of week are
 * restricted, a date matches if either does (the cron rule).
 */
public final class CronSchedule {
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek; // 0 = Sunday
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String expression, String[] f) {
    this.expression = expression;
    minutes = field("minute", f[0], 0, 59, null, 0);
    hours = field("hour", f[1], 0, 23, null, 0);
    daysOfMonth = field("day of month", f[2], 1, 31, null, 0);
    months = field("month", f[3], 1, 12, MONTHS, 1);
    BitSet dow = field("day of week", f[4], 0, 7, DAYS, 0);
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    daysOfWeek = dow;
    anyDayOfMonth = f[2].startsWith("*");
    anyDayOfWeek = f[4].startsWith("*");
  }

  /**
   * Parses a cron expression.
   *
   * @throws WindowException (field {@code cron}) naming the cron field and the problem
   */
  public static CronSchedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new WindowException("cron", "must not be empty");
    }
    String text = expression.trim();
    String expanded = text.startsWith("@") ? MACROS.get(text.toLowerCase(Locale.ROOT)) : text;
    if (expanded == null) {
      throw new WindowException("cron", "unknown macro " + text + "; one of " + MACROS.keySet());
    }
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      throw new WindowException(
          "cron",
          "needs 5 fields (minute hour day-of-month month day-of-week), got "
              + fields.length
              + ": "
              + text);
    }
    return new CronSchedule(text, fields);
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  /** Whether the schedule fires on this (local) date. */
  public boolean matches(LocalDate date) {
    if (!months.get(date.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(date.getDayOfMonth());
    boolean dow = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  /** Minutes of the day (0..1439) at which the schedule fires on a matching date, ascending. */
  public int[] minutesOfDay() {
    int[] result = new int[hours.cardinality() * minutes.cardinality()];
    int i = 0;
    for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
      for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
        result[i++] = h * 60 + m;
      }
    }
    return result;
  }

  private static BitSet field(
      String name, String text, int min, int max, String[] names, int base) {
    BitSet bits = new BitSet(max + 1);
    for (String item : text.split(",", -1)) {
      item(bits, name, item, min, max, names, base);
    }
    return bits;
  }

  private static void item(
      BitSet bits, String name, String item, int min, int max, String[] names, int base) {
    if (item.isEmpty()) {
      throw new WindowException("cron", name + ": empty list item");
    }
    String range = item;
    int step = 1;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      range = item.substring(0, slash);
      step = number(name, item.substring(slash + 1), 1, max - min + 1, null, 0);
    }
    int from;
    int to;
    if (range.equals("*")) {
      from = min;
      to = max;
    } else {
      int dash = range.indexOf('-');
      if (dash > 0) {
        from = number(name, range.substring(0, dash), min, max, names, base);
        to = number(name, range.substring(dash + 1), min, max, names, base);
        if (to < from) {
          throw new WindowException("cron", name + ": range " + range + " runs backwards");
        }
      } else {
        from = number(name, range, min, max, names, base);
        to = slash >= 0 ? max : from; // "5/15" means 5, 20, 35, 50
      }
    }
    for (int v = from; v <= to; v += step) {
      bits.set(v);
    }
  }

  private static int number(String name, String text, int min, int max, String[] names, int base) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(text)) {
          return i + base;
        }
      }
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new WindowException("cron", name + ": not a number: " + text);
    }
    if (value < min || value > max) {
      throw new WindowException(
          "cron", name + ": " + value + " is out of range " + min + "-" + max);
    }
    return value;
  }

  @Override
  public String toString() {
    return expression;
  }
}
