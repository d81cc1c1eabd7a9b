package io.gpureservation.core.holding;

/**
 * Where one placeholder pod is: waiting for a node (its slot is not held), bound to a node (its
 * slot is held there), or on its way out.
 *
 * @param node the node it is bound to, or null while it waits
 * @param terminating whether its deletion has begun
 * @param altered whether it is no longer what the operator made (another image, command or
 *     priority): it holds nothing and is replaced (docs/capacity-holding.md, "Placeholders only the
 *     operator controls")
 */
public record PlaceholderState(String node, boolean terminating, boolean altered) {
  public PlaceholderState(String node, boolean terminating) {
    this(node, terminating, false);
  }

  public static PlaceholderState pending() {
    return new PlaceholderState(null, false);
  }

  public static PlaceholderState boundTo(String node) {
    return new PlaceholderState(node, false);
  }

  /** A slot is held while its placeholder is bound, as the operator made it, and not going. */
  public boolean holds() {
    return node != null && !terminating && !altered;
  }
}
