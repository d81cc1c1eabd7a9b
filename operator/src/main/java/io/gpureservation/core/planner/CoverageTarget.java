package io.gpureservation.core.planner;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How many concurrent pods of a shape a plan guarantees (docs/planner.md, "Coverage targets"): the
 * peak of concurrent demand, a time-weighted percentile of it ({@code p95}, {@code p99.9}), or a
 * fixed count ({@code 4}).
 */
public sealed interface CoverageTarget {
  /** The number of slots to guarantee for this demand. */
  int level(Demand demand);

  /** The target as written. */
  String text();

  /** Every concurrent pod: the highest concurrent demand. */
  record Peak() implements CoverageTarget {
    @Override
    public int level(Demand demand) {
      return demand.peak();
    }

    @Override
    public String text() {
      return "peak";
    }
  }

  /** The smallest level the demand stays at or below for {@code percent} % of the time. */
  record Percentile(BigDecimal percent) implements CoverageTarget {
    @Override
    public int level(Demand demand) {
      return demand.percentile(percent);
    }

    @Override
    public String text() {
      return "p" + percent.stripTrailingZeros().toPlainString();
    }
  }

  /** A fixed number of slots. */
  record Fixed(int count) implements CoverageTarget {
    @Override
    public int level(Demand demand) {
      return count;
    }

    @Override
    public String text() {
      return Integer.toString(count);
    }
  }

  /**
   * Parses {@code peak}, {@code pNN} (0 < NN <= 100, decimals allowed) or a whole number >= 0.
   *
   * @throws IllegalArgumentException with the accepted forms
   */
  static CoverageTarget parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.equals("peak")) {
        return new Peak();
      }
      if (t.startsWith("p")) {
        BigDecimal percent = new BigDecimal(t.substring(1));
        if (percent.signum() > 0 && percent.compareTo(BigDecimal.valueOf(100)) <= 0) {
          return new Percentile(percent);
        }
      } else {
        int count = Integer.parseInt(t);
        if (count >= 0) {
          return new Fixed(count);
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        "target " + text + ": use peak, a percentile such as p95, or a whole number of pods");
  }
}
