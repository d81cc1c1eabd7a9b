package io.gpureservation.cli;

/** A malformed trace row: the message names the line and the field (docs/planner.md). */
final class TraceException extends RuntimeException {
  TraceException(long line, String field, String problem) {
    super("line " + line + ": " + (field == null ? "" : "field " + field + ": ") + problem);
  }
}
