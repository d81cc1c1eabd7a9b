package io.gpureservation;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpureservation.cli.BillCommand;
import io.gpureservation.cli.PlanCommand;
import io.gpureservation.cluster.OperatorApp;
import io.gpureservation.cluster.OperatorClient;
import io.gpureservation.cluster.OperatorConfig;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point: {@code run} (the default) starts the operator against the current kubeconfig; {@code
 * bill} prices a usage file; {@code plan} finds the cheapest way to guarantee capacity for a trace.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    String command = args.length == 0 ? "run" : args[0];
    switch (command) {
      case "run" -> run();
      case "bill" ->
          System.exit(
              BillCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
      case "plan" ->
          System.exit(
              PlanCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
      default -> {
        System.err.println(
            "usage: gpu-reservation-operator [run | bill <usage-file> | plan <trace.csv> | plan"
                + " generate]");
        System.exit(2);
      }
    }
  }

  private static void run() throws InterruptedException {
    KubernetesClient client = OperatorClient.create();
    OperatorApp app = OperatorApp.start(client, OperatorConfig.fromEnvironment());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.stop();
                  client.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
