package io.gpureservation.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Fee and refund cases built from the price tables of fc-resident-resource-pool.txt. */
class ResidentPoolPricingTest {
  private final ResidentPoolPricing pricing = new ResidentPoolPricing(Catalog.defaults());

  @Test
  void residentPool_diskSizingExample_240GBOver6Cards_is40GBPerCard() {
    // FAQ: 30 GB × 4 + 60 GB × 2 = 240 GB; 6 cards → 40 GB per card
    assertThat(ResidentPoolPricing.diskPerCardGB(30 * 4 + 60 * 2, 6)).isEqualTo(40);
  }

  @Test
  void residentPool_diskSizing_roundsUpToTheNext10GBStep_atLeast10() {
    assertThat(ResidentPoolPricing.diskPerCardGB(241, 6)).isEqualTo(50);
    assertThat(ResidentPoolPricing.diskPerCardGB(0, 3)).isEqualTo(10);
    assertThat(ResidentPoolPricing.diskPerCardGB(360, 6)).isEqualTo(60);
    assertThatThrownBy(() -> ResidentPoolPricing.diskPerCardGB(361, 6))
        .hasMessageStartingWith("totalDiskGB");
  }

  @Test
  void residentPool_fee_hangzhouAda_2cards_20GB_3months() {
    // cards: 2 × 1,026 × 3 = 6,156; disk: 2 × 20 GB × 0.17 × 3 = 20.40
    Bill bill = pricing.subscriptionFee("cn-hangzhou", "Ada", 2, 20, 3);
    assertThat(bill.charges().get(0).amount()).isEqualByComparingTo("6156");
    assertThat(bill.charges().get(1).amount()).isEqualByComparingTo("20.40");
    assertThat(bill.total()).isEqualByComparingTo("6176.40");
  }

  @Test
  void residentPool_fee_virginiaHopper_1card_60GB_12months() {
    // 3,027 × 12 = 36,324; 60 × 0.21 × 12 = 151.20
    Bill bill = pricing.subscriptionFee("us-east-1", "hopper", 1, 60, 12);
    assertThat(bill.total()).isEqualByComparingTo("36475.20");
  }

  @Test
  void residentPool_fee_frankfurtAndSingaporeAda_1month() {
    assertThat(pricing.subscriptionFee("eu-central-1", "Ada", 1, 10, 1).total())
        .isEqualByComparingTo("1578.10"); // 1,576 + 10 × 0.21
    assertThat(pricing.subscriptionFee("ap-southeast-1", "Ada", 4, 30, 6).total())
        .isEqualByComparingTo("31087.20"); // 4 × 1,289 × 6 = 30,936; 4 × 30 × 0.21 × 6 = 151.20
  }

  @Test
  void residentPool_fee_refusesBadInputNamingTheField() {
    assertThatThrownBy(() -> pricing.subscriptionFee("us-east-1", "Ada.2", 1, 10, 1))
        .hasMessageStartingWith("cardSeries");
    assertThatThrownBy(() -> pricing.subscriptionFee("mars-1", "Ada", 1, 10, 1))
        .hasMessageStartingWith("region");
    assertThatThrownBy(() -> pricing.subscriptionFee("cn-beijing", "Ada", 1, 15, 1))
        .hasMessageStartingWith("diskPerCardGB");
    assertThatThrownBy(() -> pricing.subscriptionFee("cn-beijing", "Ada", 1, 10, 4))
        .hasMessageStartingWith("months");
    assertThatThrownBy(() -> pricing.subscriptionFee("cn-beijing", "Ada", 0, 10, 1))
        .hasMessageStartingWith("cards");
  }

  @Test
  void residentPool_dailyPrice_isPaidOverTermDays_roundedUpToTheCent() {
    // 1 month from 2026-01-01 = 31 days; 1,026 / 31 = 33.0967… → 33.10
    long days = ResidentPoolPricing.termDays(LocalDate.of(2026, 1, 1), 1);
    assertThat(days).isEqualTo(31);
    assertThat(ResidentPoolPricing.dailyPrice(new BigDecimal("1026"), days))
        .isEqualByComparingTo("33.10");
    assertThat(ResidentPoolPricing.dailyPrice(new BigDecimal("3078"), 90))
        .isEqualByComparingTo("34.20");
  }

