package io.gpureservation.core.lending;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpureservation.core.matching.PodSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/lending.md "The API": opt-in on both sides. */
class LendingTermsTest {
  private static final Map<String, String> BORROW = Map.of("gpureservation.io/borrow", "true");
  private static final Map<String, String> BATCH_NS = Map.of("team", "batch");
  private final LendingTerms terms =
      new LendingTerms(
          true, new PodSelector(Map.of("team", "batch"), List.of()), Duration.ofSeconds(30));

  @Test
  void aPodThatAsksFromAnAllowedNamespaceMayBorrow() {
    assertThat(terms.allows("owner", "batch", BATCH_NS, BORROW)).isTrue();
  }

  @Test
  void aPodThatDoesNotAskNeverBorrows() {
    assertThat(terms.allows("owner", "batch", BATCH_NS, Map.of())).isFalse();
    assertThat(terms.allows("owner", "batch", BATCH_NS, Map.of("gpureservation.io/borrow", "yes")))
        .isFalse();
  }

  @Test
  void aNamespaceTheSelectorDoesNotMatchNeverBorrows() {
    assertThat(terms.allows("owner", "web", Map.of("team", "web"), BORROW)).isFalse();
  }

  @Test
  void noSelectorMeansNoBorrowerAndOffMeansOff() {
    assertThat(
            new LendingTerms(true, null, Duration.ZERO).allows("owner", "batch", BATCH_NS, BORROW))
        .isFalse();
    assertThat(LendingTerms.NONE.allows("owner", "batch", BATCH_NS, BORROW)).isFalse();
    assertThat(
            new LendingTerms(false, PodSelector.ALL, Duration.ZERO)
                .allows("owner", "batch", BATCH_NS, BORROW))
        .isFalse();
  }

  @Test
  void anEmptySelectorAllowsEveryOtherNamespaceButNeverTheOwnersOwn() {
    LendingTerms everyone = new LendingTerms(true, PodSelector.ALL, Duration.ZERO);
    assertThat(everyone.allows("owner", "any", Map.of(), BORROW)).isTrue();
    assertThat(everyone.allows("owner", "owner", Map.of(), BORROW)).isFalse();
  }
}
