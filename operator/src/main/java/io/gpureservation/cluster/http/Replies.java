package io.gpureservation.cluster.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The GET endpoints' replies: only GET and HEAD, only the exact path. */
final class Replies {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private Replies() {}

  /**
   * Answers 405 to a method other than GET and HEAD and 404 to a path under the context's (contexts
   * match by prefix), and closes the exchange; false when the request is for this endpoint.
   */
  static boolean refusedMethodOrPath(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    int status;
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      status = 405;
    } else if (!ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
      status = 404;
    } else {
      return false;
    }
    try (ex) {
      ex.sendResponseHeaders(status, -1);
    }
    return true;
  }

  /** Sends the body (none to HEAD) and closes the exchange. */
  static void send(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", contentType);
      boolean head = "HEAD".equals(ex.getRequestMethod());
      ex.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }
}
