package io.gpureservation.core.holding;

/**
 * Where one placeholder pod is: waiting for a node (its slot is not held), bound to a node (its
 * slot is held there), or on its way out.
 *
 * @param node the node it is bound to, or null while it waits
 * @param terminating whether its deletion has begun
 */
public record PlaceholderState(String node, boolean terminating) {
  public static PlaceholderState pending() {
    return new PlaceholderState(null, false);
  }

  public static PlaceholderState boundTo(String node) {
    return new PlaceholderState(node, false);
  }

  /** A slot is held while its placeholder is bound and not being deleted. */
  public boolean holds() {
    return node != null && !terminating;
  }
}
