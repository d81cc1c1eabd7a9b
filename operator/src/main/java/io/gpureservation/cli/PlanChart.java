package io.gpureservation.cli;

import io.gpureservation.core.planner.LiveSlots;
import io.gpureservation.core.planner.OptionKind;
import io.gpureservation.core.planner.ProposedReservation;
import io.gpureservation.core.planner.ShapePlan;
import io.gpureservation.core.planner.Span;
import io.gpureservation.core.planner.StepFunction;
import io.gpureservation.core.window.Interval;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The SVG chart of one shape (docs/planner.md, "HTML report"): concurrent demand (blue, filled),
 * the live slots of the windowed reservations (orange steps) over their windows (shaded), and the
 * always-on level (red dashes). Steps are drawn per pixel column at the column's highest value, so
 * a month of 100,000 pods stays a small file and no peak is lost.
 */
final class PlanChart {
  static final String DEMAND_COLOR = "#1f77b4";
  static final String DEMAND_FILL = "#9ecae1";
  static final String LIVE_COLOR = "#e6550d";
  static final String WINDOW_COLOR = "#fdae6b";
  static final String LEVEL_COLOR = "#d62728";
  private static final int WIDTH = 960;
  private static final int HEIGHT = 300;
  private static final int LEFT = 50;
  private static final int RIGHT = 20;
  private static final int TOP = 16;
  private static final int BOTTOM = 44;
  private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
  private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEE MM-dd", Locale.ROOT);

  private final Span span;
  private final ZoneId zone;
  private final double yMax;

  private PlanChart(Span span, ZoneId zone, int yMax) {
    this.span = span;
    this.zone = zone;
    this.yMax = Math.max(1, yMax);
  }

  static String svg(ShapePlan shape, ZoneId zone) {
    Span span = shape.demand().span();
    List<ProposedReservation> windowed = shape.option(OptionKind.WINDOWED).reservations();
    StepFunction live = LiveSlots.of(windowed, zone, span);
    int top =
        Math.max(
            Math.max(shape.peak(), shape.level()), live.max(span.startMillis(), span.endMillis()));
    return new PlanChart(span, zone, top).render(shape, windowed, live);
  }

  private String render(ShapePlan shape, List<ProposedReservation> windowed, StepFunction live) {
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            Html.escape("Demand of " + shape.shape() + " against reserved slots")));
    svg.append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    for (ProposedReservation r : windowed) {
      if (r.alwaysOn()) {
        continue;
      }
      for (Interval i : LiveSlots.liveIntervals(r, zone, span)) {
        double x0 = x(i.start().toEpochMilli());
        double x1 = x(i.end().toEpochMilli());
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"window\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                    + " fill=\"%s\" fill-opacity=\"0.35\"/>%n",
                x0,
                TOP,
                Math.max(0.5, x1 - x0),
                PLOT_HEIGHT,
                WINDOW_COLOR));
      }
    }
    svg.append(
        String.format(
            "<path class=\"demand\" d=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>%n",
            steps(shape.demand().level(), true), DEMAND_FILL, DEMAND_COLOR));
    if (!windowed.isEmpty()) {
      svg.append(
          String.format(
              "<path class=\"live-slots\" d=\"%s\" fill=\"none\" stroke=\"%s\""
                  + " stroke-width=\"2\"/>%n",
              steps(live, false), LIVE_COLOR));
    }
    if (shape.level() > 0) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"target-level\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\""
                  + " stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>%n",
              LEFT,
              LEFT + PLOT_WIDTH,
              y(shape.level()),
              y(shape.level()),
              LEVEL_COLOR));
    }
    axes(svg, shape);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private void axes(StringBuilder svg, ShapePlan shape) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<g class=\"axes\" stroke=\"#444\" font-size=\"11\" font-family=\"sans-serif\">%n"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
            LEFT,
            TOP + PLOT_HEIGHT,
            LEFT + PLOT_WIDTH,
            TOP + PLOT_HEIGHT,
            LEFT,
            TOP,
            LEFT,
            TOP + PLOT_HEIGHT));
    for (int value : new int[] {0, shape.level(), (int) yMax}) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text class=\"y-tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\" stroke=\"none\">"
                  + "%d</text>%n",
              LEFT - 6,
              y(value) + 4,
              value));
    }
    LocalDate first = span.start().atZone(zone).toLocalDate().plusDays(1);
    LocalDate last = span.end().atZone(zone).toLocalDate();
    long days = Math.max(1, last.toEpochDay() - first.toEpochDay() + 1);
    long every = Math.max(1, (days + 9) / 10);
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      ZonedDateTime midnight = day.atStartOfDay(zone);
      long t = midnight.toInstant().toEpochMilli();
      if (t >= span.endMillis()) {
        break;
      }
      double x = x(t);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>%n",
              x,
              TOP + PLOT_HEIGHT,
              x,
              TOP + PLOT_HEIGHT + 4));
      if ((day.toEpochDay() - first.toEpochDay()) % every == 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text class=\"x-tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" stroke=\"none\">"
                    + "%s</text>%n",
                x,
                TOP + PLOT_HEIGHT + 16,
                DAY.format(day)));
      }
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" stroke=\"none\">concurrent pods; days in %s</text>%n</g>%n",
            LEFT,
            HEIGHT - 6,
            Html.escape(zone.getId())));
  }

  // Per pixel column, the highest level in the column; a filled path closes on the baseline.
  private String steps(StepFunction level, boolean closed) {
    StringBuilder d = new StringBuilder();
    double base = y(0);
    d.append(String.format(Locale.ROOT, "M%d %.1f", LEFT, base));
    for (int c = 0; c < PLOT_WIDTH; c++) {
      long from = time(c);
      long to = Math.max(from + 1, time(c + 1));
      d.append(String.format(Locale.ROOT, "V%.1fH%d", y(level.max(from, to)), LEFT + c + 1));
    }
    d.append(String.format(Locale.ROOT, "V%.1f", base));
    if (closed) {
      d.append("Z");
    }
    return d.toString();
  }

  private long time(int column) {
    return span.startMillis() + (long) ((double) span.millis() * column / PLOT_WIDTH);
  }

  private double x(long t) {
    return LEFT + (double) (t - span.startMillis()) / span.millis() * PLOT_WIDTH;
  }

  private double y(double value) {
    return TOP + PLOT_HEIGHT - value / yMax * PLOT_HEIGHT;
  }
}
