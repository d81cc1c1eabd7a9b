package io.gpureservation.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogTest {
  private static final long GIB = 1L << 30;
  private final Catalog catalog = Catalog.defaults();

  /**
   * "Container Compute Service: GPU Pod capacity reservation", "Supported GPU specifications",
   * every row (docs/billing.md, catalog).
   */
  @ParameterizedTest(name = "{0} x{1}: {2} vCPU, {3} GiB, {4} GB/card")
  @CsvSource({
    "L20,1,16,128,48",
    "L20,2,32,230,48",
    "L20,4,64,460,48",
    "L20,8,128,920,48",
    "T4,1,24,90,16",
    "T4,2,48,180,16",
    "A10,1,16,60,24",
    "A10,2,32,120,24",
    "A10,4,64,240,24",
    "A10,8,128,480,24",
    "P16EN,1,10,80,96",
    "P16EN,2,22,225,96",
    "P16EN,4,46,450,96",
    "P16EN,8,92,900,96",
    "P16EN,16,184,1800,96",
    "GU8TF,1,16,128,96",
    "GU8TF,2,46,230,96",
    "GU8TF,4,92,460,96",
    "GU8TF,8,184,920,96",
    "GU8TEF,1,22,225,141",
    "GU8TEF,2,46,450,141",
    "GU8TEF,4,92,900,141",
    "GU8TEF,8,184,1800,141",
    "L20X,1,22,225,141",
    "L20X,2,46,450,141",
    "L20X,4,92,900,141",
    "L20X,8,184,1800,141"
  })
  void acsCapacityReservation_specTable(
      String type, int cards, long vcpu, long memoryGiB, int gpuMemoryGB) {
    assertThat(catalog.cardSpec(type, cards))
        .contains(new CardSpec(type, cards, vcpu * 1000, memoryGiB * GIB, gpuMemoryGB));
  }

  @Test
  void cardSpec_isEmptyForACardCountNotInTheTable() {
    assertThat(catalog.cardSpec("T4", 4)).isEmpty();
    assertThat(catalog.cardSpec("H100", 1)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "L20,L20",
    "l20,L20",
    "GN8IS,L20",
    "NVIDIA-L20,L20",
    "nvidia-l20,L20",
    "L20X,L20X",
    "GX8SF,L20X",
    "NVIDIA-L20X,L20X",
    "NVIDIA-A10,A10",
    "Tesla-T4,T4",
    "NVIDIA-T4,T4",
    "NVIDIA-Tesla-T4,T4",
    "P16EN,P16EN",
    "gu8tf,GU8TF",
    "GU8TEF,GU8TEF"
  })
  void canonicalCardType_resolvesNamesAndAliasesIgnoringCase(String name, String canonical) {
    assertThat(catalog.canonicalCardType(name)).contains(canonical);
  }

  @Test
  void canonicalCardType_isEmptyForUnknownNames() {
    assertThat(catalog.canonicalCardType("NVIDIA-H100")).isEmpty();
    assertThat(catalog.canonicalCardType("")).isEmpty();
    assertThat(catalog.canonicalCardType(null)).isEmpty();
  }

  @Test
  void slotRates_areCardsTimesThePerCardExampleRate() {
    BigDecimal perCardReservation = catalog.reservationHourlyRate("L20", 1).orElseThrow();
    BigDecimal perCardPayg = catalog.payAsYouGoHourlyRate("L20", 1).orElseThrow();
    assertThat(catalog.reservationHourlyRate("NVIDIA-L20", 4))
        .contains(perCardReservation.multiply(BigDecimal.valueOf(4)));
    assertThat(catalog.payAsYouGoHourlyRate("GN8IS", 8))
        .contains(perCardPayg.multiply(BigDecimal.valueOf(8)));
    assertThat(perCardReservation).isLessThan(perCardPayg);
    assertThat(catalog.reservationHourlyRate("T4", 3)).isEmpty();
  }

  /** fc-resident-resource-pool.txt, price tables. */
  @ParameterizedTest(name = "{0} {1}: USD {2}")
  @CsvSource({
    "cn-hangzhou,Ada,1026",
    "cn-shanghai,Ada.2,908",
    "cn-beijing,Ada.3,1320",
    "cn-wulanchabu,Xpu.1,1507",
    "cn-shenzhen,Hopper,2887",
    "us-east-1,Ada,1048",
    "us-east-1,Hopper,3027",
    "eu-central-1,Ada,1576",
    "eu-central-1,hopper,4032",
    "ap-southeast-1,ada,1289",
    "ap-southeast-1,HOPPER,3537"
  })
  void residentPool_cardMonthlyPrices(String region, String series, BigDecimal price) {
    assertThat(catalog.residentCardMonthlyPrice(region, series))
        .hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo(price));
  }

  @Test
  void residentPool_seriesNotSoldInARegionHasNoPrice() {
    assertThat(catalog.residentCardMonthlyPrice("us-east-1", "Ada.2")).isEmpty();
    assertThat(catalog.residentCardMonthlyPrice("mars-1", "Ada")).isEmpty();
  }

  @Test
  void residentPool_seriesLookupIgnoresCase() {
    assertThat(catalog.residentCardSeries("ada")).contains("Ada");
    assertThat(catalog.residentCardSeries("xpu.1")).contains("Xpu.1");
    assertThat(catalog.residentCardSeries("hopper")).contains("Hopper");
    assertThat(catalog.residentCardSeries("Volta")).isEmpty();
    assertThat(catalog.residentCardSeriesSpec("Hopper").orElseThrow().vcpu()).isEqualTo(16);
  }

  /** fc-resident-resource-pool.txt, "Disk pricing by region". */
  @ParameterizedTest(name = "{0}: USD {1}/GB/month")
  @CsvSource({
    "cn-hangzhou,0.17", "cn-shanghai,0.17", "cn-beijing,0.17", "cn-wulanchabu,0.17",
    "cn-shenzhen,0.17", "us-east-1,0.21", "eu-central-1,0.21", "ap-southeast-1,0.21"
  })
  void residentPool_diskPrices(String region, BigDecimal price) {
    assertThat(catalog.residentDiskPricePerGBMonth(region))
        .hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo(price));
  }

  @Test
  void functionCompute_keepsTheExactDecimalsOfThePriceList() {
    var fc = catalog.functionCompute();
    assertThat(fc.tiers().get(0).list()).isEqualByComparingTo("0.000020");
    assertThat(fc.tiers().get(2).upToCu()).isNull();
    assertThat(fc.cuFactors().gpu().get("Tesla").active()).isEqualByComparingTo("2.1");
    assertThat(fc.gpuIdle2024().perCu().get("CNY").active()).isEqualByComparingTo("0.00011");
  }

  @Test
  void load_mergesAUserFileOverTheDefaults(@TempDir Path dir) throws Exception {
    Path file =
        writeCatalog(
            dir,
            """
        cardTypes:
          L20:
            exampleRates: {reservationPerCardHour: 0.10, payAsYouGoPerCardHour: 1.00}
          H20:
            aliases: [NVIDIA-H20]
            gpuMemoryGB: 96
            exampleRates: {reservationPerCardHour: 0.5, payAsYouGoPerCardHour: 2}
            specs: [{cards: 1, vcpu: 16, memoryGiB: 120}]
        residentPool:
          regions:
            us-east-1: {cardMonthly: {Ada: 999}}
        """);
    Catalog merged = Catalog.load(file);
    assertThat(merged.reservationHourlyRate("L20", 2)).contains(new BigDecimal("0.20"));
    assertThat(merged.cardSpec("L20", 8)).isEqualTo(catalog.cardSpec("L20", 8));
    assertThat(merged.canonicalCardType("nvidia-h20")).contains("H20");
    // a mapping merges key by key: the Hopper price and the disk price stay
    assertThat(merged.residentCardMonthlyPrice("us-east-1", "Ada")).contains(new BigDecimal("999"));
    assertThat(merged.residentCardMonthlyPrice("us-east-1", "Hopper"))
        .isEqualTo(catalog.residentCardMonthlyPrice("us-east-1", "Hopper"));
    assertThat(merged.residentDiskPricePerGBMonth("us-east-1"))
        .isEqualTo(catalog.residentDiskPricePerGBMonth("us-east-1"));
  }

  @Test
  void load_replacesLists(@TempDir Path dir) throws Exception {
    Path file =
        writeCatalog(
            dir, "functionCompute:\n  tiers:\n    - {list: 0.00001, promotional: 0.00001}\n");
    assertThat(Catalog.load(file).functionCompute().tiers()).hasSize(1);
  }

  @Test
  void regionRates_overrideTheExampleRatePerRegionAndFallBackOtherwise(@TempDir Path dir)
      throws Exception {
    // docs/billing.md, "Region rates": a listed rate wins; a rate not listed for the region, an
    // unlisted region and no region all fall back to the card type's example rate.
    Path file =
        writeCatalog(
            dir,
            "cardTypes:\n  L20:\n    regionRates:\n"
                + "      cn-hangzhou: {reservationPerCardHour: 0.50}\n"
                + "      us-east-1: {reservationPerCardHour: 0.70, payAsYouGoPerCardHour: 2.10}\n");
    Catalog merged = Catalog.load(file);

    assertThat(merged.reservationHourlyRate("L20", 2, "CN-Hangzhou"))
        .contains(new BigDecimal("1.00"));
    assertThat(merged.payAsYouGoHourlyRate("L20", 2, "cn-hangzhou"))
        .isEqualTo(catalog.payAsYouGoHourlyRate("L20", 2));
    assertThat(merged.payAsYouGoHourlyRate("NVIDIA-L20", 1, "us-east-1"))
        .contains(new BigDecimal("2.10"));
    assertThat(merged.reservationHourlyRate("L20", 1, "eu-central-1"))
        .isEqualTo(catalog.reservationHourlyRate("L20", 1));
    assertThat(merged.reservationHourlyRate("L20", 1, null))
        .isEqualTo(catalog.reservationHourlyRate("L20", 1));
    assertThat(merged.reservationHourlyRate("L20", 3, "us-east-1")).isEmpty();
  }

  @Test
  void savingsPlanTypes_areExampleTermsAndDiscounts() {
    var oneYear = catalog.savingsPlanType("GPU-1y").orElseThrow();
    assertThat(oneYear.termMonths()).isEqualTo(12);
    assertThat(oneYear.discount()).isEqualByComparingTo("0.20");
    assertThat(oneYear.cardTypes()).isEmpty();
    assertThat(catalog.savingsPlanType("gpu-3y").orElseThrow().discount())
        .isEqualByComparingTo("0.35");
    assertThat(catalog.savingsPlanType("none")).isEmpty();
  }

  static Stream<Arguments> badCatalogs() {
    return Stream.of(
        Arguments.of(
            "negative price",
            "residentPool:\n  regions:\n    cn-hangzhou: {diskPerGBMonth: -1}\n",
            "field residentPool.regions.cn-hangzhou.diskPerGBMonth must not be negative"),
        Arguments.of("malformed YAML", "cardTypes: [unclosed\n", "malformed YAML"),
        Arguments.of(
            "wrong type",
            "functionGraph:\n  freeRequestsPerMonth: lots\n",
            "field functionGraph.freeRequestsPerMonth"),
        Arguments.of(
            "card count below 1",
            "cardTypes:\n  T4:\n    specs: [{cards: 0, vcpu: 1, memoryGiB: 1}]\n",
            "field cardTypes.T4.specs[0].cards must be at least 1"),
        Arguments.of(
            "tier bounds not increasing",
            "functionCompute:\n  tiers:\n    - {upToCu: 5, list: 1, promotional: 1}\n"
                + "    - {upToCu: 5, list: 1, promotional: 1}\n    - {list: 1, promotional: 1}\n",
            "field functionCompute.tiers[1].upToCu must increase"),
        Arguments.of(
            "price for an unknown series",
            "residentPool:\n  regions:\n    us-east-1: {cardMonthly: {Volta: 1}}\n",
            "field residentPool.regions.us-east-1.cardMonthly.Volta names no series"),
        Arguments.of(
            "savings plan discount above 1",
            "savingsPlans:\n  gpu-1y: {discount: 1.2}\n",
            "field savingsPlans.gpu-1y.discount must be between 0 and 1"),
        Arguments.of(
            "savings plan discount below 0",
            "savingsPlans:\n  gpu-1y: {discount: -0.1}\n",
            "field savingsPlans.gpu-1y.discount must be between 0 and 1"),
        Arguments.of(
            "savings plan term of no months",
            "savingsPlans:\n  gpu-1y: {termMonths: 0}\n",
            "field savingsPlans.gpu-1y.termMonths must be at least 1"),
        Arguments.of(
            "savings plan for an unknown card type",
            "savingsPlans:\n  h100: {termMonths: 12, discount: 0.1, cardTypes: [H100]}\n",
            "field savingsPlans.h100.cardTypes: unknown card type H100"),
        Arguments.of(
            "negative region rate",
            "cardTypes:\n  L20:\n    regionRates:\n      cn-hangzhou: {payAsYouGoPerCardHour: -1}\n",
            "field cardTypes.L20.regionRates.cn-hangzhou.payAsYouGoPerCardHour must not be negative"),
        Arguments.of(
            "alias of two card types",
            "cardTypes:\n  T4:\n    aliases: [NVIDIA-L20]\n",
            "NVIDIA-L20 already names L20"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCatalogs")
  void load_rejectsABadFileNamingTheField(
      String why, String yaml, String message, @TempDir Path dir) throws Exception {
    Path file = writeCatalog(dir, yaml);
    assertThatThrownBy(() -> Catalog.load(file))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(message);
  }

  private static Path writeCatalog(Path dir, String yaml) throws java.io.IOException {
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
