package io.gpureservation.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpureservation.api.v1alpha1.CapacityReservation;
import io.gpureservation.api.v1alpha1.GpuReservation;
import io.gpureservation.cluster.ClusterFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The operator at cluster scale, beside a bare client doing the same work (docs/performance.md,
 * "The operator at cluster scale"). Run by scripts/load.sh, which starts the cluster and the
 * operator; never part of the tests. Every pod is bound at creation to one large KWOK node, as the
 * scheduler would bind it, so the figures measure the operator and not the scheduler.
 *
 * <p>Arguments: {@code burst PODS NAMESPACES} | {@code steady RATE SECONDS} | {@code heap PODS} |
 * {@code restart PODS RESERVATIONS}. Environment: KUBECONFIG, NODE (the node to bind to),
 * OPERATOR_PID (for heap), OPERATOR_HTTP (for restart), RESTART_COMMAND (for restart).
 */
public final class LoadBenchmark {
  static final int IN_FLIGHT = 16;

  private final KubernetesClient client;
  private final String node;
  private final ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
  private final Map<String, Long> annotatedAt = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> informer;

  LoadBenchmark(KubernetesClient client, String node) {
    this.client = client;
    this.node = node;
  }

  public static void main(String[] args) throws Exception {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withMaxConcurrentRequests(IN_FLIGHT * 2)
            .withMaxConcurrentRequestsPerHost(IN_FLIGHT)
            .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      LoadBenchmark bench = new LoadBenchmark(client, System.getenv("NODE"));
      bench.watchAnnotations();
      switch (args[0]) {
        case "burst" -> bench.burst(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        case "steady" -> bench.steady(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        case "heap" -> bench.heap(Integer.parseInt(args[1]));
        case "restart" -> bench.restart(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        default -> throw new IllegalArgumentException(args[0]);
      }
      bench.pool.shutdownNow();
      bench.informer.close();
    }
    System.exit(0);
  }

  // ------------------------------------------------------------------------------ scenarios

  /** (a) PODS GPU pods over NAMESPACES namespaces, half of them fitting reservations. */
  void burst(int pods, int namespaces) throws Exception {
    int perNamespace = pods / namespaces;
    warmUp(pods / 5);
    List<String> bare = namespaces("bare-" + namespaces, namespaces);
    ServerCost beforeBare = cost();
    long bareStart = System.nanoTime();
    forEach(pods, i -> bare.get(i % namespaces) + "/b-" + i, this::createAndAnnotate);
    double bareSeconds = seconds(bareStart);
    ServerCost bareCost = cost().since(beforeBare);

    List<String> op = namespaces("op-" + namespaces, namespaces);
    for (String ns : op) {
      reservation(ns, "half", perNamespace / 2);
    }
    Thread.sleep(2000); // the reservations' first status writes are not part of the burst
    ServerCost beforeOp = cost();
    long opStart = System.nanoTime();
    forEach(pods, i -> op.get(i % namespaces) + "/o-" + i, this::create);
    awaitAnnotated("o-", pods, Duration.ofMinutes(20));
    double opSeconds = seconds(opStart);
    // Settled: the last status writes of the burst are part of its cost.
    Thread.sleep(3000);
    ServerCost opCost = cost().since(beforeOp);
    printCost("burst", pods, bareCost, opCost);
    System.out.printf(
        "burst %d pods in %d namespaces: bare client %.1f s (%.0f pods/s), operator %.1f s"
            + " (%.0f pods/s), ratio %.2f%n",
        pods,
        namespaces,
        bareSeconds,
        pods / bareSeconds,
        opSeconds,
        pods / opSeconds,
        bareSeconds / opSeconds);
  }

  /**
   * (b) RATE pods per second for SECONDS seconds: create → annotated latency percentiles, for the
   * bare client (create, then its own patch) and for the operator.
   */
  void steady(int rate, int seconds) throws Exception {
    warmUp(rate * 2);
    String bare = namespaces("steady-bare", 1).get(0);
    ServerCost beforeBare = cost();
    List<Long> bareLatencies = paced(rate, seconds, bare, "sb-", this::createAndAnnotate, false);
    ServerCost bareCost = cost().since(beforeBare);
    String ns = namespaces("steady", 1).get(0);
    reservation(ns, "half", rate * seconds / 2);
    Thread.sleep(2000);
    ServerCost beforeOp = cost();
    List<Long> latencies = paced(rate, seconds, ns, "s-", this::create, true);
    Thread.sleep(3000);
    printCost("steady", rate * seconds, bareCost, cost().since(beforeOp));
    System.out.printf(
        "steady %d pods/s for %d s: create -> annotated p50 %.0f ms, p99 %.0f ms (bare client"
            + " p50 %.0f ms, p99 %.0f ms)%n",
        rate,
        seconds,
        percentile(latencies, 50),
        percentile(latencies, 99),
        percentile(bareLatencies, 50),
        percentile(bareLatencies, 99));
  }

  // Starts one operation every 1/RATE s; a latency runs from its start to the annotation.
  private List<Long> paced(
      int rate,
      int seconds,
      String namespace,
      String prefix,
      java.util.function.Consumer<String> op,
      boolean byOperator)
      throws Exception {
    Map<String, Long> startedAt = new ConcurrentHashMap<>();
    Map<String, Long> doneAt = new ConcurrentHashMap<>();
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    List<Future<?>> pending = new ArrayList<>();
    for (int i = 0; i < rate * seconds; i++) {
      long wait = start + i * periodNanos - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String name = prefix + i;
      String k = namespace + "/" + name;
      pending.add(
          pool.submit(
              () -> {
                startedAt.put(name, System.nanoTime());
                op.accept(k);
                doneAt.put(name, System.nanoTime());
              }));
    }
    for (Future<?> f : pending) {
      f.get();
    }
    if (byOperator) {
      awaitAnnotated(prefix, rate * seconds, Duration.ofMinutes(5));
    }
    Map<String, Long> end = byOperator ? annotatedAt : doneAt;
    List<Long> latencies = new ArrayList<>();
    startedAt.forEach((name, t) -> latencies.add(end.get(name) - t));
    latencies.sort(Long::compare);
    return latencies;
  }

  /** (c) heap of the operator after a full GC, empty and with PODS GPU pods tracked. */
  void heap(int pods) throws Exception {
    String pid = System.getenv("OPERATOR_PID");
    long empty = heapAfterFullGc(pid);
    List<String> nss = namespaces("heap", 20);
    for (String ns : nss) {
      reservation(ns, "half", pods / nss.size() / 2);
    }
    forEach(pods, i -> nss.get(i % nss.size()) + "/h-" + i, this::create);
    awaitAnnotated("h-", pods, Duration.ofMinutes(30));
    long full = heapAfterFullGc(pid);
    // Where the heap goes: the largest classes, for docs/performance.md.
    String histogram = run("jcmd", pid, "GC.class_histogram");
    histogram.lines().limit(28).forEach(l -> System.out.println("histogram " + l));
    System.out.printf(
        "heap after full GC: %.1f MB empty, %.1f MB with %d GPU pods: %.0f bytes per tracked pod%n",
        empty / 1e6, full / 1e6, pods, (double) (full - empty) / pods);
  }

  /** (d) PODS pods and RESERVATIONS reservations; kill -9 and start again. */
  void restart(int pods, int reservations) throws Exception {
    List<String> nss = namespaces("restart", 50);
    int perNs = reservations / nss.size();
    forEach(
        reservations,
        i -> nss.get(i % nss.size()) + "/r-" + i,
        key -> reservation(key.split("/")[0], key.split("/")[1], pods / reservations / 2));
    forEach(pods, i -> nss.get(i % nss.size()) + "/d-" + i, this::create);
    awaitAnnotated("d-", pods, Duration.ofMinutes(30));
    Map<String, String> before = settled();

    long start = System.nanoTime();
    Process restart = new ProcessBuilder("bash", "-c", System.getenv("RESTART_COMMAND")).start();
    restart.waitFor();
    HttpClient http = HttpClient.newHttpClient();
    String readyz = System.getenv("OPERATOR_HTTP") + "/readyz";
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(readyz)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // the new process is not listening yet
      }
      Thread.sleep(50);
    }
    double ready = seconds(start);
    create(nss.get(0) + "/d-new");
    awaitAnnotated("d-new", 1, Duration.ofMinutes(5));
    double firstNew = seconds(start);
    Thread.sleep(5000);
    Map<String, String> after = snapshot();
    after.keySet().removeIf(k -> k.contains("d-new"));
    after.keySet().removeIf(k -> k.startsWith("reservation ") && !before.containsKey(k));
    List<String> differing =
        before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).toList();
    long differences = differing.size();
    differing.stream()
        .limit(3)
        .forEach(k -> System.out.printf("differs %s: %s -> %s%n", k, before.get(k), after.get(k)));
    System.out.printf(
        "restart with %d pods, %d reservations (%d per namespace): ready %.1f s, a new pod"
            + " annotated %.1f s after the start; %d of %d ledgers and annotations differ%n",
        pods, reservations, perNs, ready, firstNew, differences, before.size());
  }

  // ------------------------------------------------------------------------------ helpers

  private ServerCost cost() {
    return ServerCost.snapshot(client, System.getenv("OPERATOR_PID"));
  }

  // The operator's phase includes the benchmark's own create per pod (POST); the bare client's
  // phase is its create and its patch. CPU is the operator process's, user + system.
  private static void printCost(String scenario, int pods, ServerCost bare, ServerCost operator) {
    System.out.printf(
        "%s cost: operator CPU %.1f s for %d pods (%.2f ms per pod); %.2f ms per pod it ignores"
            + " (the bare client's, during its phase)%n",
        scenario,
        operator.operatorCpuSeconds(),
        pods,
        operator.operatorCpuSeconds() * 1000 / pods,
        bare.operatorCpuSeconds() * 1000 / pods);
    System.out.printf(
        "%s API requests per pod: bare client %s; operator phase %s, of which the"
            + " benchmark's create is POST 1.00%n",
        scenario, bare.perPod(pods), operator.perPod(pods));
    System.out.printf("%s operator phase by resource: %s%n", scenario, operator.perPodByKind(pods));
    // Every pod watch decodes every pod event it selects (docs/architecture.md, "Pod watches").
    System.out.printf(
        "%s pod watches open: %.0f (the benchmark's own included)%n",
        scenario, operator.podWatches());
  }

  // The API server, KWOK and both JVMs warm up on pods that are not measured.
  private void warmUp(int pods) throws Exception {
    String ns = namespaces("warm-up", 1).get(0);
    reservation(ns, "warm", pods / 2);
    forEach(pods, i -> ns + "/w-" + i, this::createAndAnnotate);
    forEach(pods, i -> ns + "/x-" + i, this::create);
    awaitAnnotated("x-", pods, Duration.ofMinutes(10));
  }

  private void watchAnnotations() {
    informer =
        client
            .pods()
            .inAnyNamespace()
            .withLabel("load", "true")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    seen(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    seen(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {}
                });
  }

  private void seen(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    if (a != null && a.containsKey(GpuReservation.BILLING_MODE_ANNOTATION)) {
      annotatedAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
    }
  }

  private void awaitAnnotated(String prefix, int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (annotatedAt.keySet().stream().filter(n -> n.startsWith(prefix)).count() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not every " + prefix + " pod was annotated in time");
      }
      Thread.sleep(20);
    }
  }

  private List<String> namespaces(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = prefix + "-" + i;
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .serverSideApply();
      // A bare API server has no controller-manager to make it; pods need it (ServiceAccount
      // admission). On a full cluster this applies what is there.
      client
          .serviceAccounts()
          .inNamespace(name)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("default")
                  .withNamespace(name)
                  .endMetadata()
                  .build())
          .serverSideApply();
      names.add(name);
    }
    return names;
  }

  private void reservation(String ns, String name, int quantity) {
    client
        .resource(
            ClusterFixtures.reservation(ns, name).shape("4", "8Gi").quantity(quantity).build())
        .create();
  }

  private void create(String key) {
    create(key, "nvidia.com/gpu");
  }

  // The bare client's pods request a GPU resource the operator does not watch: the same objects,
  // which the operator leaves alone, so that it does not work on the bare client's pods too.
  private Pod create(String key, String gpuResource) {
    String[] parts = key.split("/");
    Map<String, Quantity> resources =
        Map.of(
            "cpu",
            new Quantity("1"),
            "memory",
            new Quantity("1Gi"),
            gpuResource,
            new Quantity("1"));
    return client
        .pods()
        .inNamespace(parts[0])
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(parts[1])
                .addToLabels("load", "true")
                .addToLabels(GpuReservation.CARD_TYPE_LABEL, "L20")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .withNewResources()
                .withRequests(resources)
                .withLimits(resources)
                .endResources()
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  // The bare client: what the operator does per pod, done by the creator itself. The patch names
  // the created pod: fabric8 GETs a pod named by withName(...) before patching it.
  private void createAndAnnotate(String key) {
    Pod created = create(key, "bench.example/gpu");
    client
        .pods()
        .inNamespace(created.getMetadata().getNamespace())
        .resource(created)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\""
                + GpuReservation.BILLING_MODE_ANNOTATION
                + "\":\"pay-as-you-go\"}}}");
  }

  private void forEach(int count, IntFunction<String> key, java.util.function.Consumer<String> op)
      throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String k = key.apply(i);
      futures.add(pool.submit(() -> op.accept(k)));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }

  // The snapshot once KWOK has run every pod and the operator has caught up: two equal in a row.
  private static final boolean FULL_CLUSTER = "full".equals(System.getenv("LOAD_CLUSTER"));

  private Map<String, String> settled() throws InterruptedException {
    Map<String, String> previous = snapshot();
    for (int i = 0; i < 60; i++) {
      Thread.sleep(5000);
      Map<String, String> next = snapshot();
      // Only KWOK runs pods: on the bare API server (the default) every pod stays Pending.
      boolean running = !FULL_CLUSTER || !next.toString().contains("phase=Pending");
      if (next.equals(previous) && running) {
        return next;
      }
      previous = next;
    }
    throw new IllegalStateException("ledgers and annotations did not settle");
  }

  // Every ledger (sorted lines) and every load pod's annotations.
  private Map<String, String> snapshot() {
    Map<String, String> result = new TreeMap<>();
    for (CapacityReservation r :
        client.resources(CapacityReservation.class).inAnyNamespace().list().getItems()) {
      result.put(
          "reservation " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(),
          r.getStatus() == null
              ? ""
              : r.getStatus().getLedger().stream()
                  .map(h -> h.getSlot() + "=" + h.getPodUid() + "@" + h.getSince())
                  .sorted()
                  .toList()
                  .toString());
    }
    for (Pod p : client.pods().inAnyNamespace().withLabel("load", "true").list().getItems()) {
      Map<String, String> a = new TreeMap<>(p.getMetadata().getAnnotations());
      a.put("phase", p.getStatus().getPhase()); // settled only once KWOK has run every pod
      result.put(
          "pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), a.toString());
    }
    return result;
  }

  // The live set: GC.class_histogram runs a full GC and counts only reachable objects.
  private static long heapAfterFullGc(String pid) throws Exception {
    run("jcmd", pid, "GC.run");
    Thread.sleep(1000);
    String histogram = run("jcmd", pid, "GC.class_histogram");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
    if (!m.find()) {
      throw new IllegalStateException("no total in the class histogram");
    }
    return Long.parseLong(m.group(1));
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
