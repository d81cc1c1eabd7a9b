package io.gpureservation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs {@code bill} on every file of examples/billing and on bad input. */
class BillCommandTest {
  private static final Path EXAMPLES = Path.of("..", "examples", "billing");

  /** What each example must print: the reference's numbers. */
  private static final Map<String, List<String>> EXPECTED =
      Map.ofEntries(
          Map.entry(
              "fc-cu-monthly.yaml",
              List.of("Usage total: 1,600,000,000", "Payable (rounded to cents): USD 24,200.00")),
          Map.entry(
              "fc-cu-cpu-reserved.yaml",
              List.of(
                  "Usage total: 33,600",
                  "Total: USD 0.672",
                  "Payable (rounded to cents): USD 0.67")),
          Map.entry(
              "fc-cu-gpu-reserved.yaml",
              List.of("Usage total: 3,521,100", "Payable (rounded to cents): USD 70.42")),
          Map.entry("fc-cu-item-active-vcpu.yaml", List.of("| Active vCPU | 1.5 vCPU·s |")),
          Map.entry("fc-cu-item-memory.yaml", List.of("| Memory      | 0.75 GB·s |")),
          Map.entry("fc-cu-item-disk.yaml", List.of("| Disk        | 9.5 GB·s |")),
          Map.entry("fc-cu-item-active-gpu.yaml", List.of("| Ada active GPU |  48 GB·s |")),
          Map.entry("fc-cu-item-idle-gpu.yaml", List.of("| Ada idle GPU   | 6,912,000 GB·s |")),
          Map.entry(
              "fc-gpu-idle.yaml",
              List.of(
                  "Total: USD 1.0368",
                  "| Active GPU fee | 28,800 CU |   0.000018 |       0.5184 |",
                  "| Idle GPU fee   | 28,800 CU |   0.000007 |       0.2016 |",
                  "Total: USD 0.72",
                  "Savings vs idle mode off: 30.6%",
                  "Total: CNY 6.336",
                  "Total: CNY 4.32")),
          Map.entry(
              "functiongraph-reserved-51s.yaml",
              List.of("| warm: reserved, executing (1024 MB) |  60 s |")),
          Map.entry(
              "functiongraph-reserved-61s.yaml",
              List.of("| warm: reserved, executing (1024 MB) |  61 s |")),
          Map.entry(
              "functiongraph-month.yaml",
              List.of(
                  "| Requests beyond the free 1,000,000 | 1.5 million requests |",
                  "| Execution beyond the free 400,000 GB-s | 820,000 GB-s |",
                  "| Idle mode idle time (no free quota)   |       4,464,000 GB-s |")),
          Map.entry(
              "resident-pool-disk-sizing.yaml",
              List.of("Disk per card: 240 GB / 6 cards -> 40 GB", "Total: USD 6,196.80")),
          Map.entry(
              "resident-pool-refund.yaml",
              List.of("Total: USD 3,083.10", "= 34.26", "-411.12", "Total: USD 2,671.98")),
          Map.entry(
              "savings-plan.yaml",
              List.of(
                  "| Eligible usage, list to plan rate | 14.04 USD | 0.8 | 11.232 |",
                  "| Savings plan commitment | 5 hour | 2.50 | 12.50 |",
                  "| Eligible usage beyond the commitment (list) | 1.425 USD | 1.00 | 1.425 |",
                  "| Usage the plan does not cover (list) | 1.2 USD | 1.00 | 1.20 |",
                  "Total: USD 15.125",
                  "Payable (rounded to cents): USD 15.13",
                  "Covered by the commitment: 10.092; unused commitment (still due): 2.408",
                  "Without the plan: USD 15.24; savings: 0.115")),
          Map.entry(
              "capacity-reservation-seven-phases.yaml",
              List.of("Phase 4 (both Pods running): pods on reserved slots", "Total: USD 10.44")));

  static Stream<Arguments> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.sorted().map(f -> Arguments.of(f.getFileName().toString())).toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExamplePrintsTheReferenceNumbers(String file) {
    assertThat(EXPECTED).as("expectations for " + file).containsKey(file);
    Result result = run(EXAMPLES.resolve(file).toString());
    assertThat(result.err()).isEmpty();
    assertThat(result.code()).isZero();
    // column padding is layout, not content: compare with runs of spaces collapsed
    assertThat(collapseSpaces(result.out()))
        .contains(EXPECTED.get(file).stream().map(BillCommandTest::collapseSpaces).toList());
  }

  @Test
  void everyExpectationHasItsExampleFile() {
    EXPECTED.keySet().forEach(file -> assertThat(EXAMPLES.resolve(file)).exists());
  }

