package io.gpureservation.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** The certificate the metrics server makes without files (docs/install.md, "Metrics"). */
class SelfSignedCertificateTest {
  @Test
  void isAnX509CertificateSignedByItsOwnKeyForTheNameAndDates() throws Exception {
    Instant from = Instant.parse("2026-06-01T00:00:00Z");
    Instant to = Instant.parse("2036-06-01T00:00:00Z");
    SelfSignedCertificate self = SelfSignedCertificate.generate("metrics", from, to);

    var cert = self.certificate();
    cert.verify(self.keys().getPublic());
    assertThat(cert.getPublicKey()).isEqualTo(self.keys().getPublic());
    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=metrics");
    assertThat(cert.getNotBefore()).isEqualTo(Date.from(from));
    assertThat(cert.getNotAfter()).isEqualTo(Date.from(to));
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(cert.getSerialNumber().signum()).isPositive();
  }

  // RFC 5280, section 4.1.2.5: dates from 2050 on are written as GeneralizedTime.
  @Test
  void datesFrom2050OnAreReadBackExactly() throws Exception {
    Instant to = Instant.parse("2051-01-02T03:04:05Z");
    SelfSignedCertificate self =
        SelfSignedCertificate.generate(
            "a name long enough to need a long-form length: " + "x".repeat(200),
            Instant.parse("2049-12-31T23:59:59Z"),
            to);
    assertThat(self.certificate().getNotAfter()).isEqualTo(Date.from(to));
    assertThat(self.certificate().getNotBefore())
        .isEqualTo(Date.from(Instant.parse("2049-12-31T23:59:59Z")));
    self.certificate().verify(self.keys().getPublic());
  }
}
