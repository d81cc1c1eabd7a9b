package io.gpureservation.it;

import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorConfig;
import java.time.Clock;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The operator started in the test's JVM as the cluster admin, with the system clock, for a test
 * class. JUnit's order of extension fields is not their declaration order;
 * {@code @Order(AFTER_THE_CLUSTER)} starts it after the {@link RealCluster} field (which has the
 * default order) and stops it before.
 */
final class InProcessOperator implements BeforeAllCallback, AfterAllCallback {
  static final int AFTER_THE_CLUSTER = Order.DEFAULT + 1;

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
