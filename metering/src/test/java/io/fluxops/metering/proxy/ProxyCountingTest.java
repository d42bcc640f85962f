package io.fluxops.metering.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fluxops.metering.http.ServerLimits;
import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy counting against a server on loopback that answers in the shapes the NIM and OpenAI-style
 * APIs document (REFERENCE.md; docs.nvidia.com/nim/visual-genai): what the client gets is what the
 * server sent, and only delivered images of successful generating requests are counted.
 */
class ProxyCountingTest {
  static {
    ServerLimits.apply();
  }

  /** What the stand-in server does with the next request. */
  private record Answer(int status, byte[] body, boolean cutOff, boolean chunked) {
    static Answer json(int status, String body) {
      return new Answer(status, body.getBytes(StandardCharsets.UTF_8), false, false);
    }
  }

  @TempDir Path dir;
  private BflStandIn bfl;
  private HttpServer server;
  private final AtomicReference<Answer> next = new AtomicReference<>();
  private RunningSidecar sidecar;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    bfl = BflStandIn.start(TestConfig.KEY);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::serve);
    server.start();
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    server.stop(0);
    bfl.close();
  }

  @Test
  void countsSuccessfulNimArtifactsAndNotFilteredOnes() throws Exception {
    startSidecar("nim", server.getAddress().getPort());
    String body =
        "{\"artifacts\": [{\"base64\": \"aGVsbG8=\", \"finishReason\": \"SUCCESS\", \"seed\": 1},"
            + " {\"base64\": \"\", \"finishReason\": \"CONTENT_FILTERED\", \"seed\": 2},"
            + " {\"base64\": \"d29ybGQ=\", \"finishReason\": \"SUCCESS\", \"seed\": 3}]}";
    next.set(Answer.json(200, body));

    HttpResponse<String> response =
        post("/v1/infer", "{\"prompt\": \"a cat\", \"mode\": \"base\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    assertThat(sidecar.statusNumber("accepted")).isEqualTo(2);
  }

  @Test
  void countsOneImagePerOpenAiDataEntry() throws Exception {
    startSidecar("openai", server.getAddress().getPort());
    next.set(
        Answer.json(
            200,
            "{\"created\": 1, \"data\": [{\"b64_json\": \"aGk=\"}, {\"url\": \"http://x/1.png\"}]}"));

    assertThat(post("/v1/images/generations", "{\"prompt\": \"a cat\", \"n\": 2}").statusCode())
        .isEqualTo(200);
    next.set(Answer.json(200, "{\"data\": [{\"b64_json\": \"aGk=\"}]}"));
    assertThat(post("/v1/images/edits", "{}").statusCode()).isEqualTo(200);

    assertThat(sidecar.statusNumber("accepted")).isEqualTo(3);
  }

  @Test
  void aTenMegabyteAnswerIsStreamedThroughUnchangedAndCounted() throws Exception {
    startSidecar("nim", server.getAddress().getPort());
    byte[] image = new byte[10 << 20];
    Arrays.fill(image, (byte) 'Q');
    String body =
        "{\"artifacts\": [{\"base64\": \""
            + new String(image, StandardCharsets.US_ASCII)
            + "\", \"finishReason\": \"SUCCESS\", \"seed\": 7}]}";
    next.set(Answer.json(200, body));

    HttpResponse<byte[]> response =
        http.send(request("/v1/infer", "{}"), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.body()).isEqualTo(body.getBytes(StandardCharsets.US_ASCII));
    assertThat(sidecar.statusNumber("accepted")).isEqualTo(1);
  }

  @Test
  void anAnswerCutOffIsNotCountedAndReachesTheClientBroken() throws Exception {
    startSidecar("nim", server.getAddress().getPort());
    next.set(
        new Answer(
            200,
            "{\"artifacts\": [{\"base64\": \"aGVsbG8=\", \"finishReason\": \"SUCCESS\"}]}"
                .getBytes(StandardCharsets.UTF_8),
            true,
            false));

    assertThatThrownBy(() -> post("/v1/infer", "{}")).isInstanceOf(IOException.class);
    assertThat(sidecar.statusNumber("accepted")).isZero();
  }

  @Test
  void aChunkedAnswerCutOffReachesTheClientWithoutAnEnd() throws Exception {
    // No Content-Length: the client knows the end by the last chunk, which the sidecar must not
    // write for an answer the server never finished (it would pass for a whole one).
    startSidecar("nim", server.getAddress().getPort());
    byte[] image = new byte[200_000];
    Arrays.fill(image, (byte) 'Q');
    next.set(
        new Answer(
            200,
            ("{\"artifacts\": [{\"base64\": \""
                    + new String(image, StandardCharsets.US_ASCII)
                    + "\", \"finishReason\": \"SUCCESS\"}]}")
                .getBytes(StandardCharsets.US_ASCII),
            true,
            true));

    assertThatThrownBy(() -> post("/v1/infer", "{}")).isInstanceOf(IOException.class);
    assertThat(sidecar.statusNumber("accepted")).isZero();

    // The sidecar's connection slots are not used up by the answers it dropped.
    next.set(Answer.json(200, "{\"artifacts\": [{\"finishReason\": \"SUCCESS\"}]}"));
    assertThat(post("/v1/infer", "{}").statusCode()).isEqualTo(200);
    assertThat(sidecar.statusNumber("accepted")).isEqualTo(1);
  }

  @Test
  void errorsAndOtherPathsPassThroughUncounted() throws Exception {
    startSidecar("nim", server.getAddress().getPort());
    next.set(Answer.json(422, "{\"detail\": \"prompt too long\"}"));
    HttpResponse<String> error = post("/v1/infer", "{}");
    assertThat(error.statusCode()).isEqualTo(422);
    assertThat(error.body()).isEqualTo("{\"detail\": \"prompt too long\"}");

    next.set(Answer.json(200, "{\"artifacts\": [{\"finishReason\": \"SUCCESS\"}]}"));
    HttpResponse<String> other =
        http.send(
            HttpRequest.newBuilder(proxy("/v1/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(200);

    next.set(Answer.json(200, "not json at all"));
    assertThat(post("/v1/infer", "{}").body()).isEqualTo("not json at all");

    assertThat(sidecar.statusNumber("accepted")).isZero();
    assertThat(sidecar.metrics()).contains("flux_queue_depth{model=\"flux-1-dev\"} 0.0");
  }

  @Test
  void requestsWaitingTogetherAtTheServerAreAllForwardedAndCounted() throws Exception {
    // More requests at once than a fixed pool of 32 handler threads held: the server answers none
    // until all are in, as a GPU server does with a queue, for longer than the request deadline
    // that would cut off a request still waiting for a handler thread.
    int requests = 40;
    CountDownLatch arrived = new CountDownLatch(requests);
    HttpServer queueing =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    queueing.setExecutor(Executors.newFixedThreadPool(requests + 8));
    byte[] body =
        "{\"artifacts\": [{\"base64\": \"aGVsbG8=\", \"finishReason\": \"SUCCESS\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    queueing.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            arrived.countDown();
            arrived.await(ServerLimits.REQUEST_DEADLINE.toSeconds() + 3, TimeUnit.SECONDS);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    queueing.start();
    try {
      startSidecar("nim", queueing.getAddress().getPort());

      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        answers.add(
            http.sendAsync(request("/v1/infer", "{}"), HttpResponse.BodyHandlers.ofString()));
      }

      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        assertThat(answer.get().statusCode()).isEqualTo(200);
        assertThat(answer.get().body()).isEqualTo(new String(body, StandardCharsets.UTF_8));
      }
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(requests);
    } finally {
      queueing.stop(0);
    }
  }

  @Test
  void aServerThatIsDownGetsA502WithAClearBody() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    startSidecar("openai", closed);

    HttpResponse<String> response = post("/v1/images/generations", "{}");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("cannot be reached");
    assertThat(sidecar.statusNumber("accepted")).isZero();
    assertThat(sidecar.report(1)).isEqualTo(409);
  }

  private void serve(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    Answer answer = next.get();
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    // 0: chunked, as a server that streams without knowing the length answers.
    exchange.sendResponseHeaders(answer.status(), answer.chunked() ? 0 : answer.body().length);
    OutputStream out = exchange.getResponseBody();
    if (answer.cutOff()) {
      out.write(answer.body(), 0, answer.body().length / 2);
      out.flush();
      // Half the answer, then the connection goes (the exchange is not closed, which would end a
      // chunked body cleanly): what a crashing server leaves.
      throw new IOException("cut off");
    }
    try (exchange) {
      out.write(answer.body());
    }
  }

  private void startSidecar(String api, int upstreamPort) throws Exception {
    sidecar =
        RunningSidecar.start(
            TestConfig.in(dir, bfl.endpoint())
                .with("FLUXOPS_COUNTING", "proxy")
                .with("FLUXOPS_SERVER_API", api)
                .with("FLUXOPS_PROXY_PORT", "0")
                .with("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:" + upstreamPort));
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(request(path, json), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String path, String json) {
    return HttpRequest.newBuilder(proxy(path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private URI proxy(String path) {
    return URI.create("http://127.0.0.1:" + sidecar.sidecar().proxyPort().orElseThrow() + path);
  }
}
