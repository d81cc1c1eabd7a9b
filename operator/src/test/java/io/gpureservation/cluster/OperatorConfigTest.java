package io.gpureservation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics settings from the environment (docs/install.md, "Metrics"). */
class OperatorConfigTest {
  @Test
  void metricsAreSecureOn8443WithTheWebhookCertificateByDefault() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(Map.of("WEBHOOK_TLS_DIR", "/etc/webhook-tls"));
    assertThat(config.metrics())
        .isEqualTo(new OperatorConfig.Metrics(true, 8443, Path.of("/etc/webhook-tls")));
    assertThat(config.httpPort()).isEqualTo(8080);
  }

  @Test
  void eachMetricsSettingHasItsVariable() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "METRICS_SECURE", "false",
                "METRICS_PORT", "9444",
                "METRICS_TLS_DIR", "/etc/metrics-tls"));
    assertThat(config.metrics())
        .isEqualTo(new OperatorConfig.Metrics(false, 9444, Path.of("/etc/metrics-tls")));
  }
}
