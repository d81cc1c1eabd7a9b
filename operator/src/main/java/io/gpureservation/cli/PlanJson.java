package io.gpureservation.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpureservation.core.billing.LineItem;
import io.gpureservation.core.billing.Money;
import io.gpureservation.core.billing.SavingsPlanPricing.Outcome;
import io.gpureservation.core.planner.LendingEstimate;
import io.gpureservation.core.planner.Option;
import io.gpureservation.core.planner.OptionKind;
import io.gpureservation.core.planner.Plan;
import io.gpureservation.core.planner.ProposedReservation;
import io.gpureservation.core.planner.SavingsPlanAdvice;
import io.gpureservation.core.planner.ShapePlan;
import java.util.TreeSet;

/**
 * The {@code --json} form of a plan (docs/planner.md, "JSON"): amounts are exact decimals written
 * as JSON numbers, never through a double.
 */
final class PlanJson {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private PlanJson() {}

  /**
   * @param savings the savings-plan view, or null when not asked for
   */
  static String render(Plan plan, SavingsPlanAdvice savings) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode trace = root.putObject("trace");
    trace.put("pods", plan.pods());
    trace.put("start", plan.span().start().toString());
    trace.put("end", plan.span().end().toString());
    ObjectNode settings = root.putObject("settings");
    settings.put("timeZone", plan.zone().getId());
    settings.put("region", plan.settings().region());
    settings.put("currency", plan.currency());
    settings.put("maxWindowedReservations", plan.settings().maxWindowedReservations());
    settings.put("leadTime", plan.settings().leadTime().toString());
    if (plan.settings().estimatesLending()) {
      settings.put("borrowFillPercent", plan.settings().borrowFillPercent());
    }
    ArrayNode shapes = root.putArray("shapes");
    plan.shapes().forEach(shape -> shapes.add(shape(shape, plan)));
    ObjectNode totals = root.putObject("totals");
    totals.put("cheapest", plan.cheapestTotal());
    totals.put("warmPods", plan.warmPodsTotal());
    if (savings != null) {
      root.set("savingsPlan", savingsPlan(savings));
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // docs/planner.md "Savings plans": exact amounts.
  private static ObjectNode savingsPlan(SavingsPlanAdvice advice) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", advice.terms().name());
    node.put("discount", advice.terms().discount());
    if (advice.terms().region() != null) {
      node.put("region", advice.terms().region());
    }
    ArrayNode types = node.putArray("cardTypes");
    new TreeSet<>(advice.terms().cardTypes()).forEach(types::add);
    node.put("hours", advice.hours().size());
    node.put("listTotal", advice.best().listTotal());
    advice.asked().ifPresent(asked -> node.set("asked", outcome(asked)));
    node.set("best", outcome(advice.best()));
    return node;
  }

  private static ObjectNode outcome(Outcome outcome) {
    ObjectNode node = JSON.createObjectNode();
    node.put("commitmentPerHour", outcome.plan().commitmentPerHour());
    node.put("total", outcome.total());
    node.put("savings", outcome.savings());
    SavingsPlanAdvice.savingPercent(outcome).ifPresent(p -> node.put("savingPercent", p));
    return node;
  }

  private static ObjectNode shape(ShapePlan shape, Plan plan) {
    ObjectNode node = JSON.createObjectNode();
    node.put("shape", shape.shape().toString());
    node.put("namespace", shape.shape().namespace());
    node.put("cardType", shape.shape().cardType());
    node.put("cards", shape.shape().cards());
    node.put("pods", shape.pods());
    node.put("peak", shape.peak());
    node.put("target", shape.target().text());
    node.put("level", shape.level());
    node.set("floor", option(shape, shape.floor(), plan));
    ArrayNode options = node.putArray("options");
    shape.options().forEach(o -> options.add(option(shape, o, plan)));
    node.put("cheapest", shape.cheapest().kind().id());
    node.put("savingVsWarmPods", shape.savingVsWarmPods());
    shape.savingPercent().ifPresent(p -> node.put("savingPercent", p));
    return node;
  }

  private static ObjectNode option(ShapePlan shape, Option option, Plan plan) {
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", option.kind().id());
    node.put("available", option.available());
    if (!option.available()) {
      node.put("unavailable", option.unavailable());
      return node;
    }
    node.put("total", option.bill().total());
    node.put("payable", option.bill().payable());
    if (option.kind() != OptionKind.PAY_AS_YOU_GO) {
      node.put("premiumOverFloor", shape.premiumOverFloor(option));
      node.put("guaranteedSlotHours", Money.hours(option.guaranteedSlotMillis()));
      node.put("usedSlotHours", Money.hours(option.usedSlotMillis()));
      option.utilisation().ifPresent(u -> node.put("utilisationPercent", u));
      option.breakEven().ifPresent(b -> node.put("breakEvenUtilisationPercent", b));
    }
    ArrayNode lines = node.putArray("lines");
    for (LineItem line : option.bill().charges()) {
      ObjectNode l = lines.addObject();
      l.put("description", line.description());
      l.put("quantity", line.quantity());
      l.put("unit", line.unit());
      l.put("unitPrice", line.unitPrice());
      l.put("amount", line.amount());
    }
    if (!option.reservations().isEmpty()) {
      ArrayNode reservations = node.putArray("reservations");
      for (ProposedReservation r : option.reservations()) {
        ObjectNode rn = reservations.addObject();
        rn.put("quantity", r.quantity());
        ArrayNode windows = rn.putArray("windows");
        for (ProposedReservation.Window w : r.windows()) {
          ObjectNode wn = windows.addObject();
          wn.put("cron", w.cron());
          wn.put("timeZone", plan.zone().getId());
          wn.put("duration", w.duration().toString());
          wn.put("leadTime", w.leadTime().toString());
        }
      }
      node.put("shortfallSlotHours", Money.hours(option.shortfallSlotMillis()));
    }
    option.lending().ifPresent(l -> node.set("lending", lending(l)));
    return node;
  }

  // docs/planner.md "Lending": exact amounts (6 decimals), and what borrowers pay in cents.
  private static ObjectNode lending(LendingEstimate estimate) {
    ObjectNode node = JSON.createObjectNode();
    node.put("borrowFillPercent", estimate.borrowFillPercent());
    node.put("idleSlotHours", estimate.idleSlotHours());
    node.put("lentSlotHours", estimate.lentSlotHours());
    node.put("lendingRatePerSlotHour", estimate.lendingRate());
    node.put("earned", estimate.earned());
    node.put("earnedPayable", Money.cents(estimate.earned()));
    node.put("ownerSaving", estimate.ownerSaving());
    return node;
  }
}
