package io.gpureservation.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.billing.FunctionGraphPricing.OnDemand;
import io.gpureservation.core.billing.FunctionGraphPricing.Reserved;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.catalog.CatalogModel.FunctionGraphPrices;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden tests from functiongraph-billing.txt. */
class FunctionGraphPricingTest {
  private final Catalog catalog = Catalog.defaults();
  private final FunctionGraphPricing pricing = new FunctionGraphPricing(catalog.functionGraph());
  private final FunctionGraphPrices prices = catalog.functionGraph().examplePrices();

  @Test
  void functionGraph_reservedInstanceRuns51s_isBilledOneMinute() {
    assertThat(pricing.billedReservedSeconds(51_000)).isEqualTo(60);
  }

  @Test
  void functionGraph_reservedInstanceRuns61s_isBilled61s() {
    assertThat(pricing.billedReservedSeconds(61_000)).isEqualTo(61);
    assertThat(pricing.billedReservedSeconds(61_200)).isEqualTo(62);
  }

  @Test
  void functionGraph_executionRoundedUpToOneSecond_underOneSecondIsOneSecond() {
    assertThat(FunctionGraphPricing.billedExecutionSeconds(300)).isEqualTo(1);
    assertThat(FunctionGraphPricing.billedExecutionSeconds(1000)).isEqualTo(1);
    assertThat(FunctionGraphPricing.billedExecutionSeconds(1001)).isEqualTo(2);
  }

  @Test
  void functionGraph_freeQuotas_first1_000_000Requests_and400_000GBs() {
    // 2,500,000 requests; 1 GB × 500,000 executions × 1 s = 500,000 GB-s
    Bill bill = pricing.bill(2_500_000, List.of(new OnDemand("f", 1024, 500_000, 800)), List.of());
    LineItem requests = bill.charges().get(0);
    LineItem execution = bill.charges().get(1);
    assertThat(requests.quantity()).isEqualByComparingTo("1.5");
    assertThat(requests.amount())
        .isEqualByComparingTo(prices.perMillionRequests().multiply(new BigDecimal("1.5")));
    assertThat(execution.quantity()).isEqualByComparingTo("100000");
    assertThat(execution.amount())
        .isEqualByComparingTo(prices.perGBSecond().multiply(new BigDecimal("100000")));
  }

  @Test
  void functionGraph_withinFreeQuotas_costsNothing() {
    Bill bill = pricing.bill(999_999, List.of(new OnDemand("f", 512, 1000, 1500)), List.of());
    assertThat(bill.total()).isEqualByComparingTo("0");
  }

  @Test
  void functionGraph_reservedWithoutIdleMode_isMemoryTimesRunningDuration() {
    // 2 GB, 51 s → 60 s → 120 GB-s, all at the execution price (here within the free quota)
    Bill bill = pricing.bill(0, List.of(), List.of(new Reserved("r", 2048, 51_000, 10_000, false)));
    assertThat(bill.usage().get(0).amount()).isEqualByComparingTo("120");
    assertThat(bill.total()).isEqualByComparingTo("0");
  }

  @Test
  void functionGraph_idleModeFormula_idleTimeIsOutsideTheFreeQuota() {
    // 4 GB reserved for 1 day (86,400 s), executing 2 days' worth across 2 instances... keep one:
    // executing 100,000 s of 200,000 s lifetime: execution 400,000 GB-s (all free),
    // idle 4 × 100,000 = 400,000 GB-s at the idle price, no free quota.
    Bill bill =
        pricing.bill(
            0, List.of(), List.of(new Reserved("r", 4096, 200_000_000, 100_000_000, true)));
    assertThat(bill.charges().get(1).quantity()).isEqualByComparingTo("0");
    LineItem idle = bill.charges().get(2);
    assertThat(idle.quantity()).isEqualByComparingTo("400000");
    assertThat(bill.total())
        .isEqualByComparingTo(prices.idlePerGBSecond().multiply(new BigDecimal("400000")));
  }

  @Test
  void functionGraph_idleModeBeyondTheQuota_executionAboveQuotaAtExecutionPrice() {
    // 1 GB; execution 500,000 s of 600,000 s: (500,000 − 400,000) × exec + 100,000 × idle
    Bill bill =
        pricing.bill(
            0, List.of(), List.of(new Reserved("r", 1024, 600_000_000, 500_000_000, true)));
    BigDecimal expected =
        prices
            .perGBSecond()
            .multiply(new BigDecimal("100000"))
            .add(prices.idlePerGBSecond().multiply(new BigDecimal("100000")));
    assertThat(bill.total()).isEqualByComparingTo(expected);
  }

  @Test
  void functionGraph_negativeInputIsRefusedNamingTheField() {
    assertThatThrownBy(() -> new OnDemand("f", -1, 1, 1)).hasMessageStartingWith("f.memoryMB");
    assertThatThrownBy(() -> new Reserved("r", 1, 1000, 2000, true))
        .hasMessageStartingWith("r.executionSeconds");
  }
}
