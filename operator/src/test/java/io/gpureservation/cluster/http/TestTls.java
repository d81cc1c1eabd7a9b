package io.gpureservation.cluster.http;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** TLS clients of the operator's HTTPS endpoints in tests. */
public final class TestTls {
  private TestTls() {}

  /** Trusts the one certificate in the PEM file {@code cert} (and checks the host name). */
  public static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return context(tmf.getTrustManagers());
  }

  /**
   * Checks nothing, as a scraper configured with {@code insecure_skip_verify} (docs/install.md,
   * "Metrics"): the way to reach a self-signed certificate made at start.
   */
  public static SSLContext trustingAnything() throws Exception {
    return context(
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}

          @Override
          public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine e) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine e) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        });
  }

  private static SSLContext context(TrustManager... trustManagers) throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trustManagers, null);
    return ssl;
  }
}
