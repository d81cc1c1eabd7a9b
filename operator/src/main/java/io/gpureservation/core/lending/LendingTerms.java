package io.gpureservation.core.lending;

import io.gpureservation.core.matching.PodSelector;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A reservation's {@code spec.lending}, read (docs/lending.md, "The API"): whether it lends, which
 * namespaces may borrow (a label selector on the Namespace; null: none) and how long a borrower has
 * to leave when its slot is taken back.
 */
public record LendingTerms(
    boolean enabled, PodSelector namespaceSelector, Duration reclaimGracePeriod) {
  /** The label a pod asks to borrow with; only the value {@code "true"} asks. */
  public static final String BORROW_LABEL = "gpureservation.io/borrow";

  /** A reservation that lends nothing (no {@code spec.lending}, or {@code enabled: false}). */
  public static final LendingTerms NONE = new LendingTerms(false, null, Duration.ZERO);

  public LendingTerms {
    Objects.requireNonNull(reclaimGracePeriod, "reclaimGracePeriod");
    if (reclaimGracePeriod.isNegative()) {
      throw new IllegalArgumentException("reclaimGracePeriod must not be negative");
    }
  }

  /** Whether the pod asks to borrow: label {@value #BORROW_LABEL} is exactly {@code "true"}. */
  public static boolean asksToBorrow(Map<String, String> podLabels) {
    return "true".equals(podLabels.get(BORROW_LABEL));
  }

  /**
   * Whether a pod of {@code namespace} (with those Namespace labels) that asks to borrow may borrow
   * from a reservation of {@code lenderNamespace} under these terms. A pod of the lender's own
   * namespace never borrows: it is the owner's, matched or pay-as-you-go as any other. The slot's
   * shape is checked where the slot is chosen ({@code NamespaceMatcher.lend}).
   */
  public boolean allows(
      String lenderNamespace,
      String namespace,
      Map<String, String> namespaceLabels,
      Map<String, String> podLabels) {
    return enabled
        && namespaceSelector != null
        && !lenderNamespace.equals(namespace)
        && asksToBorrow(podLabels)
        && namespaceSelector.matches(namespaceLabels);
  }
}
