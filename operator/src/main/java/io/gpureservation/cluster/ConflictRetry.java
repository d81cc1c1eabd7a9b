package io.gpureservation.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Optimistic-concurrency writes, the same way for every object the operator owns: the write carries
 * the resourceVersion the new state was composed from; on a conflict the latest object is read and
 * the state composed again, so a racing write is never overwritten blindly and nothing is counted
 * twice.
 */
public final class ConflictRetry {
  static final int MAX_ATTEMPTS = 5;

  private ConflictRetry() {}

  /**
   * Writes what {@code compose} makes of the object and returns the object as stored: {@code known}
   * itself when {@code compose} finds nothing to write, empty when the object is gone.
   *
   * @param known the latest object the caller knows (may be stale)
   * @param compose the object to write, composed from the given one; empty when nothing changes
   * @param write the request (an update carrying the composed object's resourceVersion)
   * @param reread the object as the API server holds it now, or null when it is gone
   */
  public static <T> Optional<T> write(
      T known, Function<T, Optional<T>> compose, UnaryOperator<T> write, UnaryOperator<T> reread) {
    T current = known;
    for (int attempt = 1; ; attempt++) {
      Optional<T> desired = compose.apply(current);
      if (desired.isEmpty()) {
        return Optional.of(current);
      }
      try {
        return Optional.of(write.apply(desired.get()));
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return Optional.empty();
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        current = reread.apply(current);
        if (current == null) {
          return Optional.empty();
        }
      }
    }
  }
}
