package io.gpureservation.cluster.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The TLS context of an HTTPS endpoint: certificate files, or a certificate made at start. */
public final class ServingTls {
  /** How often certificate files are compared with what is served (rotation latency). */
  public static final Duration CERT_RECHECK = Duration.ofSeconds(10);

  /**
   * How long a certificate made at start is valid: longer than any process lives, so a scraper that
   * checks dates while skipping the issuer never sees it expire.
   */
  static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);

  private ServingTls() {}

  /** {@code tls.crt} and {@code tls.key} in {@code dir}, if both are readable. */
  public static boolean hasFiles(Path dir) {
    return Files.isReadable(dir.resolve("tls.crt")) && Files.isReadable(dir.resolve("tls.key"));
  }

  /** PEM files, read again when they change ({@link ReloadingKeyManager}). */
  public static SSLContext fromFiles(Path cert, Path key, Duration recheck)
      throws IOException, GeneralSecurityException {
    return context(new ReloadingKeyManager(cert, key, recheck, Clock.systemUTC()));
  }

  /**
   * The files of {@code dir} when it has them, else a self-signed certificate made now for {@code
   * commonName} (docs/install.md, "Metrics").
   */
  public static SSLContext fromDirOrSelfSigned(Path dir, String commonName) {
    try {
      if (hasFiles(dir)) {
        return fromFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), CERT_RECHECK);
      }
      Instant now = Instant.now();
      SelfSignedCertificate self =
          SelfSignedCertificate.generate(
              commonName, now.minus(Duration.ofHours(1)), now.plus(SELF_SIGNED_VALIDITY));
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "self-signed",
          self.keys().getPrivate(),
          password,
          new Certificate[] {self.certificate()});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      return context(kmf.getKeyManagers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS context: " + e, e);
    }
  }

  private static SSLContext context(KeyManager... keyManagers) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers, null, null);
    return context;
  }
}
