package io.fluxops.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.workload.PodLayout;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real metering sidecar (the packaged jar) on port 9469 of a loopback address given to the fake
 * pods (see {@link PodAddresses}), where the operator looks for a pod's sidecar, reporting to a BFL
 * stand-in on loopback that answers 200.
 */
final class MeteringSidecar implements AutoCloseable {

  static final Path JAR = Examples.ROOT.resolve("metering/target/fluxops-metering.jar");

  private final Process process;
  private final HttpServer bfl;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private final String address;

  private MeteringSidecar(Process process, HttpServer bfl, Path log, String address) {
    this.address = address;
    this.process = process;
    this.bfl = bfl;
    this.log = log;
  }

  /** Starts the BFL stand-in and the sidecar with the labels of one FluxDeployment. */
  static MeteringSidecar start(
      Path dir, String address, String model, String namespace, String name, String gpu)
      throws IOException {
    assertThat(JAR)
        .as(
            "the metering sidecar's jar: build it first with ./mvnw -B -pl metering package -DskipTests")
        .exists();
    HttpServer bfl = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    bfl.createContext(
        "/v1/licenses/models/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          byte[] body =
              "{\"message\": \"Usage recorded successfully\"}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    bfl.start();
    Files.createDirectories(dir);
    Path key = dir.resolve("api-key");
    Files.writeString(key, "test-key");
    Path journal = Files.createDirectories(dir.resolve("journal"));
    Path log = dir.resolve("sidecar.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    var env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("FLUXOPS_"));
    env.put("FLUXOPS_MODEL_SLUG", model);
    env.put("FLUXOPS_USAGE_ENDPOINT", "http://127.0.0.1:" + bfl.getAddress().getPort());
    env.put("FLUXOPS_KEY_FILE", key.toString());
    env.put("FLUXOPS_JOURNAL_DIR", journal.toString());
    env.put("FLUXOPS_BATCH_INTERVAL_SECONDS", "1");
    env.put("FLUXOPS_LISTEN_ADDRESS", address);
    env.put("FLUXOPS_LISTEN_PORT", Integer.toString(PodLayout.METERING_PORT));
    // The pod's loopback: this test's own address, which is a loopback one.
    env.put("FLUXOPS_USAGE_ADDRESS", address);
    env.put("FLUXOPS_USAGE_PORT", Integer.toString(PodLayout.USAGE_PORT));
    env.put("FLUXOPS_NAMESPACE", namespace);
    env.put("FLUXOPS_INSTANCE", name);
    env.put("FLUXOPS_GPU", gpu);
    return new MeteringSidecar(builder.start(), bfl, log, address);
  }

  boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the sidecar exited:\n" + log());
    }
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(base() + "/readyz")).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Records images, as the inference server does after each one. */
  void generated(String model, int images) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://"
                              + address
                              + ":"
                              + PodLayout.USAGE_PORT
                              + "/v1/licenses/models/"
                              + model
                              + "/usage"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"number_of_generations\": " + images + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private String base() {
    return "http://" + address + ":" + PodLayout.METERING_PORT;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    bfl.stop(0);
  }
}
