package io.gpureservation.core.matching;

/** Why a GPU pod is billed pay-as-you-go; written to the pod's reason annotation. */
public final class Reasons {
  public static final String NO_MATCHING_RESERVATION = "NoMatchingReservation";
  public static final String BEST_EFFORT = "BestEffort";
  public static final String NO_CARD_TYPE = "NoCardType";
  public static final String RESERVATION_EXPIRED = "ReservationExpired";
  public static final String RESERVATION_DELETED = "ReservationDeleted";
  public static final String RESERVATION_SCALED_DOWN = "ReservationScaledDown";

  /** The holder was resized beyond its slot's vCPU or memory (in-place pod resize). */
  public static final String POD_EXCEEDS_SLOT = "PodExceedsSlot";

  private Reasons() {}
}
