package io.gpureservation.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpureservation.core.billing.CuTiers.PriceList;
import io.gpureservation.core.billing.FcCuPricing.FunctionCycle;
import io.gpureservation.core.billing.FcUsageMeter.Spec;
import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden tests from fc-cu-billing.zh.txt (digest: fc-cu-billing.en.md). */
class FcCuPricingTest {
  private static final long HOUR = 3_600_000L;
  private final Catalog catalog = Catalog.defaults();
  private final FcCuPricing pricing = new FcCuPricing(catalog.functionCompute());
  private final FcUsageMeter meter =
      new FcUsageMeter(catalog.functionCompute().cuFactors().diskFreeGB());

  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  // --- 资源使用项 table: one example per usage item ---

  @Test
  void fcCuBilling_activeVcpuExample_1vCPU_1500ms_is_1_5vCPUs() {
    assertThat(FcUsageMeter.vcpuSeconds(d("1"), 1500)).isEqualByComparingTo("1.5");
  }

  @Test
  void fcCuBilling_memoryExample_512MB_1500ms_is_0_75GBs() {
    assertThat(FcUsageMeter.memoryGBSecondsFromMB(d("512"), 1500)).isEqualByComparingTo("0.75");
  }

  @Test
  void fcCuBilling_diskExample_10GB_1s_is_9_5GBs_first512MBFree() {
    assertThat(meter.diskGBSeconds(d("10"), 1000)).isEqualByComparingTo("9.5");
    assertThat(meter.diskGBSeconds(d("0.5"), 1000)).isEqualByComparingTo("0");
  }

  @Test
  void fcCuBilling_activeGpuExample_Ada48GB_1s_is_48GBs() {
    assertThat(FcUsageMeter.gpuGBSeconds(d("48"), 1000)).isEqualByComparingTo("48");
  }

  @Test
  void fcCuBilling_idleGpuExample_Ada48GB_reserved50h_10hActive_is_6_912_000GBs() {
    Spec ada = new Spec(d("8"), d("64"), d("0.5"), "Ada", d("48"));
    FcUsage usage = meter.reserved(ada, 10 * HOUR, 40 * HOUR, true, BigDecimal.ZERO);
    assertThat(usage.idleGpuGBSeconds()).isEqualByComparingTo("6912000");
    assertThat(usage.activeGpuGBSeconds()).isEqualByComparingTo("1728000");
  }

  // --- 计费示例: the monthly example ---

  @Test
  void fcCuBilling_monthlyExample_1_600_000_000CU_is_USD24200() {
    FcUsage month =
        new FcUsage(
            d("12000000000"),
            d("800000000"),
            d("0"),
            d("2000000000"),
            d("0"),
            "Tesla",
            d("100000000"),
            d("400000000"));
    Bill bill =
        pricing.bill(
            List.of(new FunctionCycle("all", month)),
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            PriceList.LIST);

    assertThat(bill.usageLine("Active vCPU").amount()).isEqualByComparingTo("800000000");
    assertThat(bill.usageLine("Memory").amount()).isEqualByComparingTo("300000000");
    assertThat(bill.usageLine("Disk").amount()).isEqualByComparingTo("0");
    assertThat(bill.usageLine("Tesla active GPU").amount()).isEqualByComparingTo("210000000");
    assertThat(bill.usageLine("Tesla idle GPU").amount()).isEqualByComparingTo("200000000");
    assertThat(bill.usageLine("Invocations").amount()).isEqualByComparingTo("90000000");
    assertThat(bill.usageTotal()).isEqualByComparingTo("1600000000");
    // 0.000020 × 100,000,000 + 0.000017 × 400,000,000 + 0.000014 × 1,100,000,000
    assertThat(bill.charges())
        .extracting(LineItem::quantity)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(d("100000000"), d("400000000"), d("1100000000"));
    assertThat(bill.charges())
        .extracting(LineItem::amount)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(d("2000"), d("6800"), d("15400"));
    assertThat(bill.payable()).isEqualByComparingTo("24200.00");
  }

  // --- 预留实例计费示例 ---

  @Test
  void fcCuBilling_cpuReservedExample_33_600CU_is_USD0_67() {
    Bill bill =
        reserved50hWith10hActiveAnd1MillionCalls(
            new Spec(d("0.35"), d("0.5"), d("0.5"), null, d("0")));
    // the page's table: usage item | usage | CU
    assertUsageTable(
        bill,
        new String[][] {
          {"Active vCPU", "12600", "12600"},
          {"Idle vCPU", "50400", "0"},
          {"Memory", "90000", "13500"},
          {"Disk", "0", "0"},
          {"Invocations", "1000000", "7500"}
        });
    assertThat(bill.usageTotal()).isEqualByComparingTo("33600");
    assertThat(bill.total()).isEqualByComparingTo("0.672");
    assertThat(bill.payable()).isEqualByComparingTo("0.67");
  }

