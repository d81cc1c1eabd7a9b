package io.gpureservation.cluster.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A key pair and a self-signed X.509 certificate made in memory, for the metrics server when no
 * certificate files are mounted (docs/install.md, "Metrics"), as Kubebuilder's metrics server does:
 * a scraper then skips verification ({@code insecure_skip_verify}); the bearer token, not the
 * certificate, is what protects {@code /metrics}. EC P-256 signed with SHA-256; the JDK has no
 * public API that writes a certificate, so its DER is written here (RFC 5280, section 4.1).
 */
record SelfSignedCertificate(KeyPair keys, X509Certificate certificate) {
  private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
  private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A certificate for {@code commonName} valid from {@code notBefore} to {@code notAfter}. */
  static SelfSignedCertificate generate(String commonName, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    byte[] algorithm = sequence(ECDSA_WITH_SHA256);
    byte[] name =
        sequence(
            tlv(
                0x31,
                sequence(COMMON_NAME, tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    byte[] tbs =
        sequence(
            tlv(0xa0, tlv(0x02, new byte[] {2})), // version v3
            tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
            algorithm,
            name,
            sequence(time(notBefore), time(notAfter)),
            name,
            keys.getPublic().getEncoded()); // already a DER SubjectPublicKeyInfo
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(tbs);
    byte[] signature = signer.sign(); // DER Ecdsa-Sig-Value, as X.509 wants it
    byte[] bitString = new byte[signature.length + 1]; // no unused bits
    System.arraycopy(signature, 0, bitString, 1, signature.length);
    byte[] der = sequence(tbs, algorithm, tlv(0x03, bitString));
    X509Certificate certificate =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    return new SelfSignedCertificate(keys, certificate);
  }

  /** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280, section 4.1.2.5). */
  private static byte[] time(Instant t) {
    boolean utc = t.atZone(ZoneOffset.UTC).getYear() < 2050;
    String text = (utc ? UTC_TIME : GENERALIZED_TIME).format(t);
    return tlv(utc ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return tlv(0x30, content.toByteArray());
  }

  /** One DER element: tag, definite length (short or long form), content. */
  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] digits = BigInteger.valueOf(length).toByteArray();
      int skip = digits[0] == 0 ? 1 : 0;
      out.write(0x80 | (digits.length - skip));
      out.write(digits, skip, digits.length - skip);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** An OBJECT IDENTIFIER element (X.690, section 8.19). */
  private static byte[] oid(int... arcs) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.write(arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      int groups = 1;
      for (int rest = arc >>> 7; rest != 0; rest >>>= 7) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int seven = (arc >>> (7 * g)) & 0x7f;
        content.write(g == 0 ? seven : seven | 0x80);
      }
    }
    return tlv(0x06, content.toByteArray());
  }
}
