package io.gpureservation.core.pool;

/** A spec change the pool does not apply, with a reason (CamelCase) and what the user can do. */
public record Refusal(String reason, String message) {
  public static final String POOL_EXPIRED = "PoolExpired";
  public static final String POOL_RELEASED = "PoolReleased";
  public static final String OVERDUE = "Overdue";
  public static final String NOT_ALLOWED = "ChangeNotAllowed";
}