  @Test
  void residentPool_refund_under30Days_consumedIsDailyPriceTimesDaysTimes1_2() {
    // 3 months Hangzhou Ada (1 card, 10 GB): 3,078 + 5.10 = 3,083.10 over 90 days → 34.26/day
    BigDecimal paid = pricing.subscriptionFee("cn-hangzhou", "Ada", 1, 10, 3).total();
    BigDecimal daily = ResidentPoolPricing.dailyPrice(paid, 90);
    assertThat(daily).isEqualByComparingTo("34.26"); // 34.2566… rounded up
    Bill refund = pricing.refund(paid, daily, 10);
    // consumed = 34.26 × 10 × 1.2 = 411.12; refund = 3,083.10 − 411.12
    assertThat(refund.charges().get(1).amount()).isEqualByComparingTo("-411.12");
    assertThat(refund.total()).isEqualByComparingTo("2671.98");
  }

  @Test
  void residentPool_refund_30DaysOrMore_consumedIsDailyPriceTimesDays() {
    // 34.26 × 30 = 1,027.80; 3,083.10 − 1,027.80 = 2,055.30
    Bill refund = pricing.refund(new BigDecimal("3083.10"), new BigDecimal("34.26"), 30);
    assertThat(refund.total()).isEqualByComparingTo("2055.30");
    // one day less is under 30 days: 34.26 × 29 × 1.2 = 1,192.248 → 1,192.25
    assertThat(pricing.refund(new BigDecimal("3083.10"), new BigDecimal("34.26"), 29).total())
        .isEqualByComparingTo("1890.85");
  }

  @Test
  void residentPool_usageDays_countEveryStartedDay() {
    Instant activated = Instant.parse("2026-03-01T08:00:00Z");
    assertThat(ResidentPoolPricing.usageDays(activated, activated)).isZero();
    assertThat(ResidentPoolPricing.usageDays(activated, activated.plusSeconds(1))).isEqualTo(1);
    assertThat(ResidentPoolPricing.usageDays(activated, activated.plus(Duration.ofDays(10))))
        .isEqualTo(10);
    assertThat(
            ResidentPoolPricing.usageDays(
                activated, activated.plus(Duration.ofDays(10).plusHours(1))))
        .isEqualTo(11);
  }

  @Test
  void residentPool_refund_isNeverNegative_aWholeTermRefundsNothing() {
    BigDecimal paid = new BigDecimal("1026");
    long days = ResidentPoolPricing.termDays(LocalDate.of(2026, 2, 1), 1); // 28 days, ×1.2 applies
    BigDecimal daily = ResidentPoolPricing.dailyPrice(paid, days);
    assertThat(pricing.refund(paid, daily, (int) days).total()).isEqualByComparingTo("0");
    BigDecimal july = ResidentPoolPricing.dailyPrice(paid, 31);
    assertThat(pricing.refund(paid, july, 31).total()).isEqualByComparingTo("0");
  }

  // docs/billing.md, "Chargeback metrics": the card-hour of a pool is its monthly fee shared by
  // its cards over 30 days of 24 hours.
  @Test
  void aCardHourIsTheMonthlyFeeOverCardsAnd720Hours() {
    assertThat(ResidentPoolPricing.cardHourly(new BigDecimal("1440.00"), 2))
        .isEqualByComparingTo("1.00");
    assertThat(ResidentPoolPricing.cardHourly(new BigDecimal("1000"), 3).toPlainString())
        .isEqualTo("0.4629629629629630");
    assertThat(ResidentPoolPricing.cardHourly(new BigDecimal("1000"), 0)).isZero();
    assertThatThrownBy(() -> ResidentPoolPricing.cardHourly(new BigDecimal("-1"), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
