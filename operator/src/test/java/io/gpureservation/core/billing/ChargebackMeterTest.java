package io.gpureservation.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChargebackMeterTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final ChargebackMeter.Key PAYG =
      new ChargebackMeter.Key("team-a", "L20", "pay-as-you-go");

  // The example pay-as-you-go rate of a 2-card L20 pod: 2 x 1.80 an hour (docs/billing.md).
  private static ChargebackMeter.Running pod(String uid, Instant since) {
    return new ChargebackMeter.Running(uid, PAYG, 2, new BigDecimal("3.60"), since);
  }

  @Test
  void aRunningPodIsCountedOnceForEachStretchOfTime() {
    ChargebackMeter meter = new ChargebackMeter(T0);

    meter.observe(T0.plusSeconds(1800), List.of(pod("a", T0)));
    meter.observe(T0.plusSeconds(3600), List.of(pod("a", T0)));

    ChargebackMeter.Totals t = meter.totals().get(PAYG);
    assertThat(t.gpuSeconds()).isEqualByComparingTo("7200"); // 2 cards x 3600 s
    assertThat(t.cost()).isEqualByComparingTo("3.60");
  }

  @Test
  void timeBeforeTheMeterStartedOrBeforeBillingBeganIsNotCounted() {
    ChargebackMeter meter = new ChargebackMeter(T0);

    meter.observe(
        T0.plusSeconds(60),
        List.of(pod("old", T0.minusSeconds(3600)), pod("new", T0.plusSeconds(30))));

    // old: 60 s since the meter started; new: 30 s since its billing began; 2 cards each
    assertThat(meter.totals().get(PAYG).gpuSeconds()).isEqualByComparingTo("180");
  }

  @Test
  void aPodThatComesBackAfterEndingIsCountedFromItsNewBillingStart() {
    ChargebackMeter meter = new ChargebackMeter(T0);
    meter.observe(T0.plusSeconds(10), List.of(pod("a", T0)));
    meter.observe(T0.plusSeconds(20), List.of());

    meter.observe(T0.plusSeconds(40), List.of(pod("a", T0.plusSeconds(35))));

    assertThat(meter.totals().get(PAYG).gpuSeconds()).isEqualByComparingTo("30"); // 2x10 + 2x5
  }

  @Test
  void costRoundsOnceFromTheExactSum() {
    ChargebackMeter meter = new ChargebackMeter(T0);
    ChargebackMeter.Key t4 = new ChargebackMeter.Key("ns", "T4", "pay-as-you-go");
    for (int s = 1; s <= 3600; s++) {
      meter.observe(
          T0.plusSeconds(s),
          List.of(new ChargebackMeter.Running("t4", t4, 1, new BigDecimal("0.70"), T0)));
    }

    assertThat(meter.totals().get(t4).cost()).isEqualByComparingTo("0.700000");
  }
}
