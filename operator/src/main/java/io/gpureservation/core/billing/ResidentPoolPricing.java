package io.gpureservation.core.billing;

import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Resident resource pool subscription fees and unsubscription refunds ({@code
 * fc-resident-resource-pool.txt}).
 *
 * <ul>
 *   <li>Subscription fee = cards × monthly card price × months + cards × billed disk per card (GB)
 *       × disk price per GB-month × months; billed disk per card = disk per card − the catalog's
 *       {@code residentPool.includedDiskPerCardGB} (0 by default). Exact products, no rounding.
 *   <li>Daily price = amount paid ÷ calendar days of the term, rounded UP to the cent (CEILING), so
 *       that a whole term always consumes at least what was paid.
 *   <li>Refund = paid − consumed; consumed = daily price × usage days (a started day counts), × 1.2
 *       when the exact usage duration is under 30 days (29 days and 1 hour is under; the rounded-up
 *       day count is not what decides), rounded to cents HALF_UP and capped at the amount paid (a
 *       refund is never negative).
 * </ul>
 */
public final class ResidentPoolPricing {
  /** Subscription terms the purchase page offers, in months. */
  public static final Set<Integer> TERMS_MONTHS = Set.of(1, 2, 3, 6, 12);

  public static final int MIN_DISK_PER_CARD_GB = 10;
  public static final int MAX_DISK_PER_CARD_GB = 60;
  public static final int DISK_STEP_GB = 10;

  /** Surcharge on consumption when the pool was used for less than 30 days. */
  public static final BigDecimal SHORT_USAGE_FACTOR = new BigDecimal("1.2");

  public static final Duration SHORT_USAGE = Duration.ofDays(30);

  private final Catalog catalog;

