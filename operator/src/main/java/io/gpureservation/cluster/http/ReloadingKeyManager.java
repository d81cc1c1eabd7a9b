package io.gpureservation.cluster.http;

import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serving certificate (the webhook's, and the metrics server's when it has files; see {@link
 * ServingTls}), read from PEM files and read again when they change, so a rotated certificate
 * (cert-manager, or a Secret the chart regenerates; the kubelet swaps mounted files in place) is
 * served without a restart. The files are compared with what was loaded at most once per {@code
 * recheck}, at a TLS handshake; a pair that fails to load (half-written) keeps the previous
 * certificate until the next look.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);
  private static final char[] PASSWORD = "changeit".toCharArray();

  private final Path cert;
  private final Path key;
  private final Duration recheck;
  private final Clock clock;
  private byte[] loadedCert;
  private byte[] loadedKey;
  private X509ExtendedKeyManager current;
  private Instant nextCheck;

  ReloadingKeyManager(Path cert, Path key, Duration recheck, Clock clock)
      throws IOException, GeneralSecurityException {
    this.cert = cert;
    this.key = key;
    this.recheck = recheck;
    this.clock = clock;
    byte[] c = Files.readAllBytes(cert);
    byte[] k = Files.readAllBytes(key);
    this.current = load(c, k);
    this.loadedCert = c;
    this.loadedKey = k;
    this.nextCheck = clock.instant().plus(recheck);
  }

  private synchronized X509ExtendedKeyManager current() {
    Instant now = clock.instant();
    if (now.isBefore(nextCheck)) {
      return current;
    }
    nextCheck = now.plus(recheck);
    try {
      byte[] c = Files.readAllBytes(cert);
      byte[] k = Files.readAllBytes(key);
      if (!Arrays.equals(c, loadedCert) || !Arrays.equals(k, loadedKey)) {
        current = load(c, k);
        loadedCert = c;
        loadedKey = k;
        LOG.info("serving certificate reloaded from {}", cert);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.warn("serving certificate not reloaded (keeping the previous one): {}", e.toString());
    }
    return current;
  }

  private static X509ExtendedKeyManager load(byte[] cert, byte[] key)
      throws IOException, GeneralSecurityException {
    KeyStore store =
        CertUtils.createKeyStore(
            new ByteArrayInputStream(cert),
            new ByteArrayInputStream(key),
            "RSA",
            PASSWORD,
            null,
            PASSWORD);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD);
    for (KeyManager m : kmf.getKeyManagers()) {
      if (m instanceof X509ExtendedKeyManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 key manager for the serving certificate");
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return current().getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return current().chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current().getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return current().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return current().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return current().getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return current().getPrivateKey(alias);
  }
}
