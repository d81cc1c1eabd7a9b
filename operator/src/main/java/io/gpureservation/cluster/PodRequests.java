package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The effective resource request of a pod, computed the way the Kubernetes scheduler does: max(app
 * containers + sidecars, each init container + the sidecars started before it) plus the pod
 * overhead. Values are in base units (cores, bytes, devices).
 *
 * <p>A resource with a limit but no request counts its limit, as API-server defaulting would.
 * Pod-level resources ({@code spec.resources}, beta and on since Kubernetes 1.34) replace the
 * containers' sum for the resources they name — cpu, memory and hugepages only; GPUs are always the
 * containers' (docs/capacity-reservation.md "Which pods take part", Size).
 */
public final class PodRequests {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";

  /** The resources Kubernetes accepts in pod-level {@code spec.resources}. */
  private static final Predicate<String> POD_LEVEL =
      name -> name.equals(CPU) || name.equals(MEMORY) || name.startsWith("hugepages-");

  private PodRequests() {}

  /** The effective requests of the pod, by resource name. */
  public static Map<String, BigDecimal> effective(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return Map.of();
    }
    Map<String, BigDecimal> apps = new HashMap<>();
    for (Container c : nonNull(spec.getContainers())) {
      addAll(apps, requestsOf(c));
    }
    Map<String, BigDecimal> sidecars = new HashMap<>();
    Map<String, BigDecimal> initPeak = new HashMap<>();
    for (Container c : nonNull(spec.getInitContainers())) {
      Map<String, BigDecimal> own = requestsOf(c);
      if (isSidecar(c)) {
        // A sidecar keeps running: later init containers and the app containers run beside it.
        addAll(sidecars, own);
        maxAll(initPeak, sidecars);
      } else {
        Map<String, BigDecimal> during = new HashMap<>(sidecars);
        addAll(during, own);
        maxAll(initPeak, during);
      }
    }
    addAll(apps, sidecars);
    maxAll(apps, initPeak);
    apps.putAll(podLevel(spec));
    if (spec.getOverhead() != null) {
      addAll(apps, amounts(spec.getOverhead()));
    }
    return apps;
  }

  /** CPU in millicores, rounded up (a request of 0.0001 cores still needs a millicore). */
  public static long cpuMillis(Map<String, BigDecimal> requests) {
    BigDecimal cores = requests.getOrDefault(CPU, BigDecimal.ZERO);
    return cores.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** A resource in whole units, rounded up. */
  public static long whole(Map<String, BigDecimal> requests, String resource) {
    BigDecimal v = requests.getOrDefault(resource, BigDecimal.ZERO);
    return v.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /**
   * Kubernetes' BestEffort QoS class: neither the pod (pod-level resources) nor any container (init
   * containers included) requests or limits CPU or memory.
   */
  public static boolean isBestEffort(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return true;
    }
    ResourceRequirements podLevel = spec.getResources();
    if (podLevel != null
        && (hasCpuOrMemory(podLevel.getRequests()) || hasCpuOrMemory(podLevel.getLimits()))) {
      return false;
    }
    for (List<Container> list :
        List.of(nonNull(spec.getContainers()), nonNull(spec.getInitContainers()))) {
      for (Container c : list) {
        ResourceRequirements r = c.getResources();
        if (r != null && (hasCpuOrMemory(r.getRequests()) || hasCpuOrMemory(r.getLimits()))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean hasCpuOrMemory(Map<String, Quantity> q) {
    if (q == null) {
      return false;
    }
    return isPositive(q.get(CPU)) || isPositive(q.get(MEMORY));
  }

  private static boolean isPositive(Quantity q) {
    return q != null && q.getNumericalAmount().signum() > 0;
  }

  private static boolean isSidecar(Container c) {
    return "Always".equals(c.getRestartPolicy());
  }

  /** The pod-level requests (a limit without a request counts as the request), where supported. */
  private static Map<String, BigDecimal> podLevel(PodSpec spec) {
    Map<String, BigDecimal> stated = new HashMap<>(requestsOf(spec.getResources()));
    stated.keySet().removeIf(name -> !POD_LEVEL.test(name));
    return stated;
  }

  private static Map<String, BigDecimal> requestsOf(Container c) {
    return requestsOf(c.getResources());
  }

  private static Map<String, BigDecimal> requestsOf(ResourceRequirements r) {
    if (r == null) {
      return Map.of();
    }
    Map<String, BigDecimal> result = new HashMap<>();
    if (r.getLimits() != null) {
      result.putAll(amounts(r.getLimits()));
    }
    if (r.getRequests() != null) {
      result.putAll(amounts(r.getRequests()));
    }
    return result;
  }

  private static Map<String, BigDecimal> amounts(Map<String, Quantity> quantities) {
    Map<String, BigDecimal> result = new HashMap<>();
    quantities.forEach(
        (name, q) -> {
          if (q != null) {
            result.put(name, q.getNumericalAmount());
          }
        });
    return result;
  }

  private static void addAll(Map<String, BigDecimal> into, Map<String, BigDecimal> add) {
    add.forEach((k, v) -> into.merge(k, v, BigDecimal::add));
  }

  private static void maxAll(Map<String, BigDecimal> into, Map<String, BigDecimal> other) {
    other.forEach((k, v) -> into.merge(k, v, BigDecimal::max));
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
