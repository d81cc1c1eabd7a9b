package io.gpureservation.cli;

/** Bad input in a usage file; the message names the field (e.g. {@code phases[2].slots}). */
final class UsageException extends RuntimeException {
  UsageException(String field, String problem) {
    super("field " + field + ": " + problem);
  }
}
