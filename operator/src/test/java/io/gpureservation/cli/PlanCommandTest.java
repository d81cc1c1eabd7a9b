package io.gpureservation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code plan} on examples/planner (docs/planner.md, worked example 1) and on bad input. */
class PlanCommandTest {
  static final Path TIDE = Path.of("..", "examples", "planner", "two-day-tide.csv");
  private static final String HEADER = "namespace,pod,cardType,cards,cpu,memory,start,end\n";
  private static final String GOOD =
      "ns,p1,L20,1,8,32Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n";

  record Result(int exit, String out, String err) {}

  static Result plan(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        PlanCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void tablePrintsEveryOptionTheCheapestAndTheWindows() {
    Result r = plan(TIDE.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains("inference/L20x1: 4 pods, peak 2 concurrent; target peak = 2 slot(s)")
        .containsPattern("pay-as-you-go \\(floor\\) +57\\.60")
        .containsPattern("warm pay-as-you-go pods +129\\.60 +\\+72\\.00 +44\\.4 % +100\\.0 %")
        .containsPattern("always-on reservation +79\\.20 +\\+21\\.60 +44\\.4 % +100\\.0 %")
        .containsPattern("windowed reservations +57\\.60 +\\+0\\.00 +100\\.0 % +100\\.0 %")
        .containsPattern("resident pool +137\\.04 +\\+79\\.44 +44\\.4 % +never")
        .contains("cheapest: windowed reservations, USD 57.60, saves USD 72.00 (55.6 %)")
        .contains("1 slot(s) live \"0 8 * * 1,2\" for 12h")
        .contains("1 slot(s) live \"0 8 * * 1\" for 4h; \"0 14 * * 2\" for 4h");
  }

  @Test
  void jsonCarriesExactAmountsAndTheProposedWindows() throws IOException {
    Result r = plan(TIDE.toString(), "--json");
    assertThat(r.exit()).isZero();
    JsonNode root = new ObjectMapper().readTree(r.out());
    JsonNode shape = root.path("shapes").get(0);
    assertThat(shape.path("shape").asText()).isEqualTo("inference/L20x1");
    assertThat(shape.path("cheapest").asText()).isEqualTo("windowed");
    assertThat(shape.path("savingVsWarmPods").decimalValue()).isEqualByComparingTo("72.00");
    JsonNode always = shape.path("options").get(1);
    assertThat(always.path("kind").asText()).isEqualTo("always-on");
    assertThat(always.path("total").decimalValue()).isEqualByComparingTo("79.2");
    assertThat(always.path("lines").get(0).path("description").asText()).isEqualTo("Idle slots");
    assertThat(always.path("lines").get(0).path("quantity").decimalValue())
        .isEqualByComparingTo("40");
    JsonNode window =
        shape.path("options").get(2).path("reservations").get(0).path("windows").get(0);
    assertThat(window.path("cron").asText()).isEqualTo("0 8 * * 1,2");
    assertThat(window.path("timeZone").asText()).isEqualTo("UTC");
    assertThat(window.path("duration").asText()).isEqualTo("PT12H");
    assertThat(root.path("totals").path("cheapest").decimalValue())
        .isEqualByComparingTo(new BigDecimal("57.60"));
  }

  @Test
  void targetsPerShapeAndZoneAreApplied() {
    Result r = plan(TIDE.toString(), "--target", "inference/L20x1=1", "--zone", "Asia/Shanghai");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("target 1 = 1 slot(s)")
        .contains("windows in Asia/Shanghai")
        .contains("1 slot(s) live \"0 16 * * 1,2\" for 12h");
  }

  // docs/planner.md "Lending", worked example 5: half of 40 idle slot-hours at 1.08
  @Test
  void tableShowsWhatLendingWouldHaveEarned() {
    Result r = plan(TIDE.toString(), "--borrow-fill", "50");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .containsPattern("option +cost +vs floor +utilisation +breaks even at +lending earns")
        .containsPattern("pay-as-you-go \\(floor\\) +57\\.60 +- +- +- +-")
        .containsPattern("warm pay-as-you-go pods +129\\.60 +\\+72\\.00 +44\\.4 % +100\\.0 % +-")
        .containsPattern("always-on reservation +79\\.20 +\\+21\\.60 +44\\.4 % +100\\.0 % +21\\.60")
        .containsPattern("windowed reservations +57\\.60 +\\+0\\.00 +100\\.0 % +100\\.0 % +0\\.00")
        .containsPattern("resident pool +137\\.04 +\\+79\\.44 +44\\.4 % +never +-")
        .contains(
            "  lending: borrowers fill 50 % of the idle reserved slot time, at 1.08/slot-hour"
                + " (catalog lending rate)")
        .contains(
            "    always-on reservation: 20 of 40 idle slot-hours lent; borrowers pay USD 21.60, the"
                + " owner pays USD 10.80 less for idle slots")
        .contains("cheapest: windowed reservations, USD 57.60, saves USD 72.00 (55.6 %)");
  }

  @Test
  void withoutABorrowFillTheOutputsAreUnchanged(@TempDir Path dir) throws IOException {
    String table = plan(TIDE.toString()).out();
    assertThat(table).doesNotContain("lending");
    assertThat(plan(TIDE.toString(), "--borrow-fill", "0").out()).isEqualTo(table);
    String json = plan(TIDE.toString(), "--json").out();
    assertThat(json).doesNotContain("lending").doesNotContain("borrowFill");
    assertThat(plan(TIDE.toString(), "--json", "--borrow-fill", "0").out()).isEqualTo(json);
    Path off = dir.resolve("off.html");
    Path zero = dir.resolve("zero.html");
    plan(TIDE.toString(), "--html", off.toString());
    plan(TIDE.toString(), "--html", zero.toString(), "--borrow-fill", "0");
    assertThat(Files.readString(off)).doesNotContain("lending").isEqualTo(Files.readString(zero));
  }

  @Test
  void jsonCarriesTheExactLendingEstimate() throws IOException {
    Result r = plan(TIDE.toString(), "--json", "--target", "1", "--borrow-fill", "33.3");
    assertThat(r.exit()).isZero();
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.path("settings").path("borrowFillPercent").decimalValue())
        .isEqualByComparingTo("33.3");
    JsonNode options = root.path("shapes").get(0).path("options");
    JsonNode always = options.get(1);
    assertThat(always.path("kind").asText()).isEqualTo("always-on");
    // unchanged: 12 idle slot-hours x 0.54 + 32 pod-hours x 1.80
    assertThat(always.path("total").decimalValue()).isEqualByComparingTo("64.08");
    JsonNode lending = always.path("lending");
    assertThat(lending.path("borrowFillPercent").decimalValue()).isEqualByComparingTo("33.3");
    assertThat(lending.path("idleSlotHours").decimalValue()).isEqualByComparingTo("12");
    assertThat(lending.path("lentSlotHours").decimalValue()).isEqualByComparingTo("3.996");
    assertThat(lending.path("lendingRatePerSlotHour").decimalValue()).isEqualByComparingTo("1.08");
    // 3.996 x 1.08 and 3.996 x 0.54, 6 decimals; what borrowers pay in cents
    assertThat(lending.path("earned").decimalValue()).isEqualByComparingTo("4.31568");
    assertThat(lending.path("earnedPayable").decimalValue()).isEqualByComparingTo("4.32");
    assertThat(lending.path("ownerSaving").decimalValue()).isEqualByComparingTo("2.15784");
    // written exactly, at the accrual's scale, never through a double
    assertThat(r.out())
        .contains("\"earned\" : 4.315680,")
        .contains("\"earnedPayable\" : 4.32,")
        .contains("\"ownerSaving\" : 2.157840");
    assertThat(options.get(2).path("lending").path("earned").decimalValue()).isZero();
    assertThat(options.get(0).has("lending")).as("warm pods lend nothing").isFalse();
    assertThat(options.get(3).has("lending")).as("the pool lends nothing").isFalse();
    assertThat(root.path("shapes").get(0).path("floor").has("lending")).isFalse();
  }

  @Test
  void htmlHasALendingColumnAndTheEstimate(@TempDir Path dir) throws IOException {
    Path html = dir.resolve("report.html");
    Result r = plan(TIDE.toString(), "--html", html.toString(), "--borrow-fill", "50");
    assertThat(r.exit()).isZero();
    assertThat(Files.readString(html))
        .contains("<th>breaks even at</th><th>lending earns</th></tr>")
        .contains(
            "<tr class=\"always-on\"><td>always-on reservation</td><td>79.20</td><td>+21.60</td>"
                + "<td>44.4 %</td><td>100.0 %</td><td class=\"lending\">21.60</td></tr>")
        .contains("<td class=\"lending\">-</td>")
        .contains(
            "<li>always-on reservation: 20 of 40 idle slot-hours lent; borrowers pay USD 21.60,"
                + " the owner pays USD 10.80 less for idle slots</li>");
  }

  @Test
  void anOptionNotOfferedSpansTheLendingColumnToo(@TempDir Path dir) throws IOException {
    // A10: no resident pool sells it, so the pool row is one cell across the other five
    Path trace = dir.resolve("a10.csv");
    Files.writeString(
        trace, HEADER + "batch,p1,A10,2,8,32Gi,2026-11-02T00:00:00Z,2026-11-02T01:00:00Z\n");
    Path html = dir.resolve("report.html");
    assertThat(plan(trace.toString(), "--html", html.toString(), "--borrow-fill", "10").exit())
        .isZero();
    assertThat(Files.readString(html))
        .contains("<tr class=\"resident-pool\"><td>resident pool</td><td colspan=\"5\">n/a: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"150", "-5", "100.5", "half"})
  void aBorrowFillOutsideZeroToHundredIsRefused(String fill) {
    Result r = plan(TIDE.toString(), "--borrow-fill", fill);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    String reason =
        fill.equals("half")
            ? "plan: --borrow-fill must be a decimal number: half"
            : "plan: --borrow-fill must be a percent between 0 and 100 (the share of idle"
                + " reserved slot time borrowers would fill): "
                + fill;
    assertThat(r.err()).startsWith(reason + System.lineSeparator() + "usage: plan");
  }

  static Stream<Arguments> malformedRows() {
    return Stream.of(
        Arguments.of(
            "ns,p2,L20,1,8,32Gi,2026-11-02T08:00:00Z\n", "line 3: expected 8 fields, got 7"),
        Arguments.of(
            "ns,p2,H100,1,8,32Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n",
            "line 3: field cardType: unknown card type H100; one of [A10, GU8TEF, GU8TF, L20, L20X,"
                + " P16EN, T4]"),
        Arguments.of(
            "ns,p2,L20,two,8,32Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n",
            "line 3: field cards: must be a whole number of at least 1: two"),
        Arguments.of(
            "ns,p2,L20,3,8,32Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n",
            "line 3: field cards: L20 has no 3-card specification in the catalog"),
        Arguments.of(
            "ns,p2,L20,1,8 cores,32Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n",
            "line 3: field cpu: not a Kubernetes quantity (e.g. 500m, 16, 64Gi): 8 cores"),
        Arguments.of(
            "ns,p2,L20,1,17,32Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n",
            "line 3: field cpu: 17 exceeds the largest L20 x1 shape (16 vCPU): no reservation can"
                + " hold this pod"),
        Arguments.of(
            "ns,p2,L20,1,8,129Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n",
            "line 3: field memory: 129Gi exceeds the largest L20 x1 shape (128Gi): no reservation"
                + " can hold this pod"),
        Arguments.of(
            "ns,p2,L20,1,8,-1Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n",
            "line 3: field memory: must not be negative: -1Gi"),
        Arguments.of(
            "ns,p2,L20,1,8,32Gi,2026-11-02 08:00,2026-11-02T09:00:00Z\n",
            "line 3: field start: not an RFC 3339 time (e.g. 2026-11-02T08:00:00Z): 2026-11-02"
                + " 08:00"),
        Arguments.of(
            "ns,p2,L20,1,8,32Gi,2026-11-02T08:00:00Z,2026-11-02T08:00:00Z\n",
            "line 3: field end: must be after start: 2026-11-02T08:00:00Z"),
        Arguments.of(
            ",p2,L20,1,8,32Gi,2026-11-02T08:00:00Z,2026-11-02T09:00:00Z\n",
            "line 3: field namespace: must not be empty"));
  }

  @ParameterizedTest
  @MethodSource("malformedRows")
  void aMalformedRowIsReportedWithItsLineAndFieldAndNothingElse(
      String row, String message, @TempDir Path dir) throws IOException {
    Path trace = dir.resolve("trace.csv");
    Files.writeString(trace, HEADER + GOOD + row + GOOD);
    Path html = dir.resolve("report.html");
    Result r = plan(trace.toString(), "--html", html.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("plan: " + trace + ": " + message + System.lineSeparator());
    assertThat(html).doesNotExist();
  }

  @Test
  void spreadsheetExportsAreRead(@TempDir Path dir) throws IOException {
    // a byte order mark, columns in another order plus one more, CRLF, a comment, a blank line
    Path trace = dir.resolve("export.csv");
    Files.writeString(
        trace,
        "\uFEFFend,start,memory,cpu,cards,cardType,pod,namespace,note\r\n"
            + "# exported 2026-11-03\r\n"
            + "2026-11-02T09:00:00Z,2026-11-02T08:00:00Z,32Gi,8,1,l20,p0,ns,first\r\n"
            + "\r\n");
    Result r = plan(trace.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("ns/L20x1: 1 pods, peak 1 concurrent");
    Path quoted = dir.resolve("quoted.csv");
    Files.writeString(
        quoted,
        HEADER
            + "\"ns\",\"p1\",\"L20\",\"1\",\"8\",\"32Gi\",\"2026-11-02T08:00:00Z\","
            + "\"2026-11-02T09:00:00Z\"\n");
    assertThat(plan(quoted.toString()).out()).contains("ns/L20x1: 1 pods");
  }

  @Test
  void aHeaderWithoutAColumnIsRefused(@TempDir Path dir) throws IOException {
    Path trace = dir.resolve("trace.csv");
    Files.writeString(trace, "namespace,pod,cardType,cards,cpu,start,end\n");
    Result r = plan(trace.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("plan: " + trace + ": line 1: header has no column memory");
  }

  @Test
  void unreadableOrEmptyTracesAndUnwritableReportsAreOneLine(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing.csv");
    assertThat(plan(missing.toString()).err())
        .isEqualTo("plan: " + missing + ": cannot read: no such file" + System.lineSeparator());
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, HEADER);
    Result r = plan(empty.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo("plan: " + empty + ": line 1: the trace has no pods" + System.lineSeparator());
    Path report = dir.resolve("no-such-dir").resolve("report.html");
    r = plan(TIDE.toString(), "--html", report.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo("plan: " + report + ": cannot write: no such file" + System.lineSeparator());
  }

  @Test
  void badCommandLinesExitTwo() {
    assertThat(plan().exit()).isEqualTo(2);
    assertThat(plan(TIDE.toString(), "--target", "p0").err())
        .startsWith("plan: target p0: use peak, a percentile such as p95, or a whole number");
    assertThat(plan(TIDE.toString(), "--zone", "Mars/Olympus").exit()).isEqualTo(2);
    assertThat(plan(TIDE.toString(), "--target", "inferense/L20x1=2").err())
        .isEqualTo(
            "plan: target inferense/L20x1: the trace has no such shape; its shapes are"
                + " [inference/L20x1]"
                + System.lineSeparator());
    assertThat(plan(TIDE.toString(), "--region", "moon-1").err())
        .startsWith("plan: region: unknown region moon-1");
  }

  @Test
  void generatedTracesAreReproducibleAndPlannable(@TempDir Path dir) throws IOException {
    Path a = dir.resolve("a.csv");
    Path b = dir.resolve("b.csv");
    String[] args = {"generate", "--days", "3", "--pods", "400", "--seed", "7", "--out"};
    assertThat(plan(concat(args, a.toString())).exit()).isZero();
    assertThat(plan(concat(args, b.toString())).exit()).isZero();
    assertThat(Files.readString(a)).isEqualTo(Files.readString(b));
    assertThat(Files.readAllLines(a)).hasSize(401).first().isEqualTo(HEADER.strip());
    Result r = plan(a.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Plan for a.csv: 400 pods").contains("inference/L20x1");
  }

  private static String[] concat(String[] args, String last) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = last;
    return all;
  }
}
