package io.gpureservation.core.pool;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The shape one card of a pool's series brings (fc-resident-resource-pool.txt, "GPU full card
 * specifications and pricing": e.g. Ada 8 vCPU and 64 GB per card). A pool pod of k cards may use
 * at most k times that (a pod of no card at most one card's worth), and may only name the pool's
 * own series.
 *
 * @param series the canonical series name of the pool (e.g. {@code Ada})
 * @param cpuMillisPerCard vCPU per card, in millicores
 * @param memoryBytesPerCard memory per card in bytes (a "GB" of the reference is one GiB here)
 * @param sameSeries whether a card type a pod names is the pool's series (aliases, case)
 */
public record SeriesShape(
    String series, long cpuMillisPerCard, long memoryBytesPerCard, Predicate<String> sameSeries) {
  public static final String CARD_TYPE_MISMATCH = "PoolCardTypeMismatch";
  public static final String SHAPE_EXCEEDED = "PoolShapeExceeded";

  /** Why this pool can never run {@code pod}, if it cannot. */
  public Optional<Refusal> refusal(PoolPod pod) {
    PodShape shape = pod.shape();
    if (shape.cardType().isPresent() && !sameSeries.test(shape.cardType().get())) {
      return Optional.of(
          new Refusal(
              CARD_TYPE_MISMATCH,
              "the pod asks for card type "
                  + shape.cardType().get()
                  + " but the pool holds "
                  + series
                  + " cards; label it for a pool of that card type"));
    }
    long cards = Math.max(1, pod.demand().cards());
    long cpuLimit = cards * cpuMillisPerCard;
    long memoryLimit = cards * memoryBytesPerCard;
    if (shape.cpuMillis() > cpuLimit || shape.memoryBytes() > memoryLimit) {
      return Optional.of(
          new Refusal(
              SHAPE_EXCEEDED,
              "the pod asks for "
                  + shape.cpuMillis()
                  + "m CPU and "
                  + shape.memoryBytes()
                  + " bytes of memory; "
                  + cards
                  + " "
                  + series
                  + " card(s) bring at most "
                  + cpuLimit
                  + "m CPU and "
                  + memoryLimit
                  + " bytes"));
    }
    return Optional.empty();
  }
}
