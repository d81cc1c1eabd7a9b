package io.gpureservation.bench;

import io.gpureservation.cli.PlanCommand;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.planner.Plan;
import io.gpureservation.core.planner.PlanSettings;
import io.gpureservation.core.planner.Planner;
import io.gpureservation.core.planner.PodRun;
import io.gpureservation.core.planner.SavingsPlanAdvice;
import io.gpureservation.core.planner.SavingsPlanAdvisor;
import io.gpureservation.core.planner.SavingsPlanTerms;
import io.gpureservation.core.planner.TidalTraceGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Planning a 30-day synthetic tidal trace of N pods (the default mix of three shapes, Asia/Shanghai
 * tide, seed 1): {@code plan} — the pure planner on pods in memory; {@code savingsPlan} — the
 * savings-plan view of that plan (gpu-1y, 1.00/hour and the best commitment); {@code planCommand} —
 * the whole {@code plan} command: read the CSV file, plan, print the table and write the HTML
 * report. Run with scripts/bench.sh; see docs/performance.md ("Planner").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlannerBenchmark {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  @Param({"100000"})
  public int pods;

  private List<PodRun> runs;
  private Planner planner;
  private Plan planned;
  private final SavingsPlanAdvisor advisor = new SavingsPlanAdvisor(Catalog.defaults());
  private static final SavingsPlanTerms GPU_1Y =
      new SavingsPlanTerms("gpu-1y", new BigDecimal("0.20"), null, Set.of());
  private Path dir;
  private String[] command;
  private final PrintStream discard = new PrintStream(OutputStream.nullOutputStream());

  @Setup
  public void setUp() throws IOException {
    runs =
        new TidalTraceGenerator(
                Instant.parse("2026-11-02T00:00:00Z"),
                Duration.ofDays(30),
                ZONE,
                TidalTraceGenerator.DEFAULT_MIX)
            .generate(pods, 1);
    PlanSettings d = PlanSettings.defaults();
    planner =
        new Planner(
            Catalog.defaults(),
            new PlanSettings(
                d.defaultTarget(),
                d.targets(),
                ZONE,
                d.region(),
                d.maxWindowedReservations(),
                d.leadTime(),
                d.borrowFillPercent()));
    planned = planner.plan(runs);
    dir = Files.createTempDirectory("planner-bench");
    Path trace = dir.resolve("trace.csv");
    int generated =
        PlanCommand.run(
            new String[] {"generate", "--pods", Integer.toString(pods), "--out", trace.toString()},
            discard,
            System.err);
    if (generated != 0) {
      throw new IllegalStateException("plan generate failed");
    }
    command =
        new String[] {
          trace.toString(), "--zone", ZONE.getId(), "--html", dir.resolve("report.html").toString()
        };
  }

  @TearDown
  public void tearDown() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  @Benchmark
  public Plan plan() {
    return planner.plan(runs);
  }

  /** The savings-plan view of the planned trace: hourly usage, a commitment and the best one. */
  @Benchmark
  public SavingsPlanAdvice savingsPlan() {
    return advisor.advise(planned, GPU_1Y, BigDecimal.ONE);
  }

  @Benchmark
  public int planCommand() {
    int exit = PlanCommand.run(command, discard, System.err);
    if (exit != 0) {
      throw new IllegalStateException("plan failed: " + exit);
    }
    return exit;
  }
}
