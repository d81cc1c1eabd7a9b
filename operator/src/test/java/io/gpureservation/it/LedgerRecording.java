package io.gpureservation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every status write of one reservation, watched from before it exists, and the pods' runs as its
 * accrual counts them (docs/planner.md, "The replay test"): a pod runs from the write whose ledger
 * first holds it to the first write that no longer does, at the write's {@code accruedUntil}, or at
 * an edge ({@code startAt}, {@code releaseAt}) between two writes, where the accrual switches
 * counts (docs/time-windows.md, "Accrual").
 */
final class LedgerRecording {
  private LedgerRecording() {}

  /** A status write: the pods of its ledger, and the instant its counts are accrued from. */
  record Write(Instant accruedUntil, Set<String> ledger) {}

  static Watch watchStatus(RealCluster cluster, String name, List<Write> writes) {
    return Workload.reservations(cluster)
        .withName(name)
        .watch(
            new Watcher<>() {
              @Override
              @SuppressWarnings("unchecked")
              public void eventReceived(Action action, GenericKubernetesResource r) {
                Map<String, Object> status =
                    (Map<String, Object>) r.getAdditionalProperties().get("status");
                if (status == null || status.get("accrued") == null) {
                  return;
                }
                Set<String> ledger = new TreeSet<>();
                for (Map<String, Object> line :
                    (List<Map<String, Object>>) status.getOrDefault("ledger", List.of())) {
                  ledger.add(String.valueOf(line.get("pod")));
                }
                String until =
                    String.valueOf(
                        ((Map<String, Object>) status.get("accrued")).get("accruedUntil"));
                writes.add(new Write(Instant.parse(until), ledger));
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  /**
   * Each pod's [first, last) instant in the ledger as the accrual counts it: between two writes the
   * counts switch at the first edge in between, else at the later write's accruedUntil.
   */
  static Map<String, Instant[]> recordedRuns(List<Write> writes, List<Instant> edges) {
    Map<String, Instant[]> runs = new LinkedHashMap<>();
    Write previous = null;
    for (Write w : writes) {
      Instant from = previous == null ? null : previous.accruedUntil();
      Instant to = w.accruedUntil();
      Instant switchAt =
          edges.stream()
              .filter(e -> from != null && e.isAfter(from) && !e.isAfter(to))
              .findFirst()
              .orElse(to);
      Set<String> before = previous == null ? Set.of() : previous.ledger();
      for (String pod : w.ledger()) {
        if (!before.contains(pod)) {
          runs.put(pod, new Instant[] {switchAt, null});
        }
      }
      for (String pod : before) {
        if (!w.ledger().contains(pod)) {
          runs.get(pod)[1] = switchAt;
        }
      }
      previous = w;
    }
    runs.values().forEach(r -> assertThat(r[1]).as("every pod left the ledger").isNotNull());
    return runs;
  }
}