  @Test
  void fcCuBilling_gpuReservedExample_3_521_100CU_is_USD70_42() {
    Bill bill =
        reserved50hWith10hActiveAnd1MillionCalls(
            new Spec(d("8"), d("32"), d("0.5"), "Tesla", d("16")));
    assertUsageTable(
        bill,
        new String[][] {
          {"Active vCPU", "288000", "288000"},
          {"Idle vCPU", "1152000", "0"},
          {"Memory", "5760000", "864000"},
          {"Disk", "0", "0"},
          {"Tesla active GPU", "576000", "1209600"},
          {"Tesla idle GPU", "2304000", "1152000"},
          {"Invocations", "1000000", "7500"}
        });
    assertThat(bill.usageTotal()).isEqualByComparingTo("3521100");
    assertThat(bill.total()).isEqualByComparingTo("70.422");
    assertThat(bill.payable()).isEqualByComparingTo("70.42");
  }

  private static void assertUsageTable(Bill bill, String[][] rows) {
    for (String[] row : rows) {
      LineItem line = bill.usageLine(row[0]);
      assertThat(line.quantity()).as(row[0] + " usage").isEqualByComparingTo(row[1]);
      assertThat(line.amount()).as(row[0] + " CU").isEqualByComparingTo(row[2]);
    }
  }

  /** Both reserved examples: 50 h in the month, 10 h active, 40 h idle (idle mode), 1e6 calls. */
  private Bill reserved50hWith10hActiveAnd1MillionCalls(Spec spec) {
    FcUsage usage = meter.reserved(spec, 10 * HOUR, 40 * HOUR, true, d("1000000"));
    return pricing.bill(
        List.of(new FunctionCycle("f", usage)), BigDecimal.ZERO, BigDecimal.ZERO, PriceList.LIST);
  }

  // --- 出账周期 and tiers ---

  @Test
  void fcCuBilling_billingCycle_eachFunctionsCuIsRoundedUpBeforeSumming() {
    // 1 vCPU for 1.5 s = 1.5 CU; two functions → 2 + 2 = 4 CU, not ceil(3) = 3
    FcUsage usage = FcUsage.cpu(BigDecimal.ZERO, d("1.5"), d("0"), d("0"), d("0"));
    Bill bill =
        pricing.bill(
            List.of(new FunctionCycle("a", usage), new FunctionCycle("b", usage)),
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            PriceList.LIST);
    assertThat(pricing.cycleCu(usage)).isEqualByComparingTo("2");
    assertThat(bill.usageTotal()).isEqualByComparingTo("3");
    assertThat(bill.charges().get(0).quantity()).isEqualByComparingTo("4");
    assertThat(bill.usageLine("a: Active vCPU").amount()).isEqualByComparingTo("1.5");
  }

  @Test
  void fcCuBilling_billingCycle_resourcePlanIsDeductedBeforePricing() {
    // 33,600 CU (CPU reserved example) with a plan covering 20,000 CU: 13,600 CU priced
    Bill bill =
        pricing.bill(
            List.of(new FunctionCycle("f", cpuReservedUsage())),
            d("0"),
            d("20000"),
            PriceList.LIST);
    assertThat(bill.charges().get(0).quantity()).isEqualByComparingTo("13600");
    Bill covered =
        pricing.bill(
            List.of(new FunctionCycle("f", cpuReservedUsage())),
            d("0"),
            d("50000"),
            PriceList.LIST);
    assertThat(covered.charges()).isEmpty();
    assertThat(covered.total()).isEqualByComparingTo("0");
  }

  private FcUsage cpuReservedUsage() {
    Spec cpu = new Spec(d("0.35"), d("0.5"), d("0.5"), null, d("0"));
    return meter.reserved(cpu, 10 * HOUR, 40 * HOUR, true, d("1000000"));
  }

  @Test
  void fcCuBilling_tiers_areCumulativeWithinTheMonth() {
    // 50,000,000 CU after 80,000,000 already this month: 20M at tier 1, 30M at tier 2
    List<LineItem> lines =
        new CuTiers(catalog.functionCompute().tiers())
            .price(d("80000000"), d("50000000"), PriceList.LIST);
    assertThat(lines)
        .extracting(LineItem::quantity)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(d("20000000"), d("30000000"));
    assertThat(Money.sum(lines)).isEqualByComparingTo("910"); // 400 + 510
  }

  @Test
  void fcCuBilling_monthlyExample_atPromotionalPrices() {
    // same 1.6e9 CU at 0.0000160 / 0.0000136 / 0.0000112: 1600 + 5440 + 12320
    List<LineItem> lines =
        new CuTiers(catalog.functionCompute().tiers())
            .price(BigDecimal.ZERO, d("1600000000"), PriceList.PROMOTIONAL);
    assertThat(Money.sum(lines)).isEqualByComparingTo("19360");
  }

  @Test
  void fcCuBilling_unknownGpuSeriesIsRefusedNamingTheField() {
    FcUsage usage = new FcUsage(d("0"), d("0"), d("0"), d("0"), d("0"), "Volta", d("1"), d("0"));
    assertThatThrownBy(() -> pricing.toCu(usage)).hasMessageStartingWith("gpuSeries");
  }

  @Test
  void fcCuBilling_negativeUsageIsRefusedNamingTheField() {
    assertThatThrownBy(() -> FcUsage.cpu(d("0"), d("-1"), d("0"), d("0"), d("0")))
        .hasMessageStartingWith("activeVcpuSeconds");
  }
}
