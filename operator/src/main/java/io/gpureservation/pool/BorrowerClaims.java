package io.gpureservation.pool;

import io.gpureservation.api.v1alpha1.ResidentPool;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which pool a gated borrower is lent by, across the pools' reconciliations, which run in parallel
 * (docs/lending.md, "Resident pools"): a borrower is claimed by one pool only, never by a pool
 * while another pool's stored loan lines name it (after a restart the memory is empty, the statuses
 * are not), and its gate is lifted without a loan only once every pool that may lend to it has
 * declined. Memory only: a restart asks again.
 */
final class BorrowerClaims {
  private final Supplier<Collection<ResidentPool>> pools;
  private final Map<String, String> claimedBy = new HashMap<>();
  private final Map<String, Set<String>> declinedBy = new HashMap<>();

  BorrowerClaims(Supplier<Collection<ResidentPool>> pools) {
    this.pools = pools;
  }

  /** Claims the borrower for {@code pool}; false when another pool has it. */
  synchronized boolean claim(String uid, String pool) {
    String owner = claimedBy.get(uid);
    if (owner != null) {
      return owner.equals(pool);
    }
    for (ResidentPool p : pools.get()) {
      String key = key(p);
      if (!key.equals(pool)
          && p.getStatus() != null
          && p.getStatus().getLoans() != null
          && p.getStatus().getLoans().stream().anyMatch(l -> uid.equals(l.getPodUid()))) {
        return false;
      }
    }
    claimedBy.put(uid, pool);
    declinedBy.remove(uid);
    return true;
  }

  /** The pool's loan of this borrower ended (or never was): another pool may claim it again. */
  synchronized void release(String uid, String pool) {
    claimedBy.remove(uid, pool);
  }

  /**
   * Records that {@code pool} cannot lend to the borrower now; true when every pool of {@code
   * lenders} has declined it and none claimed it: its gate is lifted without a loan.
   */
  synchronized boolean declinedByAll(String uid, String pool, Set<String> lenders) {
    if (claimedBy.containsKey(uid)) {
      return false;
    }
    Set<String> declined = declinedBy.computeIfAbsent(uid, u -> new HashSet<>());
    declined.add(pool);
    return declined.containsAll(lenders);
  }

  static String key(ResidentPool pool) {
    return pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName();
  }
}
