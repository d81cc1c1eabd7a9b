package io.gpureservation.cli;

import io.gpureservation.core.billing.LineItem;
import io.gpureservation.core.planner.Option;
import io.gpureservation.core.planner.OptionKind;
import io.gpureservation.core.planner.Plan;
import io.gpureservation.core.planner.SavingsPlanAdvice;
import io.gpureservation.core.planner.ShapePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --html} report (docs/planner.md, "HTML report"): a self-contained page, no script and
 * no external resource, with one section per shape — the options table (the cheapest row marked),
 * the proposed windows, an inline SVG chart and the bill lines behind each cost.
 */
final class PlanHtml {
  private PlanHtml() {}

  /**
   * @param savings the savings-plan view, or null when not asked for
   */
  static String render(Plan plan, SavingsPlanAdvice savings, String source) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Capacity plan: ")
        .append(Html.escape(source))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:8px 0}")
        .append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
        .append("td:first-child,th:first-child{text-align:left}")
        .append("tr.cheapest{background:#e5f5e0;font-weight:bold}")
        .append(".legend span{display:inline-block;margin-right:16px}")
        .append(".swatch{display:inline-block;width:14px;height:10px;margin-right:4px}")
        .append("\n</style>\n</head>\n<body>\n");
    html.append("<h1>Capacity plan</h1>\n<p class=\"summary\">")
        .append(Html.escape(source))
        .append(": ")
        .append(plan.pods())
        .append(" pods from ")
        .append(plan.span().start())
        .append(" to ")
        .append(plan.span().end())
        .append("; windows in ")
        .append(Html.escape(plan.zone().getId()))
        .append("; resident pool region ")
        .append(Html.escape(plan.settings().region()))
        .append(". Cheapest way for every shape: <strong class=\"total\">")
        .append(plan.currency())
        .append(' ')
        .append(PlanFormat.money(plan.cheapestTotal()))
        .append("</strong> (warm pods: ")
        .append(PlanFormat.money(plan.warmPodsTotal()))
        .append("). Rates come from the catalog; the bundled rates are example values.</p>\n");
    html.append(legend());
    if (savings != null) {
      titledList(
          html, "section", "savings-plan", "h2", PlanFormat.savingsPlan(savings, plan.currency()));
    }
    for (ShapePlan shape : plan.shapes()) {
      section(html, shape, plan);
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static String legend() {
    return "<p class=\"legend\">"
        + swatch(PlanChart.DEMAND_COLOR, "concurrent demand")
        + swatch(PlanChart.LIVE_COLOR, "live slots of the windowed reservations")
        + swatch(PlanChart.WINDOW_COLOR, "proposed windows")
        + swatch(PlanChart.LEVEL_COLOR, "target level (always-on reservation)")
        + "</p>\n";
  }

  private static String swatch(String color, String label) {
    return "<span><i class=\"swatch\" style=\"background:" + color + "\"></i>" + label + "</span>";
  }

  private static void section(StringBuilder html, ShapePlan shape, Plan plan) {
    String id = shape.shape().toString();
    html.append("<section class=\"shape\" data-shape=\"")
        .append(Html.escape(id))
        .append("\">\n<h2>")
        .append(Html.escape(id))
        .append("</h2>\n<p>")
        .append(shape.pods())
        .append(" pods, peak ")
        .append(shape.peak())
        .append(" concurrent; target ")
        .append(Html.escape(shape.target().text()))
        .append(" = ")
        .append(shape.level())
        .append(" slot(s).</p>\n<table>\n<tr><th>option</th><th>cost (")
        .append(plan.currency())
        .append(")</th><th>vs floor</th><th>utilisation</th><th>breaks even at</th>");
    boolean lending = plan.settings().estimatesLending();
    if (lending) {
      html.append("<th>lending earns</th>");
    }
    html.append("</tr>\n");
    Option cheapest = shape.cheapest();
    row(html, shape, shape.floor(), false, lending);
    for (Option option : shape.options()) {
      row(html, shape, option, option == cheapest, lending);
    }
    html.append("</table>\n<p class=\"verdict\">Cheapest: <strong>")
        .append(cheapest.kind().label())
        .append("</strong>, ")
        .append(plan.currency())
        .append(' ')
        .append(PlanFormat.money(cheapest.bill().payable()))
        .append(", saving ")
        .append(PlanFormat.money(shape.savingVsWarmPods()))
        .append(shape.savingPercent().map(p -> " (" + PlanFormat.percent(p) + ")").orElse(""))
        .append(" against warm pods.</p>\n");
    var windowed = shape.option(OptionKind.WINDOWED).reservations();
    if (!windowed.isEmpty()) {
      html.append("<ul class=\"windows\">\n");
      PlanFormat.reservations(windowed)
          .forEach(line -> html.append("<li>").append(Html.escape(line)).append("</li>\n"));
      html.append("</ul>\n");
    }
    List<String> estimate = PlanFormat.lending(shape, plan.currency());
    if (!estimate.isEmpty()) {
      titledList(html, "div", "lending", "p", estimate);
    }
    html.append(PlanChart.svg(shape, plan.zone()));
    lines(html, shape);
    html.append("</section>\n");
  }

  // A heading line and a list of the lines under it: the savings-plan view, the lending estimate.
  private static void titledList(
      StringBuilder html, String element, String cssClass, String heading, List<String> lines) {
    html.append('<')
        .append(element)
        .append(" class=\"")
        .append(cssClass)
        .append("\">\n<")
        .append(heading)
        .append('>')
        .append(Html.escape(lines.get(0)))
        .append("</")
        .append(heading)
        .append(">\n<ul>\n");
    lines
        .subList(1, lines.size())
        .forEach(line -> html.append("<li>").append(Html.escape(line)).append("</li>\n"));
    html.append("</ul>\n</").append(element).append(">\n");
  }

  // The bill lines behind each cost, so a reader can check the arithmetic.
  private static void lines(StringBuilder html, ShapePlan shape) {
    html.append("<details class=\"lines\"><summary>How each cost is computed</summary>\n<table>\n")
        .append("<tr><th>option</th><th>line</th><th>quantity</th><th>unit price</th>")
        .append("<th>amount</th></tr>\n");
    List<Option> all = new ArrayList<>();
    all.add(shape.floor());
    all.addAll(shape.options());
    for (Option option : all) {
      for (LineItem line : option.bill().charges()) {
        html.append("<tr><td>")
            .append(option.kind().label())
            .append("</td><td>")
            .append(Html.escape(line.description()))
            .append("</td><td>")
            .append(line.quantity().toPlainString())
            .append(' ')
            .append(Html.escape(line.unit()))
            .append("</td><td>")
            .append(line.unitPrice().toPlainString())
            .append("</td><td>")
            .append(line.amount().toPlainString())
            .append("</td></tr>\n");
      }
    }
    html.append("</table>\n</details>\n");
  }

  private static void row(
      StringBuilder html, ShapePlan shape, Option option, boolean cheapest, boolean lending) {
    String name =
        option.kind() == OptionKind.PAY_AS_YOU_GO ? "pay-as-you-go (floor)" : option.kind().label();
    html.append("<tr class=\"")
        .append(option.kind().id())
        .append(cheapest ? " cheapest" : "")
        .append("\"><td>")
        .append(name)
        .append("</td>");
    if (!option.available()) {
      html.append("<td colspan=\"")
          .append(lending ? 5 : 4)
          .append("\">n/a: ")
          .append(Html.escape(option.unavailable()))
          .append("</td></tr>\n");
      return;
    }
    String premium =
        option.kind() == OptionKind.PAY_AS_YOU_GO
            ? "-"
            : "+" + PlanFormat.money(shape.premiumOverFloor(option));
    html.append("<td>")
        .append(PlanFormat.money(option.bill().payable()))
        .append("</td><td>")
        .append(premium)
        .append("</td><td>")
        .append(PlanFormat.utilisation(option))
        .append("</td><td>")
        .append(PlanFormat.breakEven(option))
        .append("</td>");
    if (lending) {
      html.append("<td class=\"lending\">")
          .append(PlanFormat.lendingEarned(option))
          .append("</td>");
    }
    html.append("</tr>\n");
  }
}
