package io.gpureservation.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Kubernetes resource quantities in trace files ({@code 500m}, {@code 16}, {@code 64Gi}, {@code
 * 1.5G}, {@code 1e3}): a decimal with an optional SI or binary suffix. Read as Kubernetes does for
 * requests: vCPU rounded up to millicores, memory up to whole bytes.
 */
final class Quantities {
  private static final String[] SUFFIXES = {
    "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "m", "k", "M", "G", "T", "P", "E"
  };
  private static final BigDecimal[] FACTORS = {
    BigDecimal.valueOf(1L << 10),
    BigDecimal.valueOf(1L << 20),
    BigDecimal.valueOf(1L << 30),
    BigDecimal.valueOf(1L << 40),
    BigDecimal.valueOf(1L << 50),
    BigDecimal.valueOf(1L << 60),
    new BigDecimal("0.001"),
    BigDecimal.TEN.pow(3),
    BigDecimal.TEN.pow(6),
    BigDecimal.TEN.pow(9),
    BigDecimal.TEN.pow(12),
    BigDecimal.TEN.pow(15),
    BigDecimal.TEN.pow(18)
  };
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private Quantities() {}

  /** vCPU in millicores, rounded up. */
  static long cpuMillis(String text) {
    return parse(text).multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Bytes, rounded up. */
  static long bytes(String text) {
    return parse(text).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /**
   * The quantity's value.
   *
   * @throws IllegalArgumentException for anything else, or a negative quantity
   */
  static BigDecimal parse(String text) {
    String number = text;
    BigDecimal factor = BigDecimal.ONE;
    for (int i = 0; i < SUFFIXES.length; i++) {
      if (text.endsWith(SUFFIXES[i]) && text.length() > SUFFIXES[i].length()) {
        number = text.substring(0, text.length() - SUFFIXES[i].length());
        factor = FACTORS[i];
        break;
      }
    }
    BigDecimal value;
    try {
      value = new BigDecimal(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a Kubernetes quantity (e.g. 500m, 16, 64Gi): " + text);
    }
    if (value.signum() < 0) {
      throw new IllegalArgumentException("must not be negative: " + text);
    }
    return value.multiply(factor);
  }
}
