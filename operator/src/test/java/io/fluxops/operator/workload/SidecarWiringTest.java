package io.fluxops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fluxops.metering.Sidecar;
import io.fluxops.metering.config.ConfigLoader;
import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.ComfyUiStandIn;
import io.fluxops.metering.support.ComfyWorkflows;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.testing.Examples;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real sidecar (in-process) started with the environment the operator derives for each preset,
 * changed only where a test process is not a pod (the key and journal paths, free ports instead of
 * the pod's fixed ones, the stand-ins' addresses): its configuration accepts every variable, the
 * kubelet's readiness request reaches the server through it, and what the server delivers reaches
 * BFL's stand-in, counted as the preset says.
 */
class SidecarWiringTest {

  private static final String KEY = "test-key";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aNimsSuccessfulArtifactsAreCountedThroughTheServingPort() throws Exception {
    server =
        stubServer(
            "/v1/health/ready",
            "/v1/infer",
            "{\"artifacts\": [{\"base64\": \"aGk=\", \"finishReason\": \"SUCCESS\", \"seed\": 1},"
                + " {\"base64\": \"\", \"finishReason\": \"CONTENT_FILTERED\", \"seed\": 2}]}");
    try (BflStandIn bfl = BflStandIn.start(KEY);
        Sidecar sidecar = start("servers/flux-1-dev-nim.yaml", bfl, serverUrl())) {
      int port = sidecar.proxyPort().orElseThrow();

      assertThat(get(port, "/v1/health/ready")).as("the kubelet's readiness probe").isEqualTo(200);
      assertThat(post(port, "/v1/infer", "{\"prompt\": \"a cat\", \"mode\": \"base\"}"))
          .isEqualTo(200);

      await().atMost(TIMEOUT).until(() -> bfl.recorded() == 1);
      assertThat(get(sidecar.port(), "/metrics")).isEqualTo(200);
    }
  }

  @Test
  void anOpenAiStyleServersImagesAreCountedThroughTheServingPort() throws Exception {
    server =
        stubServer(
            "/health",
            "/v1/images/generations",
            "{\"created\": 1, \"data\": [{\"b64_json\": \"aGk=\"}, {\"b64_json\": \"aGk=\"}]}");
    try (BflStandIn bfl = BflStandIn.start(KEY);
        Sidecar sidecar = start("servers/flux-1-dev-openai.yaml", bfl, serverUrl())) {
      int port = sidecar.proxyPort().orElseThrow();

      assertThat(get(port, "/health")).isEqualTo(200);
      assertThat(post(port, "/v1/images/generations", "{\"prompt\": \"a cat\", \"n\": 2}"))
          .isEqualTo(200);

      await().atMost(TIMEOUT).until(() -> bfl.recorded() == 2);
    }
  }

  @Test
  void comfyuisSavedImagesAreCountedFromItsHistory() throws Exception {
    try (ComfyUiStandIn comfy = ComfyUiStandIn.start();
        BflStandIn bfl = BflStandIn.start(KEY);
        Sidecar sidecar = start("servers/flux-1-dev-comfyui.yaml", bfl, comfy.url().toString())) {
      assertThat(sidecar.proxyPort()).as("ComfyUI keeps its own port").isEmpty();

      comfy.queue(ComfyWorkflows.saveAndPreview(3, 42));

      await().atMost(TIMEOUT).until(() -> bfl.recorded() == 3);
    }
  }

  /**
   * Starts the sidecar with the operator's environment for the example, changed where a test is not
   * a pod.
   */
  private Sidecar start(String example, BflStandIn bfl, String upstream) throws Exception {
    FluxDeployment fd = Examples.load(example, "ns");
    ValidatedSpec v = ((SpecValidator.Valid) SpecValidator.validate(fd.getSpec())).spec();
    fd.getMetadata().setUid("uid");
    Container container =
        WorkloadFactory.deployment(fd, v, 1, "metering:test", Optional.empty())
            .getSpec()
            .getTemplate()
            .getSpec()
            .getInitContainers()
            .get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), var.getValue() == null ? "ns" : var.getValue());
    }
    Path key = Files.writeString(dir.resolve("api-key"), KEY);
    env.put("FLUXOPS_KEY_FILE", key.toString());
    env.put("FLUXOPS_JOURNAL_DIR", Files.createDirectories(dir.resolve("journal")).toString());
    env.put("FLUXOPS_USAGE_ENDPOINT", bfl.endpoint().toString());
    env.put("FLUXOPS_BATCH_INTERVAL_SECONDS", "0.05");
    env.put("FLUXOPS_LISTEN_ADDRESS", "127.0.0.1");
    env.put("FLUXOPS_LISTEN_PORT", "0");
    env.put("FLUXOPS_USAGE_PORT", "0");
    if (env.containsKey("FLUXOPS_PROXY_PORT")) {
      env.put("FLUXOPS_PROXY_PORT", "0");
    }
    assertThat(env.get("FLUXOPS_UPSTREAM_URL")).startsWith("http://127.0.0.1:");
    env.put("FLUXOPS_UPSTREAM_URL", upstream);

    assertThat(ConfigLoader.unknownVariables(env))
        .as("variables the sidecar does not read")
        .isEmpty();
    return Sidecar.start(ConfigLoader.load(env), Clock.systemUTC(), new SplittableRandom(7));
  }

  /** A server on loopback that answers its health path and one generating path as documented. */
  private static HttpServer stubServer(String healthPath, String generatePath, String answer)
      throws IOException {
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext(healthPath, exchange -> respond(exchange, "{\"object\": \"health\"}"));
    stub.createContext(
        generatePath,
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          respond(exchange, answer);
        });
    stub.start();
    return stub;
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private String serverUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private int get(int port, String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private int post(int port, String path, String json) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
