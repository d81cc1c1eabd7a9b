package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Time windows on the project's cluster (docs/time-windows.md): a window that opens seconds after
 * the reservation is created and closes 20 seconds later. Before it the reservation is Pending and
 * holds nothing; at the start a running pay-as-you-go pod is matched and a placeholder holds the
 * other slot; at the end the pod returns to pay-as-you-go with ReservationWindowClosed and the
 * placeholder goes. The accrual covers exactly the window, however late the operator saw its edges.
 * The API server's refusals of malformed windows are CrdValidationIT's cases.
 */
class TimeWindowsIT {
  @RegisterExtension static final RealCluster cluster = RealCluster.withCrds();

  @RegisterExtension
  @Order(InProcessOperator.AFTER_THE_CLUSTER)
  static final InProcessOperator operator = new InProcessOperator(cluster);

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final long WINDOW_SECONDS = 20;

  @Test
  void aWindowOpensAndClosesOnItsEdges_andOnlyTheWindowIsBilled() {
    // the next whole minute at least 20 s away: time for the pod to start pay-as-you-go first
    ZonedDateTime open =
        ZonedDateTime.now(ZoneOffset.UTC)
            .plusSeconds(20)
            .truncatedTo(ChronoUnit.MINUTES)
            .plusMinutes(1);
    String cron = open.getMinute() + " " + open.getHour() + " * * *";
    Instant opens = open.toInstant();
    Instant closes = opens.plusSeconds(WINDOW_SECONDS);
    windowed(
        "tide", 2, Map.of("schedule", cron, "timeZone", "UTC", "duration", WINDOW_SECONDS + "s"));
    awaitStatus(
        s -> {
          assertThat(s).containsEntry("phase", "Pending");
          assertThat(s).containsEntry("nextEdge", opens.toString());
          assertThat(s).containsEntry("nextEdgeKind", "Opens");
          assertThat(ReservationStatus.condition(s, "Ready"))
              .containsEntry("status", "False")
              .containsEntry("reason", "WindowClosed");
        });
    Workload.gpuPod(cluster, "infer", "L20", 1);
    awaitPod(
        a ->
            assertThat(a)
                .containsEntry("gpureservation.io/billing-mode", "pay-as-you-go")
                .containsEntry("gpureservation.io/reason", "NoMatchingReservation"));
    assertThat(placeholders()).isEmpty();

    awaitStatus(
        s -> {
          assertThat(s).containsEntry("phase", "Active");
          assertThat(s).containsEntry("nextEdge", closes.toString());
          assertThat(s).containsEntry("active", 1);
        });
    awaitPod(
        a ->
            assertThat(a)
                .containsEntry("gpureservation.io/billing-mode", "reserved")
                .containsKey("gpureservation.io/reservation"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(placeholders()).hasSize(1));

    awaitStatus(
        s -> {
          assertThat(s).containsEntry("phase", "Pending");
          assertThat(s).containsEntry("nextEdge", opens.plus(Duration.ofDays(1)).toString());
          assertThat(s).containsEntry("active", 0);
        });
    awaitPod(
        a ->
            assertThat(a)
                .containsEntry("gpureservation.io/billing-mode", "pay-as-you-go")
                .containsEntry("gpureservation.io/reason", "ReservationWindowClosed"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(placeholders()).isEmpty());

    // One slot deducted and one idle over exactly the window: the operator's reconciles came a
    // little after each edge, its accrual did not (docs/time-windows.md, "Accrual").
    Map<String, Object> accrued = accrued();
    assertThat(decimal(accrued, "activeSlotSeconds")).isEqualByComparingTo("20");
    assertThat(decimal(accrued, "idleSlotSeconds").add(decimal(accrued, "unheldSlotSeconds")))
        .isEqualByComparingTo("20");
    assertThat(decimal(accrued, "idleSlotSeconds")).isPositive();
  }

  @Test
  void aWindowOnlyTheOperatorCanRefuseMakesTheReservationNotReady_andItHoldsNothing() {
    windowed(
        "mars", 1, Map.of("schedule", "* * * * *", "timeZone", "Mars/Olympus", "duration", "30s"));
    awaitStatus(
        "mars",
        s -> {
          assertThat(ReservationStatus.condition(s, "Ready"))
              .containsEntry("status", "False")
              .containsEntry("reason", "InvalidWindow")
              .containsEntry("message", "spec.windows[0].timeZone: unknown time zone Mars/Olympus");
          assertThat(s).containsEntry("idle", 0);
        });
    assertThat(placeholders("mars")).isEmpty();
  }

  // --- fixtures -------------------------------------------------------------------------------

  private static List<Pod> placeholders() {
    return placeholders("tide");
  }

  private static List<Pod> placeholders(String reservation) {
    return cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .withLabel("gpureservation.io/placeholder-for", reservation)
        .list()
        .getItems();
  }

  private static void awaitPod(Consumer<Map<String, String>> check) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Pod pod =
                  cluster.admin().pods().inNamespace(cluster.namespace()).withName("infer").get();
              Map<String, String> annotations = pod.getMetadata().getAnnotations();
              assertThat(annotations).isNotNull();
              check.accept(annotations);
            });
  }

  // One L20 slot shape (the catalog's highest spec) live only in this window.
  private static void windowed(String name, int quantity, Map<String, Object> window) {
    Workload.reservation(
        cluster,
        cluster.namespace(),
        name,
        Map.of("cardType", "L20", "cards", 1, "quantity", quantity, "windows", List.of(window)));
  }

  private static void awaitStatus(Consumer<Map<String, Object>> check) {
    awaitStatus("tide", check);
  }

  private static void awaitStatus(String name, Consumer<Map<String, Object>> check) {
    ReservationStatus.await(cluster, cluster.namespace(), name, check);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> accrued() {
    return (Map<String, Object>)
        ReservationStatus.read(cluster, cluster.namespace(), "tide").get("accrued");
  }

  private static BigDecimal decimal(Map<String, Object> accrued, String field) {
    return new BigDecimal(String.valueOf(accrued.get(field)));
  }
}