  public ResidentPoolPricing(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Itemised fee of a subscription (card fee, disk fee; {@link Bill#total()} is their exact sum).
   *
   * @throws IllegalArgumentException naming the field for an unknown region or series, a series not
   *     sold in the region, fewer than one card, a disk size off the 10..60 GB grid or a term not
   *     in {@link #TERMS_MONTHS}
   */
  public Bill subscriptionFee(
      String region, String cardSeries, int cards, int diskPerCardGB, int months) {
    String regionId =
        catalog
            .residentRegion(region)
            .orElseThrow(() -> new IllegalArgumentException("region: unknown region " + region));
    String series =
        catalog
            .residentCardSeries(cardSeries)
            .orElseThrow(
                () ->
                    new IllegalArgumentException("cardSeries: unknown card series " + cardSeries));
    BigDecimal cardPrice =
        catalog
            .residentCardMonthlyPrice(regionId, series)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "cardSeries: " + series + " is not sold in " + regionId));
    if (cards < 1) {
      throw new IllegalArgumentException("cards must be at least 1: " + cards);
    }
    requireDiskStep(diskPerCardGB);
    if (!TERMS_MONTHS.contains(months)) {
      throw new IllegalArgumentException("months must be one of 1, 2, 3, 6, 12: " + months);
    }
    BigDecimal diskPrice = catalog.residentDiskPricePerGBMonth(regionId).orElseThrow();
    int billedDisk = Math.max(0, diskPerCardGB - catalog.residentPool().includedDiskPerCardGB());
    BigDecimal cardMonths = BigDecimal.valueOf((long) cards * months);
    List<LineItem> lines = new ArrayList<>();
    lines.add(
        LineItem.of(
            series + " cards: " + cards + " x " + months + " month(s)",
            cardMonths,
            "card-month",
            cardPrice));
    lines.add(
        LineItem.of(
            "Disk: " + cards + " cards x " + billedDisk + " GB x " + months + " month(s)",
            cardMonths.multiply(BigDecimal.valueOf(billedDisk)),
            "GB-month",
            diskPrice));
    return Bill.of(
        "Resident resource pool: " + regionId + ", " + series,
        catalog.residentPool().currency(),
        lines,
        List.of("Disk per card " + diskPerCardGB + " GB; term " + months + " month(s)"));
  }

  /** Calendar days of a term of {@code months} starting on {@code start}. */
  public static long termDays(LocalDate start, int months) {
    return ChronoUnit.DAYS.between(start, start.plusMonths(months));
  }

  /**
   * Usage days between activation and unsubscription: every started day counts (a partial day is
   * rounded up), so 10 days and 1 hour of use are 11 usage days.
   */
  public static int usageDays(Instant activatedAt, Instant unsubscribedAt) {
    long millis = Duration.between(activatedAt, unsubscribedAt).toMillis();
    if (millis < 0) {
      throw new IllegalArgumentException("unsubscribedAt is before activatedAt");
    }
    return Math.toIntExact(ceilDiv(millis, Duration.ofDays(1).toMillis()));
  }

  /** The hours of a month in a card-hour price: 30 days of 24 hours. */
  static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(30 * 24);

  /**
   * What one card-hour of a subscription costs, for the chargeback meter of running pool pods
   * (docs/billing.md, "Chargeback metrics"): {@code monthlyFee / cards / (30 x 24 h)}, to 16
   * significant digits (DECIMAL64, half-even) — a rate, not an amount charged; zero for a pool of
   * no card.
   */
  public static BigDecimal cardHourly(BigDecimal monthlyFee, int cards) {
    Money.requireNonNegative(monthlyFee, "monthlyFee");
    if (cards <= 0) {
      return BigDecimal.ZERO;
    }
    return monthlyFee.divide(
        BigDecimal.valueOf(cards).multiply(HOURS_PER_MONTH), MathContext.DECIMAL64);
  }

  /** Daily price: {@code paid / termDays}, rounded up to the cent (CEILING). */
  public static BigDecimal dailyPrice(BigDecimal paid, long termDays) {
    Money.requireNonNegative(paid, "paid");
    if (termDays < 1) {
      throw new IllegalArgumentException("termDays must be at least 1: " + termDays);
    }
    return paid.divide(BigDecimal.valueOf(termDays), Money.CENTS, RoundingMode.CEILING);
  }

  /** {@link #refund(BigDecimal, BigDecimal, Duration)} for a usage of whole days. */
  public Bill refund(BigDecimal paid, BigDecimal dailyPrice, int usageDays) {
    if (usageDays < 0) {
      throw new IllegalArgumentException("usageDays must not be negative: " + usageDays);
    }
    return refund(paid, dailyPrice, Duration.ofDays(usageDays));
  }

  /**
   * Unsubscription refund after {@code usage}, itemised: the amount paid and the consumed amount
   * (negative); {@link Bill#total()} is the refund. Usage days are the started days of {@code
   * usage}; the 1.2 surcharge applies when {@code usage} itself is under 30 days.
   */
  public Bill refund(BigDecimal paid, BigDecimal dailyPrice, Duration usage) {
    Money.requireNonNegative(paid, "paid");
    Money.requireNonNegative(dailyPrice, "dailyPrice");
    if (usage.isNegative()) {
      throw new IllegalArgumentException("usage must not be negative: " + usage);
    }
    int usageDays = Math.toIntExact(ceilDiv(usage.toMillis(), Duration.ofDays(1).toMillis()));
    boolean shortUsage = usage.compareTo(SHORT_USAGE) < 0;
    BigDecimal factor = shortUsage ? SHORT_USAGE_FACTOR : BigDecimal.ONE;
    BigDecimal consumed =
        Money.cents(dailyPrice.multiply(BigDecimal.valueOf(usageDays)).multiply(factor)).min(paid);
    String rule =
        shortUsage
            ? "(daily price x " + usageDays + " days) x 1.2, under 30 days"
            : "daily price x " + usageDays + " days";
    List<LineItem> lines =
        List.of(
            new LineItem("Amount paid", BigDecimal.ONE, "order", paid, paid),
            new LineItem(
                "Consumed: " + rule,
                BigDecimal.valueOf(usageDays),
                "day",
                dailyPrice,
                consumed.negate()));
    return Bill.of(
        "Resident resource pool unsubscription refund",
        catalog.residentPool().currency(),
        lines,
        List.of("Refund = actual amount paid - consumed amount (never negative)"));
  }

  /**
   * Disk per card for a total disk need ({@code fc-resident-resource-pool.txt} FAQ: 240 GB over 6
   * cards → 40 GB): {@code totalGB / cards} rounded up to the next 10 GB step, at least 10.
   *
   * @throws IllegalArgumentException if more than 60 GB per card would be needed (buy more cards)
   */
  public static int diskPerCardGB(long totalDiskGB, int cards) {
    if (totalDiskGB < 0) {
      throw new IllegalArgumentException("totalDiskGB must not be negative: " + totalDiskGB);
    }
    if (cards < 1) {
      throw new IllegalArgumentException("cards must be at least 1: " + cards);
    }
    long perCard = ceilDiv(totalDiskGB, cards);
    long stepped = Math.max(MIN_DISK_PER_CARD_GB, ceilDiv(perCard, DISK_STEP_GB) * DISK_STEP_GB);
    if (stepped > MAX_DISK_PER_CARD_GB) {
      throw new IllegalArgumentException(
          "totalDiskGB: "
              + totalDiskGB
              + " GB over "
              + cards
              + " cards needs "
              + perCard
              + " GB per card, more than "
              + MAX_DISK_PER_CARD_GB
              + " GB");
    }
    return (int) stepped;
  }

  private static long ceilDiv(long dividend, long divisor) {
    return (dividend + divisor - 1) / divisor;
  }

  private static void requireDiskStep(int diskPerCardGB) {
    if (diskPerCardGB < MIN_DISK_PER_CARD_GB
        || diskPerCardGB > MAX_DISK_PER_CARD_GB
        || diskPerCardGB % DISK_STEP_GB != 0) {
      throw new IllegalArgumentException(
          "diskPerCardGB must be 10..60 in steps of 10: " + diskPerCardGB);
    }
  }
}
