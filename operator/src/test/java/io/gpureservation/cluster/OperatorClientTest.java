package io.gpureservation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;

/** Which configurations keep fabric8's token refresh (docs/performance.md, "Round 20"). */
class OperatorClientTest {
  @Test
  void aClientCertificateAloneHasNoTokenToRefresh() {
    assertThat(
            OperatorClient.hasNoTokenToRefresh(
                new ConfigBuilder().withClientCertData("QUJD").withClientKeyData("QUJD").build()))
        .isTrue();
  }

  @Test
  void anyTokenOrPasswordKeepsTheRefresh() {
    assertThat(
            OperatorClient.hasNoTokenToRefresh(
                new ConfigBuilder().withClientCertData("QUJD").withOauthToken("t").build()))
        .isFalse();
    assertThat(
            OperatorClient.hasNoTokenToRefresh(
                new ConfigBuilder().withClientCertData("QUJD").withUsername("u").build()))
        .isFalse();
    assertThat(OperatorClient.hasNoTokenToRefresh(new ConfigBuilder().build())).isFalse();
  }
}
