package io.gpureservation.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operator as the chart runs it: {@code java -jar gpu-reservation-operator.jar run} in its own
 * process (so it can be killed with SIGKILL), logging to operator/target/it-logs/.
 */
final class OperatorProcess {
  private OperatorProcess() {}

  /** Starts {@code Main run} with the given kubeconfig and extra environment. */
  static Process start(Path kubeconfig, String logName, Map<String, String> environment)
      throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(RealCluster.repoRoot().resolve("operator/target"))) {
      jar =
          files
              .filter(f -> f.getFileName().toString().matches("gpu-reservation-operator-.*\\.jar"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no operator jar: run mvn package first"));
    }
    Path logs = Files.createDirectories(RealCluster.repoRoot().resolve("operator/target/it-logs"));
    Path log = logs.resolve(logName + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Tests restart the operator dozens of times: C1 only and the serial collector
                // halve its start-up (6.8 s -> 3.8 s to ready on the busy 2-core machine).
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString(),
                "run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("HTTP_PORT", "0");
    env.put("METRICS_PORT", "0");
    env.putAll(environment);
    System.out.println(logName + " log: " + log);
    return pb.start();
  }
}
