package io.gpureservation.core.planner;

import static io.gpureservation.core.planner.PlanFixtures.l20;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Concurrent demand, its percentiles and the synthetic tide (docs/planner.md). */
class DemandTest {
  @Test
  void podsEndingAndStartingAtTheSameInstantDoNotOverlap() {
    List<PodRun> runs =
        List.of(
            l20("ns", "2026-11-02T08:00:00Z", "2026-11-02T09:00:00Z"),
            l20("ns", "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z"));
    Demand demand = Demand.of(runs, new Span(runs.get(0).startMillis(), runs.get(1).endMillis()));
    assertThat(demand.peak()).isEqualTo(1);
    assertThat(demand.podMillis()).isEqualTo(Duration.ofHours(2).toMillis());
    assertThat(demand.percentile(new BigDecimal("100"))).isEqualTo(1);
  }

  @Test
  void generatedTraceFollowsTheTideAndIsReproducible() {
    TidalTraceGenerator generator =
        new TidalTraceGenerator(
            Instant.parse("2026-11-02T00:00:00Z"),
            Duration.ofDays(7),
            ZoneId.of("Asia/Shanghai"),
            TidalTraceGenerator.DEFAULT_MIX);
    List<PodRun> runs = generator.generate(5000, 42);
    assertThat(runs).hasSize(5000).isEqualTo(generator.generate(5000, 42));
    long daytime =
        runs.stream()
            .filter(
                r -> {
                  int hour =
                      Instant.ofEpochMilli(r.startMillis())
                          .atZone(ZoneId.of("Asia/Shanghai"))
                          .getHour();
                  return hour >= 9 && hour < 19;
                })
            .count();
    // 10 plateau hours out of 24 take most arrivals: the night floor is a tenth of the plateau
    assertThat(daytime).isGreaterThan(3000);
    assertThat(runs.stream().map(PodRun::namespace).distinct())
        .containsExactlyInAnyOrder("inference", "batch", "research");
    assertThat(runs).allMatch(r -> r.endMillis() - r.startMillis() >= 1000);
  }
}
