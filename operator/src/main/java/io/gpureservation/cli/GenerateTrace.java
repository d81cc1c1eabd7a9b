package io.gpureservation.cli;

import io.gpureservation.cli.PlanArguments.BadArguments;
import io.gpureservation.core.planner.PodRun;
import io.gpureservation.core.planner.TidalTraceGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code plan generate}: writes a synthetic tidal trace in the planner's CSV format
 * (docs/planner.md, "Generating a trace") to {@code --out} or standard output.
 */
final class GenerateTrace {
  private static final DateTimeFormatter RFC_3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
  private static final long GIB = 1L << 30;

  private GenerateTrace() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    int days = 30;
    int pods = 100_000;
    Instant start = Instant.parse("2026-11-02T00:00:00Z");
    ZoneId zone = ZoneId.of("Asia/Shanghai");
    long seed = 1;
    Path file = null;
    try {
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        switch (arg) {
          case "--days" -> days = PlanArguments.positive(PlanArguments.value(args, ++i, arg), arg);
          case "--pods" -> pods = PlanArguments.positive(PlanArguments.value(args, ++i, arg), arg);
          case "--zone" -> zone = PlanArguments.zone(PlanArguments.value(args, ++i, arg));
          case "--seed" -> seed = seed(PlanArguments.value(args, ++i, arg));
          case "--out" -> file = Path.of(PlanArguments.value(args, ++i, arg));
          case "--start" -> start = instant(PlanArguments.value(args, ++i, arg));
          default -> throw new BadArguments("unexpected argument " + arg);
        }
      }
    } catch (BadArguments e) {
      err.println("plan generate: " + e.getMessage() + "\n" + PlanArguments.USAGE);
      return 2;
    }
    List<PodRun> runs =
        new TidalTraceGenerator(start, Duration.ofDays(days), zone, TidalTraceGenerator.DEFAULT_MIX)
            .generate(pods, seed);
    try (Writer w =
        file == null
            ? new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))
            : Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(runs, zone, w);
    } catch (IOException e) {
      err.println("plan generate: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  static void write(List<PodRun> runs, ZoneId zone, Writer w) throws IOException {
    w.write(String.join(",", TraceCsv.COLUMNS));
    w.write('\n');
    DateTimeFormatter times = RFC_3339.withZone(zone);
    for (PodRun r : runs) {
      w.write(r.namespace() + ',' + r.pod() + ',' + r.cardType() + ',' + r.cards() + ',');
      w.write(cpu(r.cpuMillis()) + ',' + memory(r.memoryBytes()) + ',');
      w.write(times.format(Instant.ofEpochMilli(r.startMillis())) + ',');
      w.write(times.format(Instant.ofEpochMilli(r.endMillis())));
      w.write('\n');
    }
  }

  private static String cpu(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
  }

  private static String memory(long bytes) {
    return bytes % GIB == 0 ? bytes / GIB + "Gi" : Long.toString(bytes);
  }

  private static long seed(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadArguments("--seed must be a whole number: " + text);
    }
  }

  private static Instant instant(String text) {
    try {
      return java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadArguments("--start must be an RFC 3339 time: " + text);
    }
  }
}
