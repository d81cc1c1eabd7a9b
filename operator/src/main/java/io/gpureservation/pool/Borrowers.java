package io.gpureservation.pool;

import static io.gpureservation.api.v1alpha1.GpuReservation.POOL_LOAN_GATE;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpureservation.core.lending.LendingTerms;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a pool's plan knows of the pods that ask to borrow (docs/lending.md, "Resident pools"): the
 * pods (gated borrowers and the pool's own borrowers), the pool's {@code spec.lending} as terms,
 * the Namespace labels, the pools that may lend to a pod, and the claims shared by all pools.
 */
record Borrowers(
    Collection<Pod> pods,
    LendingTerms terms,
    Function<String, Map<String, String>> namespaceLabels,
    Function<Pod, Set<String>> lenders,
    BorrowerClaims claims) {

  /** No borrower and no lending (a pool without {@code spec.lending}, tests of other rules). */
  static Borrowers none() {
    return new Borrowers(
        List.of(), LendingTerms.NONE, ns -> Map.of(), p -> Set.of(), new BorrowerClaims(List::of));
  }

  /** Whether the pod waits behind the gate a lending pool lifts. */
  static boolean isGated(Pod pod) {
    return pod.getSpec() != null
        && pod.getSpec().getSchedulingGates() != null
        && pod.getSpec().getSchedulingGates().stream()
            .anyMatch(g -> POOL_LOAN_GATE.equals(g.getName()));
  }

  /** Whether this pool's terms let the pod borrow. */
  boolean allowed(String poolNamespace, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return terms.allows(
        poolNamespace,
        pod.getMetadata().getNamespace(),
        namespaceLabels.apply(pod.getMetadata().getNamespace()),
        labels == null ? Map.of() : labels);
  }
}
