package io.gpureservation.core.window;

/** A malformed window; the message names the field ({@code cron}, {@code timeZone}, ...). */
public final class WindowException extends IllegalArgumentException {
  private final String field;

  public WindowException(String field, String problem) {
    super("field " + field + ": " + problem);
    this.field = field;
  }

  /** The offending field, e.g. {@code cron} or {@code duration}. */
  public String field() {
    return field;
  }
}
