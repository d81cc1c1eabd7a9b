package io.gpureservation.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the bearer token of a /metrics request (docs/install.md, "Metrics"). */
class BearerTokenTest {
  @Test
  void aBearerHeaderGivesItsToken() {
    assertThat(BearerToken.of(List.of("Bearer eyJhbGciOi.eyJpc3Mi.c2lnbmF0dXJl")))
        .hasValue("eyJhbGciOi.eyJpc3Mi.c2lnbmF0dXJl");
    assertThat(BearerToken.of(List.of("bearer abc-_~+/=="))).hasValue("abc-_~+/==");
    assertThat(BearerToken.of(List.of("  BEARER   abc  "))).hasValue("abc");
  }

  @Test
  void noHeaderOrOtherSchemesGiveNone() {
    assertThat(BearerToken.of(null)).isEmpty();
    assertThat(BearerToken.of(List.of())).isEmpty();
    assertThat(BearerToken.of(List.of("Basic dXNlcjpwYXNz"))).isEmpty();
    assertThat(BearerToken.of(List.of("Bearer"))).isEmpty();
    assertThat(BearerToken.of(List.of("Bearer "))).isEmpty();
    assertThat(BearerToken.of(List.of("Bearerabc"))).isEmpty();
  }

  @Test
  void twoHeadersOrCharactersOutsideTheTokenGrammarGiveNone() {
    assertThat(BearerToken.of(List.of("Bearer a", "Bearer b"))).isEmpty();
    assertThat(BearerToken.of(List.of("Bearer a b"))).isEmpty();
    assertThat(BearerToken.of(List.of("Bearer a,b"))).isEmpty();
    assertThat(BearerToken.of(List.of("Bearer a=b"))).isEmpty();
  }

  @Test
  void aTokenLongerThanTheLimitIsNotSentForReview() {
    char[] longest = new char[BearerToken.MAX_LENGTH];
    Arrays.fill(longest, 'a');
    assertThat(BearerToken.of(List.of("Bearer " + new String(longest)))).isPresent();
    assertThat(BearerToken.of(List.of("Bearer " + new String(longest) + "a"))).isEmpty();
  }
}
