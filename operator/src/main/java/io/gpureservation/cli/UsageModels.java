package io.gpureservation.cli;

import io.gpureservation.core.billing.Bill;
import io.gpureservation.core.billing.CapacityReservationPricing;
import io.gpureservation.core.billing.CapacityReservationPricing.Phase;
import io.gpureservation.core.billing.CuTiers.PriceList;
import io.gpureservation.core.billing.FcCuPricing;
import io.gpureservation.core.billing.FcCuPricing.FunctionCycle;
import io.gpureservation.core.billing.FcGpuIdlePricing;
import io.gpureservation.core.billing.FcUsage;
import io.gpureservation.core.billing.FcUsageMeter;
import io.gpureservation.core.billing.FunctionGraphPricing;
import io.gpureservation.core.billing.ResidentPoolPricing;
import io.gpureservation.core.catalog.Catalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads each {@code model:} of a usage file (format: docs/billing.md) and prices it. */
final class UsageModels {
  static final List<String> MODELS =
      List.of(
          "capacity-reservation",
          "resident-pool",
          "fc-cu",
          "fc-gpu-idle",
          "functiongraph",
          "savings-plan");

  private static final BigDecimal MB_PER_GB = BigDecimal.valueOf(1024);

  private final Catalog catalog;

  UsageModels(Catalog catalog) {
    this.catalog = catalog;
  }

  List<Bill> price(UsageNode usage) {
    String model = usage.text("model");
    return switch (model.toLowerCase(Locale.ROOT)) {
      case "capacity-reservation" -> List.of(capacityReservation(usage));
      case "resident-pool" -> residentPool(usage);
      case "fc-cu" -> List.of(functionComputeCu(usage));
      case "fc-gpu-idle" -> functionComputeGpuIdle(usage);
      case "functiongraph" -> List.of(functionGraph(usage));
      case "savings-plan" -> List.of(new SavingsPlanUsage(catalog).price(usage));
      default -> throw new UsageException("model", "unknown model " + model + "; one of " + MODELS);
    };
  }

  private Bill capacityReservation(UsageNode usage) {
    String cardType = usage.text("cardType");
    if (catalog.canonicalCardType(cardType).isEmpty()) {
      throw new UsageException(
          "cardType", "unknown card type " + cardType + "; one of " + catalog.cardTypes());
    }
    List<Phase> phases = new ArrayList<>();
    for (UsageNode phase : usage.list("phases")) {
      phases.add(
          new Phase(
              phase.text("name", phase.path()),
              Duration.ofMillis(phase.durationMillis("duration")),
              phase.integer("slots"),
              phase.integer("runningPods")));
    }
    String region = usage.has("region") ? usage.text("region") : null;
    return new CapacityReservationPricing(catalog)
        .bill(cardType, usage.integer("cards"), region, phases);
  }

  private List<Bill> residentPool(UsageNode usage) {
    ResidentPoolPricing pricing = new ResidentPoolPricing(catalog);
    int cards = usage.integer("cards");
    int months = usage.integer("months");
    List<String> sizing = new ArrayList<>();
    int diskPerCard;
    if (usage.has("diskPerCardGB")) {
      diskPerCard = usage.integer("diskPerCardGB");
    } else {
      long total = 0;
      for (UsageNode need : usage.list("functionDisks")) {
        long gb = need.wholeNumber("diskGB") * need.wholeNumber("instances");
        sizing.add(
            need.text("function")
                + ": "
                + need.wholeNumber("diskGB")
                + " GB x "
                + need.wholeNumber("instances")
                + " instances = "
                + gb
                + " GB");
        total += gb;
      }
      diskPerCard = ResidentPoolPricing.diskPerCardGB(total, cards);
      sizing.add("Disk per card: " + total + " GB / " + cards + " cards -> " + diskPerCard + " GB");
    }
    Bill fee =
        pricing.subscriptionFee(
            usage.text("region"), usage.text("cardSeries"), cards, diskPerCard, months);
    List<Bill> bills = new ArrayList<>();
    bills.add(fee.withMoreNotes(sizing));
    if (usage.has("unsubscribe")) {
      UsageNode unsubscribe = usage.child("unsubscribe").orElseThrow();
      long termDays =
          unsubscribe.has("termDays")
              ? unsubscribe.wholeNumber("termDays")
              : ResidentPoolPricing.termDays(date(unsubscribe, "startDate"), months);
      BigDecimal daily = ResidentPoolPricing.dailyPrice(fee.total(), termDays);
      Bill refund = pricing.refund(fee.total(), daily, unsubscribe.integer("usageDays"));
      String dailyNote =
          "Daily price: "
              + fee.total().toPlainString()
              + " / "
              + termDays
              + " days, rounded up to the cent = "
              + daily.toPlainString();
      bills.add(refund.withMoreNotes(List.of(dailyNote)));
    }
    return bills;
  }

