package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpureservation.core.holding.PlaceholderPlan;
import io.gpureservation.core.matching.SlotShape;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a holder's placeholder plan: deletes first (scale-down, expiry and deletion remove
 * placeholders before anything else), then creates. Creating a placeholder that exists and deleting
 * one that is gone are no-ops, so a plan may be applied twice. Called by the holder's own
 * reconciler only (a reservation's, a pool's): the placeholders are its objects. A pool's
 * placeholders pack onto few nodes ({@link PlaceholderPods#buildPacked}); a reservation's slots are
 * placed by the scheduler as it likes.
 *
 * <p>The calls of one step go out together (at most {@link #PARALLEL_CALLS} at once): a reservation
 * that 50 pods a second deduct from deletes 50 placeholders a second, which one call after another
 * cannot keep up with (docs/performance.md, "The operator at cluster scale").
 *
 * <p>A refused creation (a missing PriorityClass, an exhausted quota, an admission policy) is
 * refused alike for every placeholder: the first creation of a step goes alone, and once one is
 * refused the holder's creations wait {@link RefusalBackOff} (1 s doubling to 1 min) while its
 * deletions go on (docs/capacity-holding.md, "When placeholders are refused").
 */
public final class PlaceholderWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PlaceholderWriter.class);
  static final int PARALLEL_CALLS = 16;
  private static final ExecutorService CALLS =
      Executors.newFixedThreadPool(
          PARALLEL_CALLS,
          task -> {
            Thread thread = new Thread(task, "placeholder-writer");
            thread.setDaemon(true);
            return thread;
          });

  private final KubernetesClient client;
  private final PlaceholderPods pods;
  private final boolean pack;
  private final RefusalBackOff refusals;

  private PlaceholderWriter(
      KubernetesClient client, PlaceholderPods pods, boolean pack, Clock clock) {
    this.client = client;
    this.pods = pods;
    this.pack = pack;
    this.refusals = new RefusalBackOff(clock);
  }

  /** Placeholders of reservation slots: placed by the scheduler. */
  public static PlaceholderWriter spreading(
      KubernetesClient client, PlaceholderPods pods, Clock clock) {
    return new PlaceholderWriter(client, pods, false, clock);
  }

  /** Placeholders of pool cards: preferring the nodes of the pool's other placeholders. */
  public static PlaceholderWriter packing(
      KubernetesClient client, PlaceholderPods pods, Clock clock) {
    return new PlaceholderWriter(client, pods, true, clock);
  }

  /**
   * Applies the plan; returns why placeholders could not be created (e.g. the PriorityClass is
   * missing, a quota is exhausted), or null when all went well. Such slots stay unheld and the
   * reservation says why; nothing else fails.
   */
  public String apply(
      HasMetadata holder,
      PlaceholderPlan plan,
      SlotShape shape,
      PlaceholderPods.Placement placement) {
    String namespace = holder.getMetadata().getNamespace();
    String name = holder.getMetadata().getName();
    List<Supplier<String>> deletions = new ArrayList<>();
    for (int slot : plan.delete()) {
      deletions.add(() -> delete(namespace, PlaceholderPods.name(name, slot)));
    }
    all(deletions);
    String key = namespace + "/" + name;
    if (plan.create().isEmpty()) {
      refusals.forget(key);
      return null;
    }
    String waiting = refusals.refusedNow(key);
    if (waiting != null) {
      return waiting; // no call: the last refusal stands until the back-off ends
    }
    if (placement.deviceClassName() != null) {
      String refused = createTemplate(holder, shape, placement);
      if (refused != null) {
        refusals.refused(key, refused);
        return refused;
      }
    }
    List<Supplier<String>> creations = new ArrayList<>();
    for (Map.Entry<Integer, String> create : plan.create().entrySet()) {
      Pod pod =
          pack
              ? pods.buildPacked(holder, create.getKey(), shape, placement, create.getValue())
              : pods.build(holder, create.getKey(), shape, placement, create.getValue());
      creations.add(() -> create(namespace, pod));
    }
    String problem = creations.get(0).get();
    if (problem == null) {
      problem =
          all(creations.subList(1, creations.size())).stream()
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(null);
    }
    if (problem == null) {
      refusals.forget(key);
    } else {
      refusals.refused(key, problem);
    }
    return problem;
  }

  private String delete(String namespace, String name) {
    client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    return null;
  }

  private String create(String namespace, Pod pod) {
    return create(() -> client.pods().inNamespace(namespace).resource(pod).create(), pod);
  }

  // The claim template DRA placeholders claim through (DraPlaceholders); the reservation's card
  // type and count are immutable, so one made before stays right.
  private String createTemplate(
      HasMetadata holder, SlotShape shape, PlaceholderPods.Placement placement) {
    ResourceClaimTemplate template =
        DraPlaceholders.template(
            holder, shape.cards(), placement.deviceClassName(), placement.cardTypeValues());
    return create(
        () ->
            client
                .resources(ResourceClaimTemplate.class)
                .inNamespace(holder.getMetadata().getNamespace())
                .resource(template)
                .create(),
        template);
  }

  // An object that exists already is fine; a refusal (4xx) is returned as the problem.
  private static String create(Runnable call, HasMetadata object) {
    try {
      call.run();
      return null;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        LOG.debug("{} exists already", object.getMetadata().getName());
        return null;
      }
      if (e.getCode() >= 400 && e.getCode() < 500) {
        String problem = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
        LOG.warn("{} refused: {}", object.getMetadata().getName(), problem);
        return problem;
      }
      throw e;
    }
  }

  // Runs the calls side by side and waits for all; the first failure is rethrown as it was thrown.
  private static List<String> all(List<Supplier<String>> calls) {
    if (calls.isEmpty()) {
      return List.of();
    }
    if (calls.size() == 1) {
      return Collections.singletonList(calls.get(0).get());
    }
    List<CompletableFuture<String>> running =
        calls.stream().map(call -> CompletableFuture.supplyAsync(call, CALLS)).toList();
    try {
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    return running.stream().map(CompletableFuture::join).toList();
  }
}
