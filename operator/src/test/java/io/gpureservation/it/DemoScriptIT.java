package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "run it" command, non-interactively: {@code scripts/demo.sh --once} on a machine
 * without a cluster starts its own control plane, the fake scheduler and the operator, applies the
 * CRDs and every example, prints the reservations and pods, and exits 0 only when every pod got the
 * billing mode its example expects; then it leaves no process behind.
 */
class DemoScriptIT {
  @Test
  void demoRunsOnALocalControlPlaneAndShowsTheExpectedBillingModes() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", "scripts/demo.sh", "--once")
            .directory(RealCluster.repoRoot().toFile())
            .redirectErrorStream(true);
    pb.environment().put("DEMO_SKIP_BUILD", "1");
    pb.environment().put("DEMO_LOCAL", "1");
    pb.environment().put("KUBECONFIG", "/nonexistent/kubeconfig");
    pb.environment().put("KUBE_API_TEST_DIR", RealCluster.testDir().toString());
    Process demo = pb.start();
    String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(demo.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(demo.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("starting etcd and kube-apiserver")
        .contains("== kubectl get gcr -A")
        .contains("== GPU pods and their billing modes")
        .containsPattern("(reserved|pay-as-you-go|resident)")
        .doesNotContain("pods not as their example expects");
  }
}
