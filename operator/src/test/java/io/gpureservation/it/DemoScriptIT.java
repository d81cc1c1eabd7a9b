package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "run it" command, non-interactively: {@code scripts/demo.sh --once} on a machine
 * without a cluster starts the project's local cluster (scripts/cluster.sh: control plane,
 * scheduler, controller-manager, KWOK GPU nodes) and the operator, applies the CRDs and every
 * example, prints the nodes, the reservations and the pods with the nodes they run on, and exits 0
 * only when every pod got the billing mode its example expects; then it leaves no process behind.
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
        .contains("starting the local cluster")
        .contains("== nodes")
        .containsPattern("l20-a-1 +NVIDIA-L20 +zone-a +8 ")
        .containsPattern("a10-b-1 +NVIDIA-A10 +zone-b +8 ")
        .containsPattern("demo-\\S+ +\\S+ +l20-\\S+ +Running +reserved")
        .contains("== kubectl get gcr -A")
        .contains("== GPU pods and their billing modes")
        .containsPattern("(reserved|pay-as-you-go|resident)")
        .doesNotContain("pods not as their example expects");
    Matcher dir = Pattern.compile("in (\\S+/cluster)\\n").matcher(output);
    assertThat(dir.find()).as(output).isTrue();
    String clusterDir = dir.group(1);
    assertThat(
            ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(clusterDir)))
        .as("processes of the demo's cluster still running")
        .isEmpty();
  }
}
