package io.gpureservation.core.planner;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic tidal GPU pod traces (docs/planner.md, "Generating a trace"): pods arrive with a daily
 * tide in local time — a night floor, a rise from 07:00, a plateau over working hours, a fall to
 * 21:00 — on weekdays, and at a quarter of that at weekends. Runtimes are exponential around each
 * shape's mean, at least one minute, at most eight hours, cut at the end of the trace. The same
 * seed gives the same trace.
 */
public final class TidalTraceGenerator {
  /** A kind of pod in the mix, with its share of the pods and its mean runtime. */
  public record Shape(
      String namespace,
      String cardType,
      int cards,
      long cpuMillis,
      long memoryBytes,
      double weight,
      Duration meanRuntime) {}

  /** The default mix: interactive inference on L20, batch on A10, research on T4. */
  public static final List<Shape> DEFAULT_MIX =
      List.of(
          new Shape("inference", "L20", 1, 8_000, 32L << 30, 0.6, Duration.ofMinutes(20)),
          new Shape("batch", "A10", 1, 8_000, 30L << 30, 0.3, Duration.ofMinutes(45)),
          new Shape("research", "T4", 1, 4_000, 16L << 30, 0.1, Duration.ofMinutes(90)));

  private static final double NIGHT = 0.1;
  private static final double WEEKEND = 0.25;
  private static final long MINUTE = 60_000;
  private static final long MAX_RUNTIME = Duration.ofHours(8).toMillis();

  private final Instant start;
  private final Duration length;
  private final ZoneId zone;
  private final List<Shape> mix;

  public TidalTraceGenerator(Instant start, Duration length, ZoneId zone, List<Shape> mix) {
    if (mix.isEmpty() || length.isZero() || length.isNegative()) {
      throw new IllegalArgumentException("a trace needs a length and at least one shape");
    }
    this.start = start;
    this.length = length;
    this.zone = zone;
    this.mix = List.copyOf(mix);
  }

  /** {@code pods} pod runs, sorted by start. */
  public List<PodRun> generate(int pods, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double totalWeight = mix.stream().mapToDouble(Shape::weight).sum();
    long from = start.toEpochMilli();
    long span = length.toMillis();
    List<PodRun> runs = new ArrayList<>(pods);
    while (runs.size() < pods) {
      long t = from + (long) (random.nextDouble() * span) / 1000 * 1000;
      if (random.nextDouble() >= tide(Instant.ofEpochMilli(t))) {
        continue; // thinning: arrivals follow the tide
      }
      Shape shape = pick(random.nextDouble() * totalWeight, mix);
      long runtime =
          (long) (-Math.log(1 - random.nextDouble()) * shape.meanRuntime().toMillis())
              / 1000
              * 1000;
      long end = Math.min(from + span, t + Math.min(MAX_RUNTIME, Math.max(MINUTE, runtime)));
      if (end <= t) {
        continue;
      }
      runs.add(
          new PodRun(
              shape.namespace(),
              shape.namespace() + "-" + runs.size(),
              shape.cardType(),
              shape.cards(),
              shape.cpuMillis(),
              shape.memoryBytes(),
              t,
              end));
    }
    runs.sort(Comparator.comparingLong(PodRun::startMillis));
    return runs;
  }

  private static Shape pick(double r, List<Shape> mix) {
    double sum = 0;
    for (Shape s : mix) {
      sum += s.weight();
      if (r < sum) {
        return s;
      }
    }
    return mix.get(mix.size() - 1);
  }

  // Arrival intensity 0..1 at local time: night floor, ramps 07-09 and 19-21, plateau between.
  double tide(Instant t) {
    LocalDateTime local = LocalDateTime.ofInstant(t, zone);
    double hour = local.getHour() + local.getMinute() / 60.0;
    double day;
    if (hour < 7 || hour >= 21) {
      day = 0;
    } else if (hour < 9) {
      day = (hour - 7) / 2;
    } else if (hour < 19) {
      day = 1;
    } else {
      day = (21 - hour) / 2;
    }
    double level = NIGHT + (1 - NIGHT) * day;
    DayOfWeek dow = local.getDayOfWeek();
    boolean weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
    return weekend ? level * WEEKEND : level;
  }
}
