package io.gpureservation.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpureservation.cluster.ChargebackMetrics;
import io.gpureservation.reservation.ReservationMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The chart's Grafana dashboard queries only metrics the operator exports (docs/billing.md). */
class DashboardTest {
  private static final Path DASHBOARD =
      Path.of("..", "helm", "gpu-reservation-operator", "files", "dashboards")
          .resolve("gpu-reservation.json");
  private static final Pattern METRIC = Pattern.compile("\\bgpureservation_[a-z_]+");

  private static List<String> queries() throws IOException {
    JsonNode root = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    root.findValues("expr").forEach(e -> queries.add(e.asText()));
    root.path("templating")
        .path("list")
        .forEach(
            v -> {
              if (v.path("query").isTextual() && v.path("query").asText().contains("(")) {
                queries.add(v.path("query").asText());
              }
            });
    return queries;
  }

  @Test
  void everyQueryNamesAMetricTheOperatorExports() throws IOException {
    Set<String> exported = new HashSet<>(ChargebackMetrics.NAMES);
    exported.addAll(ReservationMetrics.NAMES);
    List<String> queries = queries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);

    for (String q : queries) {
      Matcher m = METRIC.matcher(q);
      List<String> named = new ArrayList<>();
      while (m.find()) {
        named.add(m.group());
      }
      assertThat(named).as("query names an operator metric: %s", q).isNotEmpty();
      assertThat(exported).as("metrics of %s", q).containsAll(named);
    }
  }

  @Test
  void theDashboardShowsWhatTheIssueAsksFor() throws IOException {
    String all = String.join("\n", queries());
    assertThat(all)
        .contains("gpureservation_reservation_slots")
        .contains("billing_mode=\"idle-reservation\"")
        .contains("billing_mode=\"pay-as-you-go\"")
        .contains("gpureservation_pool_days_to_expiry")
        .contains("gpureservation_pool_cards");
  }
}
