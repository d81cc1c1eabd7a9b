package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Watch;
import io.gpureservation.cli.PlanCommand;
import io.gpureservation.core.catalog.Catalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan and a bill agree (docs/planner.md, "The replay test"): a small trace (test resource {@code
 * replay/small-tide.csv}, seconds long) is replayed through the operator on the test cluster — each
 * pod created at its start offset and deleted at its end — against a reservation of the planner's
 * always-on option (the trace's peak, live from the trace's first start to its last end through
 * {@code startAt} and {@code releaseAt}); then the planner prices the same trace and the
 * reservation's accrued cost equals the planner's always-on figure to the cent.
 *
 * <p>Time: a pod is created at its offset, but the operator deducts a slot when it sees the pod
 * bound, a few hundred milliseconds later, and releases it when it sees the deletion. So the trace
 * the planner prices is derived from the operator's own records: every status write the reservation
 * gets (watched from before it exists) carries its ledger and {@code accruedUntil}, the instant
 * from which its counts are accrued; the instant a pod enters or leaves the ledger is that of the
 * write, or the edge ({@code startAt}, {@code releaseAt}) between two writes, where the accrual
 * switches counts (docs/time-windows.md, "Accrual"). The pods running across the edges are
 * therefore deterministic. The planner assumes the reserved capacity is held from the first
 * instant; the operator bills an idle slot only while its placeholder is bound
 * (docs/capacity-holding.md) and records the rest as {@code unheldSlotSeconds}, which the
 * comparison prices at the reservation rate. No assertion is about how long anything took.
 */
class ReplayIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();

  @RegisterExtension
  @Order(InProcessOperator.AFTER_THE_CLUSTER)
  static final InProcessOperator operator = new InProcessOperator(cluster);

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000L);

  /** One row of the trace, times as offsets from its first start. */
  private record Row(
      String namespace,
      String pod,
      String cardType,
      int cards,
      String cpu,
      String memory,
      Duration start,
      Duration end) {}

  @Test
  void theReservationsAccruedCostEqualsThePlannersAlwaysOnFigureToTheCent(@TempDir Path dir)
      throws Exception {
    List<Row> trace = readTrace();
    Duration spanLength = trace.stream().map(Row::end).max(Comparator.naturalOrder()).orElseThrow();
    int peak = peak(trace);
    Instant t0 = Instant.now().plusSeconds(12).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant t1 = t0.plus(spanLength);

    List<LedgerRecording.Write> writes = new CopyOnWriteArrayList<>();
    try (Watch watch = LedgerRecording.watchStatus(cluster, "replay", writes)) {
      Workload.reservation(
          cluster,
          cluster.namespace(),
          "replay",
          Map.of(
              "cardType",
              "L20",
              "cards",
              1,
              "quantity",
              peak,
              "startAt",
              t0.toString(),
              "releaseAt",
              t1.toString()));
      replay(trace, t0, t1);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Map<String, Object> s = status();
                assertThat(s).containsEntry("phase", "Expired");
                assertThat((List<?>) s.getOrDefault("ledger", List.of())).isEmpty();
              });
    }
    Map<String, Object> accrued = accrued();

    // the trace as the operator recorded it, priced by the plan command
    Map<String, Instant[]> recorded = LedgerRecording.recordedRuns(writes, List.of(t0, t1));
    assertThat(recorded.keySet())
        .containsExactlyInAnyOrderElementsOf(trace.stream().map(Row::pod).toList());
    assertThat(recorded.get("steady")).containsExactly(t0, t1);
    long podMillis =
        recorded.values().stream().mapToLong(r -> r[1].toEpochMilli() - r[0].toEpochMilli()).sum();
    assertThat(millis(accrued, "activeSlotSeconds")).isEqualTo(podMillis);
    assertThat(millis(accrued, "idleSlotSeconds") + millis(accrued, "unheldSlotSeconds"))
        .isEqualTo(peak * spanLength.toMillis() - podMillis);

    Path csv = dir.resolve("recorded.csv");
    Files.writeString(csv, csv(trace, recorded));
    JsonNode alwaysOn = alwaysOnOption(csv, peak);

    BigDecimal rate = Catalog.defaults().reservationHourlyRate("L20", 1).orElseThrow();
    BigDecimal operatorExact =
        new BigDecimal(String.valueOf(accrued.get("idleRateMillis")))
            .add(new BigDecimal(String.valueOf(accrued.get("activeRateMillis"))))
            .add(rate.multiply(BigDecimal.valueOf(millis(accrued, "unheldSlotSeconds"))))
            .divide(MILLIS_PER_HOUR, 12, RoundingMode.HALF_UP);
    BigDecimal planner = alwaysOn.get("total").decimalValue();
    System.out.printf(
        "replay: %d pods, %d slots over %s; planner always-on %s; operator %s (active %s s, idle"
            + " held %s s, unheld %s s)%n",
        trace.size(),
        peak,
        spanLength,
        planner,
        operatorExact.setScale(6, RoundingMode.HALF_UP),
        accrued.get("activeSlotSeconds"),
        accrued.get("idleSlotSeconds"),
        accrued.get("unheldSlotSeconds"));
    assertThat(operatorExact.setScale(2, RoundingMode.HALF_UP))
        .isEqualByComparingTo(planner.setScale(2, RoundingMode.HALF_UP));
    // closer than cents: the planner rounds its idle and its pod line to 6 decimals each
    assertThat(operatorExact.subtract(planner).abs())
        .isLessThanOrEqualTo(new BigDecimal("0.000001"));
  }

  // --- the replay -----------------------------------------------------------------------------

  // Creates each pod at its start and deletes it at its end; pods that start with the trace are
  // running before the reservation starts and those that end with it run past its release, so the
  // operator's edges, not the pods' timing, bound them.
  private static void replay(List<Row> trace, Instant t0, Instant t1) throws InterruptedException {
    Duration span = Duration.between(t0, t1);
    List<Map.Entry<Instant, Runnable>> steps = new ArrayList<>();
    for (Row row : trace) {
      Instant start = row.start().isZero() ? t0.minusSeconds(6) : t0.plus(row.start());
      Instant end = row.end().equals(span) ? t1.plusSeconds(2) : t0.plus(row.end());
      steps.add(Map.entry(start, () -> Workload.gpuPod(cluster, row.pod(), row.cardType(), 1)));
      steps.add(Map.entry(end, () -> delete(row.pod())));
    }
    steps.sort(Map.Entry.comparingByKey());
    for (Map.Entry<Instant, Runnable> step : steps) {
      long wait = Duration.between(Instant.now(), step.getKey()).toMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      step.getValue().run();
    }
  }

  private static void delete(String pod) {
    cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .withName(pod)
        .withGracePeriod(0)
        .delete();
  }

  // --- the planner ----------------------------------------------------------------------------

  private static String csv(List<Row> trace, Map<String, Instant[]> recorded) {
    StringBuilder out = new StringBuilder("namespace,pod,cardType,cards,cpu,memory,start,end\n");
    for (Row row : trace) {
      Instant[] run = recorded.get(row.pod());
      out.append(
          String.join(
              ",",
              row.namespace(),
              row.pod(),
              row.cardType(),
              String.valueOf(row.cards()),
              row.cpu(),
              row.memory(),
              run[0].toString(),
              run[1].toString()));
      out.append('\n');
    }
    return out.toString();
  }

  private static JsonNode alwaysOnOption(Path csv, int slots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        PlanCommand.run(
            new String[] {csv.toString(), "--target", String.valueOf(slots), "--json"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode plan = new ObjectMapper().readTree(out.toByteArray());
    for (JsonNode option : plan.get("shapes").get(0).get("options")) {
      if (option.get("kind").asText().equals("always-on")) {
        return option;
      }
    }
    throw new AssertionError("no always-on option in " + plan);
  }

  // --- fixtures -------------------------------------------------------------------------------

  private static List<Row> readTrace() throws IOException {
    List<Row> rows = new ArrayList<>();
    Instant first = null;
    try (InputStream in = ReplayIT.class.getResourceAsStream("/replay/small-tide.csv")) {
      List<String> lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .skip(1)
              .toList();
      for (String line : lines) {
        String[] f = line.split(",");
        Instant start = Instant.parse(f[6]);
        first = first == null || start.isBefore(first) ? start : first;
        rows.add(
            new Row(
                f[0],
                f[1],
                f[2],
                Integer.parseInt(f[3]),
                f[4],
                f[5],
                Duration.ofMillis(start.toEpochMilli()),
                Duration.ofMillis(Instant.parse(f[7]).toEpochMilli())));
      }
    }
    long origin = first.toEpochMilli();
    return rows.stream()
        .map(
            r ->
                new Row(
                    r.namespace(),
                    r.pod(),
                    r.cardType(),
                    r.cards(),
                    r.cpu(),
                    r.memory(),
                    r.start().minusMillis(origin),
                    r.end().minusMillis(origin)))
        .toList();
  }

  private static int peak(List<Row> trace) {
    int peak = 0;
    for (Row r : trace) {
      int running = 0;
      for (Row other : trace) {
        if (other.start().compareTo(r.start()) <= 0 && other.end().compareTo(r.start()) > 0) {
          running++;
        }
      }
      peak = Math.max(peak, running);
    }
    return peak;
  }

  private static Map<String, Object> status() {
    return ReservationStatus.read(cluster, cluster.namespace(), "replay");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> accrued() {
    return (Map<String, Object>) status().get("accrued");
  }

  private static long millis(Map<String, Object> accrued, String field) {
    return new BigDecimal(String.valueOf(accrued.get(field))).movePointRight(3).longValueExact();
  }
}
