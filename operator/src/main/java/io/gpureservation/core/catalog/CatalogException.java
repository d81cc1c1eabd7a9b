package io.gpureservation.core.catalog;

/** A catalog file that cannot be read or is invalid; the message names the file and the field. */
public final class CatalogException extends RuntimeException {
  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
