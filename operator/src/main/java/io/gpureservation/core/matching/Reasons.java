package io.gpureservation.core.matching;

/** Why a GPU pod is billed pay-as-you-go; written to the pod's reason annotation. */
public final class Reasons {
  public static final String NO_MATCHING_RESERVATION = "NoMatchingReservation";
  public static final String BEST_EFFORT = "BestEffort";
  public static final String NO_CARD_TYPE = "NoCardType";
  public static final String RESERVATION_EXPIRED = "ReservationExpired";
  public static final String RESERVATION_DELETED = "ReservationDeleted";
  public static final String RESERVATION_SCALED_DOWN = "ReservationScaledDown";

  /** The reservation's live period ended (a window closed; docs/time-windows.md). */
  public static final String RESERVATION_WINDOW_CLOSED = "ReservationWindowClosed";

  /**
   * The pod declares one card type and runs on a node of another: matched and billed by its node's
   * (docs/capacity-reservation.md "The node decides the card"), and no reservation of that type
   * took it.
   */
  public static final String DECLARED_CARD_TYPE_IGNORED = "DeclaredCardTypeIgnored";

  /**
   * The pod's GPUs are MIG devices whose product and profile the catalog does not name
   * (docs/capacity-reservation.md "GPUs claimed through DRA"): no slot shape is a slice of a card.
   */
  public static final String MIG_NOT_IN_CATALOG = "MigNotInCatalog";

  /** The holder was resized beyond its slot's vCPU or memory (in-place pod resize). */
  public static final String POD_EXCEEDS_SLOT = "PodExceedsSlot";

  private Reasons() {}

  /**
   * Why an eligible pod that stays pay-as-you-go is so: a release (expiry, deletion, scale-down)
   * stays its reason; BestEffort and NoCardType describe the old definition and are derived afresh,
   * so a pod that gains a card type is no longer reported as NoCardType.
   */
  /** Whether the reason is a release from a held slot (it then carries the release time). */
  static boolean isRelease(String reason) {
    return reason.equals(RESERVATION_EXPIRED)
        || reason.equals(RESERVATION_DELETED)
        || reason.equals(RESERVATION_SCALED_DOWN)
        || reason.equals(RESERVATION_WINDOW_CLOSED)
        || reason.equals(POD_EXCEEDS_SLOT);
  }

  static String carriedBy(PodBilling billing) {
    if (billing instanceof PodBilling.PayAsYouGo p
        && !p.reason().equals(BEST_EFFORT)
        && !p.reason().equals(NO_CARD_TYPE)
        && !p.reason().equals(MIG_NOT_IN_CATALOG)) {
      return p.reason();
    }
    return NO_MATCHING_RESERVATION;
  }
}
