package io.gpureservation.core.pool;

import java.util.Optional;

/**
 * The reference's scale-out rules: only the number of cards and the disk per card change, only
 * upwards, and not while the pool is expired (renew first) or its namespace is overdue. The API
 * server refuses a decrease or a card-type change already (CEL); this is the same rule again for
 * objects that reached the operator some other way (an older CRD, a restored backup).
 */
public final class ScaleOut {
  private ScaleOut() {}

  /** The size in force after the decision, and the refusal if the requested size was refused. */
  public record Decision(PoolSize inForce, boolean changed, Optional<Refusal> refusal) {}

  public static Decision decide(
      PoolSize applied, PoolSize requested, PoolPhase phase, boolean overdue) {
    if (applied.equals(requested)) {
      return new Decision(applied, false, Optional.empty());
    }
    if (!applied.region().equals(requested.region())
        || !applied.cardType().equals(requested.cardType())) {
      return refuse(
          applied,
          Refusal.NOT_ALLOWED,
          "region and cardType cannot change; purchase a new ResidentPool instead");
    }
    if (requested.cards() < applied.cards()
        || requested.diskPerCardGB() < applied.diskPerCardGB()) {
      return refuse(
          applied,
          Refusal.NOT_ALLOWED,
          "cards and diskPerCardGB may only increase; scale-in is not supported");
    }
    if (phase != PoolPhase.Active) {
      return refuse(
          applied,
          phase == PoolPhase.Released ? Refusal.POOL_RELEASED : Refusal.POOL_EXPIRED,
          "scale-out refused: the pool is "
              + phase
              + "; renew it (increase spec.subscription.renewals) before scaling out");
    }
    if (overdue) {
      return refuse(
          applied,
          Refusal.OVERDUE,
          "scale-out refused: the namespace has overdue payments; settle them (remove the"
              + " annotation gpureservation.io/overdue) and the scale-out is applied");
    }
    return new Decision(requested, true, Optional.empty());
  }

  private static Decision refuse(PoolSize applied, String reason, String message) {
    return new Decision(applied, false, Optional.of(new Refusal(reason, message)));
  }
}