  @Test
  void acceptsTheSubcommandNameAndACatalogFile(@TempDir Path dir) throws IOException {
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(
        catalog,
        "cardTypes:\n  L20:\n    exampleRates: {reservationPerCardHour: 1, payAsYouGoPerCardHour: 2}\n");
    Result result =
        run(
            "bill",
            EXAMPLES.resolve("capacity-reservation-seven-phases.yaml").toString(),
            "--catalog",
            catalog.toString());
    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("Total: USD 14.00"); // 6 × 1 + 4 × 2
  }

  @Test
  void unknownCardType_namesTheField(@TempDir Path dir) throws IOException {
    assertOneLineError(
        dir,
        "model: capacity-reservation\ncardType: H999\ncards: 1\nphases: []\n",
        "field cardType: unknown card type H999");
  }

  @Test
  void negativeUsage_namesTheField(@TempDir Path dir) throws IOException {
    assertOneLineError(
        dir,
        "model: fc-cu\nfunctions:\n  - name: f\n    usage: {activeVcpuSeconds: -5}\n",
        "field functions[0].usage.activeVcpuSeconds: must not be negative");
  }

  @Test
  void negativeSlotsInAPhase_namesTheField(@TempDir Path dir) throws IOException {
    assertOneLineError(
        dir,
        "model: capacity-reservation\ncardType: L20\ncards: 1\nphases:\n  - {duration: PT1H, slots: -1, runningPods: 0}\n",
        "field phases[0].slots: must not be negative");
  }

  @Test
  void malformedFile_saysWhere(@TempDir Path dir) throws IOException {
    assertOneLineError(dir, "model: fc-cu\nfunctions: [unclosed\n", "malformed YAML at line");
  }

  @Test
  void missingAndUnknownFields_areNamed(@TempDir Path dir) throws IOException {
    assertOneLineError(dir, "cards: 1\n", "field model: is missing");
    assertOneLineError(dir, "model: lottery\n", "field model: unknown model lottery");
    assertOneLineError(
        dir,
        "model: resident-pool\nregion: cn-hangzhou\ncardSeries: Ada\ncards: 1\nmonths: 1\ndiskPerCardGB: 15\n",
        "diskPerCardGB must be 10..60");
    assertOneLineError(
        dir,
        "model: fc-gpu-idle\ngpuSeries: Tesla\ngpuMemoryGB: 16\nprovisioned: one hour\n",
        "field provisioned: not an ISO-8601 duration");
  }

  @Test
  void badCatalogFile_namesTheField(@TempDir Path dir) throws IOException {
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(catalog, "functionGraph:\n  freeGBSecondsPerMonth: -1\n");
    Result result =
        run(EXAMPLES.resolve("fc-cu-monthly.yaml").toString(), "--catalog", catalog.toString());
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("functionGraph.freeGBSecondsPerMonth").hasLineCount(1);
  }

  @Test
  void missingUsageFileArgument_isACommandLineError() {
    Result result = run();
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("usage: bill");
  }

  @Test
  void unreadableFile_isAOneLineError() {
    Result result = run("does-not-exist.yaml");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("cannot read").hasLineCount(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "negative commitment | -5 | 0.2 | PT1H | field plan.commitmentPerHour: must not be negative: -5",
        "discount above 1 | 1 | 1.5 | PT1H | field plan.discount: must be between 0 and 1: 1.5",
        "discount below 0 | 1 | -0.1 | PT1H | field plan.discount: must not be negative: -0.1",
        "usage over an hour | 1 | 0.2 | PT2H"
            + " | field hours[0].usage[0].duration: must not exceed one hour"
      })
  void badSavingsPlanInput_namesTheField(
      String why,
      String commitment,
      String discount,
      String duration,
      String message,
      @TempDir Path dir)
      throws IOException {
    assertOneLineError(
        dir,
        SAVINGS_PLAN
            .replace("COMMITMENT", commitment)
            .replace("DISCOUNT", discount)
            .replace("DURATION", duration),
        message);
  }

  private static final String SAVINGS_PLAN =
      "model: savings-plan\n"
          + "plan: {commitmentPerHour: COMMITMENT, discount: DISCOUNT, termMonths: 12,"
          + " start: 2026-01-01T00:00:00Z}\n"
          + "hours:\n  - usage: [{cardType: L20, cards: 1, rate: reservation, duration: DURATION}]\n";

  private static void assertOneLineError(Path dir, String yaml, String expected)
      throws IOException {
    Path file = Files.createTempFile(dir, "usage", ".yaml");
    Files.writeString(file, yaml);
    Result result = run(file.toString());
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("bill: " + file).contains(expected).hasLineCount(1);
  }

  private static String collapseSpaces(String text) {
    return text.replaceAll(" +", " ");
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        BillCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