  private Bill functionComputeCu(UsageNode usage) {
    var fc = catalog.functionCompute();
    FcUsageMeter meter = new FcUsageMeter(fc.cuFactors().diskFreeGB());
    List<FunctionCycle> cycles = new ArrayList<>();
    for (UsageNode function : usage.list("functions")) {
      cycles.add(new FunctionCycle(function.text("name"), fcUsage(function, meter)));
    }
    String list = usage.text("priceList", "list");
    PriceList priceList =
        switch (list.toLowerCase(Locale.ROOT)) {
          case "list" -> PriceList.LIST;
          case "promotional" -> PriceList.PROMOTIONAL;
          default -> throw new UsageException("priceList", "must be list or promotional: " + list);
        };
    return new FcCuPricing(fc)
        .bill(
            cycles,
            usage.decimal("monthToDateCu", BigDecimal.ZERO),
            usage.decimal("resourcePlanCu", BigDecimal.ZERO),
            priceList);
  }

  private FcUsage fcUsage(UsageNode function, FcUsageMeter meter) {
    BigDecimal invocations = function.decimal("invocations", BigDecimal.ZERO);
    if (function.has("usage")) {
      UsageNode u = function.child("usage").orElseThrow();
      return new FcUsage(
          u.decimal("invocations", invocations),
          u.decimal("activeVcpuSeconds", BigDecimal.ZERO),
          u.decimal("idleVcpuSeconds", BigDecimal.ZERO),
          u.decimal("memoryGBSeconds", BigDecimal.ZERO),
          u.decimal("diskGBSeconds", BigDecimal.ZERO),
          u.has("gpuSeries") ? u.text("gpuSeries") : null,
          u.decimal("activeGpuGBSeconds", BigDecimal.ZERO),
          u.decimal("idleGpuGBSeconds", BigDecimal.ZERO));
    }
    UsageNode spec =
        function
            .child("spec")
            .orElseThrow(
                () ->
                    new UsageException(
                        function.field("usage"), "either usage or spec is required"));
    FcUsageMeter.Spec meterSpec =
        new FcUsageMeter.Spec(
            spec.decimal("vcpu"),
            spec.decimal("memoryMB").divide(MB_PER_GB),
            spec.decimal("diskMB", BigDecimal.valueOf(512)).divide(MB_PER_GB),
            spec.has("gpuSeries") ? spec.text("gpuSeries") : null,
            spec.decimal("gpuMemoryGB", BigDecimal.ZERO));
    if (function.has("reserved")) {
      UsageNode reserved = function.child("reserved").orElseThrow();
      return meter.reserved(
          meterSpec,
          reserved.durationMillis("active"),
          reserved.durationMillis("idle"),
          reserved.flag("idleMode", meterSpec.gpuSeries() == null),
          invocations);
    }
    UsageNode onDemand =
        function
            .child("onDemand")
            .orElseThrow(
                () ->
                    new UsageException(
                        function.field("reserved"),
                        "either reserved or onDemand is required with spec"));
    return meter.onDemand(meterSpec, onDemand.durationMillis("execution"), invocations);
  }

  private List<Bill> functionComputeGpuIdle(UsageNode usage) {
    FcGpuIdlePricing pricing = new FcGpuIdlePricing(catalog.functionCompute().gpuIdle2024());
    String series = usage.text("gpuSeries");
    BigDecimal gpuGB = usage.decimal("gpuMemoryGB");
    long provisioned = usage.durationMillis("provisioned");
    long active =
        Math.multiplyExact(
            usage.wholeNumber("invocations"), usage.durationMillis("invocationDuration"));
    if (active > provisioned) {
      throw new UsageException(
          "invocations", "invocations x invocationDuration exceeds provisioned");
    }
    List<String> currencies =
        usage.has("currencies") ? usage.texts("currencies") : List.of(catalog.currency());
    List<Bill> bills = new ArrayList<>();
    for (String currency : currencies) {
      Bill off = pricing.bill(series, gpuGB, provisioned, active, false, currency);
      Bill on = pricing.bill(series, gpuGB, provisioned, active, true, currency);
      String savings = FcGpuIdlePricing.savingsPercent(off, on).toPlainString();
      bills.add(off);
      bills.add(on.withMoreNotes(List.of("Savings vs idle mode off: " + savings + "%")));
    }
    return bills;
  }

  private Bill functionGraph(UsageNode usage) {
    List<FunctionGraphPricing.OnDemand> onDemand =
        usage.list("onDemand", true).stream()
            .map(
                run ->
                    new FunctionGraphPricing.OnDemand(
                        run.text("function"),
                        run.integer("memoryMB"),
                        run.wholeNumber("executions"),
                        run.durationMillis("duration")))
            .toList();
    List<FunctionGraphPricing.Reserved> reserved =
        usage.list("reserved", true).stream()
            .map(
                instance ->
                    new FunctionGraphPricing.Reserved(
                        instance.text("function"),
                        instance.integer("memoryMB"),
                        instance.durationMillis("lifetime"),
                        instance.has("execution") ? instance.durationMillis("execution") : 0,
                        instance.flag("idleMode", false)))
            .toList();
    return new FunctionGraphPricing(catalog.functionGraph())
        .bill(usage.wholeNumber("requests"), onDemand, reserved);
  }

  private static LocalDate date(UsageNode node, String name) {
    String text = node.text(name);
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new UsageException(node.field(name), "not a date (YYYY-MM-DD): " + text);
    }
  }
}
