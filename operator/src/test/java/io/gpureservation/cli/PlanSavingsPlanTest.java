package io.gpureservation.cli;

import static io.gpureservation.cli.PlanCommandTest.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpureservation.cli.PlanCommandTest.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan --savings-plan/--discount/--commitment} on examples/planner/day-shift.csv
 * (docs/planner.md, "Savings plans": gpu-1y best 1.44/hour saves 17.28; 2.00/hour saves 7.20).
 */
class PlanSavingsPlanTest {
  static final Path DAY_SHIFT = Path.of("..", "examples", "planner", "day-shift.csv");

  @Test
  void tableShowsTheCommitmentAskedAndTheBestOne() {
    Result r = plan(DAY_SHIFT.toString(), "--savings-plan", "gpu-1y", "--commitment", "2.00");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "Savings plan gpu-1y: 20 % off list, every region, every card type; every hour of"
                + " the trace in the term")
        .contains(
            "  usage at list (the cheapest option of each shape, hour by hour): USD 129.60 over"
                + " 48 hours")
        .contains("  commitment 2/hour: USD 122.40 with the plan, saves USD 7.20 (5.6 %)")
        .contains(
            "  best commitment 1.44/hour: USD 112.32 with the plan, saves USD 17.28 (13.3 %)");
  }

  @Test
  void jsonCarriesExactAmounts() throws IOException {
    Result r = plan(DAY_SHIFT.toString(), "--discount", "0.35", "--commitment", "1", "--json");
    assertThat(r.exit()).isZero();
    JsonNode plan = new ObjectMapper().readTree(r.out()).path("savingsPlan");
    assertThat(plan.path("name").asText()).isEqualTo("custom");
    assertThat(plan.path("hours").asInt()).isEqualTo(48);
    assertThat(plan.path("listTotal").decimalValue()).isEqualByComparingTo("129.60");
    // 1.00/hour at 35 %: nights 1.00 + 0.17 / 0.65 = 1.261538 (6 decimals HALF_UP) for 1.80,
    // days 1.00 + 1.34 / 0.65 = 3.061538 for 3.60: each hour saves 0.538462, x 48
    assertThat(plan.path("asked").path("savings").decimalValue()).isEqualByComparingTo("25.846176");
    assertThat(plan.path("best").path("commitmentPerHour").decimalValue())
        .isEqualByComparingTo("1.17");
    assertThat(plan.path("best").path("savings").decimalValue()).isEqualByComparingTo("30.24");
  }

  @Test
  void htmlReportHasTheSavingsPlanSection(@TempDir Path dir) throws IOException {
    Path html = dir.resolve("report.html");
    Result r = plan(DAY_SHIFT.toString(), "--savings-plan", "GPU-3Y", "--html", html.toString());
    assertThat(r.exit()).isZero();
    assertThat(Files.readString(html, StandardCharsets.UTF_8))
        .contains("<section class=\"savings-plan\">")
        .contains("Savings plan GPU-3Y: 35 % off list")
        .contains("<li>best commitment 1.17/hour: USD 99.36 with the plan, saves USD 30.24");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    Result negative = plan(DAY_SHIFT.toString(), "--discount", "0.2", "--commitment", "-1");
    assertThat(negative.exit()).isEqualTo(2);
    assertThat(negative.err()).startsWith("plan: --commitment must not be negative: -1");

    Result discount = plan(DAY_SHIFT.toString(), "--discount", "1.5");
    assertThat(discount.exit()).isEqualTo(2);
    assertThat(discount.err()).startsWith("plan: --discount must be between 0 and 1: 1.5");

    Result alone = plan(DAY_SHIFT.toString(), "--commitment", "1");
    assertThat(alone.exit()).isEqualTo(2);
    assertThat(alone.err())
        .startsWith("plan: --commitment needs --savings-plan <type> or --discount D");

    Result unknown = plan(DAY_SHIFT.toString(), "--savings-plan", "gpu-9y");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err())
        .isEqualTo(
            "plan: --savings-plan: unknown savings plan type gpu-9y; the catalog has"
                + " [gpu-1y, gpu-3y]"
                + System.lineSeparator());
  }
}
