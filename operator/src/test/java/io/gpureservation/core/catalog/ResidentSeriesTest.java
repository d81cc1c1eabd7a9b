package io.gpureservation.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/billing.md, "Which pool sells a card type": cardTypes.<type>.residentSeries. */
class ResidentSeriesTest {
  @Test
  void theBundledCatalogSellsL20OnAdaPoolsOnly() {
    Catalog catalog = Catalog.defaults();
    assertThat(catalog.residentSeriesOf("L20")).contains("Ada");
    assertThat(catalog.residentSeriesOf("nvidia-l20")).contains("Ada");
    assertThat(catalog.residentSeriesOf("A10")).isEmpty();
    assertThat(catalog.residentSeriesOf("H100")).isEmpty();
  }

  @Test
  void aCatalogFileMapsMoreCardTypes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(file, "cardTypes:\n  A10: {residentSeries: Ada.2}\n");
    assertThat(Catalog.load(file).residentSeriesOf("A10")).contains("Ada.2");
  }

  @Test
  void anUnknownSeriesIsRefusedNamingTheField(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("catalog.yaml");
    Files.writeString(file, "cardTypes:\n  A10: {residentSeries: Volta}\n");
    assertThatThrownBy(() -> Catalog.load(file))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("field cardTypes.A10.residentSeries: Volta names no series");
  }
}
