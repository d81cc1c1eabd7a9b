package io.gpureservation.it;

import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorConfig;
import java.time.Clock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The operator started in the test's JVM as the cluster admin, with the system clock, for a test
 * class: register it after the {@link RealCluster} field (JUnit registers static extension fields
 * in declaration order), as {@code @RegisterExtension static final InProcessOperator operator = new
 * InProcessOperator(cluster);}.
 */
final class InProcessOperator implements BeforeAllCallback, AfterAllCallback {
  private final RealCluster cluster;
  private OperatorApp app;

  InProcessOperator(RealCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    app =
        OperatorApp.start(
            cluster.admin(), OperatorConfig.defaults().withHttpPort(-1), Clock.systemUTC());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (app != null) {
      app.close();
    }
  }
}
