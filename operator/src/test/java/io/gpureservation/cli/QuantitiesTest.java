package io.gpureservation.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Kubernetes quantities in trace files (docs/planner.md, "Trace format"). */
class QuantitiesTest {
  @Test
  void cpuIsRoundedUpToMillicores() {
    assertThat(Quantities.cpuMillis("8")).isEqualTo(8000);
    assertThat(Quantities.cpuMillis("500m")).isEqualTo(500);
    assertThat(Quantities.cpuMillis("0.0005")).isEqualTo(1);
    assertThat(Quantities.cpuMillis("1e1")).isEqualTo(10_000);
  }

  @Test
  void memoryTakesBinaryAndDecimalSuffixes() {
    assertThat(Quantities.bytes("32Gi")).isEqualTo(32L << 30);
    assertThat(Quantities.bytes("1.5G")).isEqualTo(1_500_000_000L);
    assertThat(Quantities.bytes("128974848")).isEqualTo(128_974_848L);
    assertThat(Quantities.bytes("129e6")).isEqualTo(129_000_000L);
    assertThat(Quantities.bytes("1Ki")).isEqualTo(1024);
  }

  @Test
  void anythingElseIsRefused() {
    assertThatThrownBy(() -> Quantities.parse("8 cores"))
        .hasMessage("not a Kubernetes quantity (e.g. 500m, 16, 64Gi): 8 cores");
    assertThatThrownBy(() -> Quantities.parse("-1")).hasMessage("must not be negative: -1");
    assertThatThrownBy(() -> Quantities.parse("Gi")).hasMessageStartingWith("not a Kubernetes");
  }
}
