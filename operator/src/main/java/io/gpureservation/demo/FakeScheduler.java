package io.gpureservation.demo;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for kube-scheduler and the kubelet on a control plane that has neither (the demo's
 * local API server and the integration tests). It watches pods in all namespaces and binds every
 * pending pod that has <b>no scheduling gates</b> to a fake Node, through the {@code pods/binding}
 * subresource as the real scheduler does; optionally it then marks the pod {@code Running}.
 *
 * <p>Nodes are made on demand, one per distinct {@code nodeSelector} (labelled with it, so {@code
 * kubectl get nodes --show-labels} tells which card type and zone landed where). Resource requests,
 * taints and affinity are ignored: the operator only needs to see {@code spec.nodeName} set. Pods
 * with scheduling gates stay unbound, which is how ResidentPool pods wait for capacity.
 */
public final class FakeScheduler implements AutoCloseable {
  /** Name of the node for pods without a nodeSelector; others get a suffix. */
  public static final String NODE_NAME = "fake-node";

  private static final Logger LOG = LoggerFactory.getLogger(FakeScheduler.class);

  private final KubernetesClient client;
  private final boolean markRunning;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fake-scheduler");
            t.setDaemon(true);
            return t;
          });
  private final Set<String> knownNodes = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<Pod> informer;

  private FakeScheduler(KubernetesClient client, boolean markRunning) {
    this.client = client;
    this.markRunning = markRunning;
  }

  /**
   * Starts watching and binding; returns once the pod informer has synced.
   *
   * @param markRunning also set the bound pod's {@code status.phase} to {@code Running}, as a
   *     kubelet would
   */
  public static FakeScheduler start(KubernetesClient client, boolean markRunning) {
    FakeScheduler scheduler = new FakeScheduler(client, markRunning);
    scheduler.informer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    scheduler.offer(pod);
                  }

                  @Override
                  public void onUpdate(Pod oldPod, Pod pod) {
                    scheduler.offer(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {}
                });
    return scheduler;
  }

  /** Whether the real scheduler would consider this pod now (and it is not yet bound). */
  public static boolean isSchedulable(Pod pod) {
    var spec = pod.getSpec();
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() == null
        && (spec.getNodeName() == null || spec.getNodeName().isEmpty())
        && (spec.getSchedulingGates() == null || spec.getSchedulingGates().isEmpty())
        && (phase == null || "Pending".equals(phase));
  }

  /** The fake node a pod with this nodeSelector is bound to. */
  public static String nodeNameFor(Map<String, String> nodeSelector) {
    if (nodeSelector == null || nodeSelector.isEmpty()) {
      return NODE_NAME;
    }
    return NODE_NAME + "-" + Integer.toHexString(new TreeMap<>(nodeSelector).hashCode());
  }

  private void offer(Pod pod) {
    if (isSchedulable(pod)) {
      worker.execute(() -> bind(pod));
    }
  }

  private void bind(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String node = ensureNode(pod.getSpec().getNodeSelector());
    try {
      client
          .bindings()
          .inNamespace(ns)
          .resource(
              new BindingBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewTarget()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(node)
                  .endTarget()
                  .build())
          .create();
      LOG.info("bound pod {}/{} to {}", ns, name, node);
      if (markRunning) {
        markRunning(ns, name);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        LOG.warn("cannot bind pod {}/{}: {}", ns, name, e.getMessage());
      }
    }
  }

  private void markRunning(String ns, String name) {
    String now = Instant.now().toString();
    client
        .pods()
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            p -> {
              p.getStatus().setPhase("Running");
              p.getStatus().setStartTime(now);
              p.getStatus()
                  .getConditions()
                  .add(
                      new PodConditionBuilder()
                          .withType("Ready")
                          .withStatus("True")
                          .withLastTransitionTime(now)
                          .build());
              return p;
            });
  }

  private String ensureNode(Map<String, String> nodeSelector) {
    String name = nodeNameFor(nodeSelector);
    if (!knownNodes.add(name) || client.nodes().withName(name).get() != null) {
      return name;
    }
    Map<String, String> labels = new TreeMap<>();
    if (nodeSelector != null) {
      labels.putAll(nodeSelector);
    }
    labels.put("kubernetes.io/hostname", name);
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity("1024"),
            "memory", new Quantity("8Ti"),
            "pods", new Quantity("1000"),
            "nvidia.com/gpu", new Quantity("128"));
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewStatus()
            .withCapacity(capacity)
            .withAllocatable(capacity)
            .endStatus()
            .build();
    try {
      client.nodes().resource(node).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        knownNodes.remove(name);
        throw e;
      }
    }
    return name;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    worker.shutdownNow();
  }

  /**
   * Runs the fake scheduler against the current kubeconfig until interrupted ({@code
   * scripts/demo.sh} uses it on the local control plane). Argument {@code --running} also marks
   * bound pods Running.
   */
  public static void main(String[] args) throws InterruptedException {
    boolean running = Set.of(args).contains("--running");
    KubernetesClient client = new KubernetesClientBuilder().build();
    FakeScheduler scheduler = start(client, running);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  scheduler.close();
                  client.close();
                  stop.countDown();
                }));
    LOG.info("fake scheduler running against {}", client.getMasterUrl());
    stop.await();
  }
}
