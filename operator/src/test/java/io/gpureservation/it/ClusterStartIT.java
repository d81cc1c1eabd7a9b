package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cluster launcher cannot fail on a port (docs/testing.md "Ports"): {@code scripts/cluster.sh}
 * starts and stops the control plane again and again, two launchers at the same moment picking from
 * the same narrow range, while other processes churn ports the way a busy machine does — thousands
 * of outgoing loopback connections taking ephemeral ports (what made a CI run fail before) and a
 * squatter that keeps binding random ports of the very range the launcher picks from, so components
 * do lose ports between pick and bind — and every start ends in a ready API server.
 */
class ClusterStartIT {
  /** Rounds of two launchers started at the same moment, picking from the same range. */
  private static final int ROUNDS = 4;

  private static final int SIDE_BY_SIDE = 2;

  /** A narrow range of 300 ports, so launchers and the squatter really collide. */
  private static final int RANGE_FIRST = 29000;

  private static final int RANGE_LAST = 29299;

  @Test
  void eightStartsTwoAtATimeUnderPortChurnAllEndReady() throws Exception {
    Path root = RealCluster.repoRoot();
    int lostPorts = 0;
    ExecutorService launchers = Executors.newFixedThreadPool(SIDE_BY_SIDE);
    try (Churn churn = Churn.start()) {
      for (int round = 1; round <= ROUNDS; round++) {
        List<Future<String>> starts = new ArrayList<>();
        for (int i = 0; i < SIDE_BY_SIDE; i++) {
          String name = "cluster-start-" + round + "-" + i + "-";
          starts.add(launchers.submit(() -> startReadyAndStop(root, name)));
        }
        for (Future<String> start : starts) {
          lostPorts += count(start.get(), "a port was taken before its component bound it");
        }
      }
      System.out.printf(
          "ClusterStartIT: %d starts (%d side by side), %d components lost a port and were"
              + " started again; churn made %d outgoing connections and %d squats%n",
          ROUNDS * SIDE_BY_SIDE,
          SIDE_BY_SIDE,
          lostPorts,
          churn.connections.get(),
          churn.squats.get());
      assertThat(churn.connections.get()).as("outgoing connections made meanwhile").isPositive();
      assertThat(churn.squats.get()).as("ports squatted meanwhile").isPositive();
    } finally {
      launchers.shutdownNow();
    }
  }

  /** One launcher's start, a check that its own API server answers, and its stop. */
  private static String startReadyAndStop(Path root, String name) throws IOException {
    Path dir = Files.createTempDirectory(name);
    try {
      String up = run(root, "up", dir.toString(), "--no-nodes", "--owner", pid());
      String ready =
          run(
              root,
              List.of(
                  RealCluster.kubectlBinary().toString(),
                  "--kubeconfig",
                  dir.resolve("kubeconfig").toString(),
                  "get",
                  "--raw",
                  "/readyz"));
      assertThat(ready).as(name).contains("ok");
      return up;
    } finally {
      run(root, "down", dir.toString());
    }
  }

  private static String pid() {
    return String.valueOf(ProcessHandle.current().pid());
  }

  private static int count(String text, String what) {
    return text.split(Pattern.quote(what), -1).length - 1;
  }

  private static String run(Path root, String... args) {
    List<String> command =
        new ArrayList<>(List.of("bash", root.resolve("scripts/cluster.sh").toString()));
    command.addAll(List.of(args));
    return run(root, command);
  }

  private static String run(Path root, List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("CLUSTER_PORTS_FIRST", String.valueOf(RANGE_FIRST));
      pb.environment().put("CLUSTER_PORTS_LAST", String.valueOf(RANGE_LAST));
      Process process = pb.start();
      String out;
      try (InputStream in = process.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Two threads that do to ports what a busy machine does. */
  private static final class Churn implements AutoCloseable {
    final AtomicLong connections = new AtomicLong();
    final AtomicLong squats = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ServerSocket sink;
    private final List<Thread> threads;

    private Churn() throws IOException {
      sink = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
      threads =
          List.of(new Thread(this::connect), new Thread(this::accept), new Thread(this::squat));
      threads.forEach(Thread::start);
    }

    static Churn start() throws IOException {
      return new Churn();
    }

    /** Outgoing connections, each taking a fresh ephemeral port. */
    private void connect() {
      while (running.get()) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sink.getLocalPort())) {
          connections.incrementAndGet();
        } catch (IOException e) {
          // the sink is closing
        }
        // About 200 a second: busy, without exhausting the range other processes need too.
        sleep(5);
      }
    }

    private void accept() {
      while (running.get()) {
        try (Socket s = sink.accept()) {
          s.getInputStream().available();
        } catch (IOException e) {
          return;
        }
      }
    }

    /**
     * Holds 10 random ports of the launchers' 300 at any moment, each for about 20 ms: a port a
     * launcher picked is taken before its component binds it about one time in thirty.
     */
    private void squat() {
      Deque<ServerSocket> held = new ArrayDeque<>();
      while (running.get()) {
        int port = ThreadLocalRandom.current().nextInt(RANGE_FIRST, RANGE_LAST + 1);
        try {
          held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
          squats.incrementAndGet();
        } catch (IOException taken) {
          // The launcher (or we) hold it: fine.
        }
        if (held.size() > 10) {
          closeQuietly(held.poll());
        }
        sleep(2);
      }
      held.forEach(Churn::closeQuietly);
    }

    private static void closeQuietly(ServerSocket s) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing a probe socket
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      sink.close();
      for (Thread t : threads) {
        t.join(5000);
      }
    }
  }
}
