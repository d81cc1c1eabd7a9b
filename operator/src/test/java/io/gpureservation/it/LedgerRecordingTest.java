package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How ReplayIT reads pods' runs from a reservation's status writes (docs/planner.md). */
class LedgerRecordingTest {
  private static final Instant T0 = Instant.parse("2026-11-24T05:00:00Z");

  private static LedgerRecording.Write write(long millis, String... pods) {
    return new LedgerRecording.Write(T0.plusMillis(millis), Set.of(pods));
  }

  @Test
  void aPodRunsFromTheWriteThatFirstHoldsItToTheWriteThatNoLongerDoes() {
    Map<String, Instant[]> runs =
        LedgerRecording.recordedRuns(
            List.of(
                write(0),
                write(3_400, "b"),
                write(9_200, "b", "c"),
                write(12_300, "c"),
                write(20_100)),
            List.of());

    assertThat(runs.get("b")).containsExactly(T0.plusMillis(3_400), T0.plusMillis(12_300));
    assertThat(runs.get("c")).containsExactly(T0.plusMillis(9_200), T0.plusMillis(20_100));
  }

  @Test
  void betweenTwoWritesAroundAnEdgeTheCountsSwitchAtTheEdge() {
    // docs/time-windows.md, "Accrual": the write after startAt counts from startAt, and the one
    // after releaseAt stops the previous counts there
    Instant start = T0.plusMillis(1_000);
    Instant release = T0.plusMillis(30_000);
    Map<String, Instant[]> runs =
        LedgerRecording.recordedRuns(
            List.of(write(0), write(1_007, "steady"), write(30_006)), List.of(start, release));

    assertThat(runs.get("steady")).containsExactly(start, release);
  }
}
