package io.gpureservation.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/lending.md "Money": the lending rate per card type, and its default. */
class LendingRateTest {
  private final Catalog catalog = Catalog.defaults();

  @Test
  void byDefaultALentSlotCosts60PercentOfPayAsYouGo() {
    assertThat(catalog.lendingHourlyRate("L20", 1, null))
        .hasValueSatisfying(r -> assertThat(r).isEqualByComparingTo("1.08"));
    // k cards: k × the per-card rate, exact
    assertThat(catalog.lendingHourlyRate("L20", 2, null))
        .hasValueSatisfying(r -> assertThat(r).isEqualByComparingTo("2.16"));
    assertThat(catalog.lendingHourlyRate("A10", 1, null))
        .hasValueSatisfying(r -> assertThat(r).isEqualByComparingTo("0.72"));
    assertThat(catalog.lendingHourlyRate("L20", 3, null)).isEmpty(); // no 3-card specification
  }

  @Test
  void aCatalogMayNameTheRatePerCardTypeAndRegion(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(
        file,
        """
        cardTypes:
          L20:
            exampleRates: {lendingPerCardHour: 0.90}
            regionRates:
              cn-beijing: {payAsYouGoPerCardHour: 2.00}
              cn-shanghai: {lendingPerCardHour: 0.75}
        """);
    Catalog custom = Catalog.load(file);
    assertThat(custom.lendingHourlyRate("L20", 1, null))
        .hasValueSatisfying(r -> assertThat(r).isEqualByComparingTo("0.90"));
    assertThat(custom.lendingHourlyRate("L20", 1, "cn-shanghai"))
        .hasValueSatisfying(r -> assertThat(r).isEqualByComparingTo("0.75"));
    // the region names only pay-as-you-go: 60 % of the region's pay-as-you-go
    assertThat(custom.lendingHourlyRate("L20", 1, "cn-beijing"))
        .hasValueSatisfying(r -> assertThat(r).isEqualByComparingTo("1.20"));
  }

  @Test
  void aNegativeLendingRateIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(file, "cardTypes:\n  L20:\n    exampleRates: {lendingPerCardHour: -1}\n");
    assertThatThrownBy(() -> Catalog.load(file))
        .hasMessageContaining("cardTypes.L20.exampleRates.lendingPerCardHour");
  }
}
