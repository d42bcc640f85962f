package io.fluxops.metering.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the benchmark's BFL stand-in, so that the sidecar's memory and CPU include what the real
 * {@code https://api.bfl.ai} costs: a self-signed certificate for 127.0.0.1 made with the JDK's
 * keytool, and a trust store for the sidecar that is the JDK's own {@code cacerts} (all its roots,
 * as in production) plus that certificate.
 */
final class TlsFixture {
  private static final String PASSWORD = "changeit";

  private final Path keyStore;
  private final Path trustStore;

  private TlsFixture(Path keyStore, Path trustStore) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
  }

  static TlsFixture create(Path dir) throws IOException, InterruptedException {
    Path keyStore = dir.resolve("stand-in.p12");
    Path certificate = dir.resolve("stand-in.pem");
    Path trustStore = dir.resolve("trust-store.jks");
    keytool(
        "-genkeypair",
        "-alias",
        "stand-in",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "stand-in",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        certificate.toString());
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    Files.copy(cacerts, trustStore, StandardCopyOption.REPLACE_EXISTING);
    trustStore.toFile().setWritable(true);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "fluxops-bench-stand-in",
        "-file",
        certificate.toString(),
        "-keystore",
        trustStore.toString(),
        "-storepass",
        PASSWORD);
    return new TlsFixture(keyStore, trustStore);
  }

  /** The stand-in's server context. */
  SSLContext serverContext() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context;
  }

  /** A client context that trusts what the sidecar trusts: for the reference client. */
  SSLContext clientContext() throws Exception {
    KeyStore trusted = KeyStore.getInstance("JKS");
    try (InputStream in = Files.newInputStream(trustStore)) {
      trusted.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** The JVM flags that make the sidecar trust the stand-in besides the usual roots. */
  List<String> sidecarFlags() {
    return List.of(
        "-Djavax.net.ssl.trustStore=" + trustStore,
        "-Djavax.net.ssl.trustStorePassword=" + PASSWORD);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
