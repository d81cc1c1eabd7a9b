package io.gpureservation.cluster.http;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer token of a request's {@code Authorization} header (RFC 6750, section 2.1), read before
 * anything is asked of the API server: a request without exactly one well-formed, reasonably sized
 * token is refused with 401 at no cost (docs/install.md, "Metrics").
 */
final class BearerToken {
  /**
   * The longest token sent for review. ServiceAccount tokens are about 1 KiB; the API server itself
   * takes far less than the JDK server's header limit (380 KiB), so a longer header is refused
   * here.
   */
  static final int MAX_LENGTH = 16 * 1024;

  private static final String SCHEME = "Bearer ";

  /** RFC 6750's b64token. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private BearerToken() {}

  /** The token of the header's values (null or empty: none), if there is exactly one. */
  static Optional<String> of(List<String> authorization) {
    if (authorization == null || authorization.size() != 1) {
      return Optional.empty();
    }
    String header = authorization.get(0).strip();
    // the scheme is case-insensitive (RFC 9110, section 11.1)
    if (header.length() > SCHEME.length() + MAX_LENGTH
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Optional.empty();
    }
    String token = header.substring(SCHEME.length()).strip();
    return TOKEN.matcher(token).matches() ? Optional.of(token) : Optional.empty();
  }
}
