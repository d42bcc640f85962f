package io.fluxops.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fluxops.metering.http.ServerLimits;
import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.ListenPorts;
import io.fluxops.metering.support.LocalClient;
import io.fluxops.metering.support.SidecarProcess;
import io.fluxops.metering.support.TestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy counting with the packaged jar, SIGKILLed while four clients generate through it against a
 * NIM-shaped server that also fails requests and cuts answers off: every image a client received
 * whole was counted and reached BFL, and what was counted beyond that is bounded by the answers in
 * flight at each kill.
 */
class ProxyCrashIT {
  static {
    ServerLimits.apply();
  }

  private static final int KILLS = 4;
  private static final int CLIENTS = 4;
  private static final int MAX_ARTIFACTS = 4;
  private static final Pattern SUCCESS = Pattern.compile("\"finishReason\": \"SUCCESS\"");

  @TempDir Path dir;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @Test
  void imagesDeliveredAreCountedOnceAndKillsOverCountAtMostTheAnswersInFlight() throws Exception {
    HttpServer nim =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    nim.setExecutor(Executors.newFixedThreadPool(16));
    SplittableRandom shapes = new SplittableRandom(14);
    nim.createContext("/", exchange -> answer(exchange, next(shapes)));
    nim.start();
    int proxyPort = ListenPorts.unused();
    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY)) {
      Map<String, String> env =
          TestConfig.in(dir, bfl.endpoint())
              .with("FLUXOPS_COUNTING", "proxy")
              .with("FLUXOPS_SERVER_API", "nim")
              .with("FLUXOPS_PROXY_PORT", String.valueOf(proxyPort))
              .with("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:" + nim.getAddress().getPort())
              .with("FLUXOPS_REPORT_TIMEOUT_SECONDS", "5")
              .env();
      SidecarProcess sidecar = SidecarProcess.start(env, dir.resolve("run-0.log"));
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(pool.submit(() -> generate(proxyPort)));
      }
      SplittableRandom timing = new SplittableRandom(3);
      for (int kill = 1; kill <= KILLS; kill++) {
        long before = delivered.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() > before + 10);
        TimeUnit.MILLISECONDS.sleep(timing.nextInt(200));
        sidecar.kill();
        sidecar = SidecarProcess.start(env, dir.resolve("run-" + kill + ".log"));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() > 0);
      running.set(false);
      for (Future<?> client : clients) {
        client.get();
      }
      pool.shutdown();
      LocalClient status = sidecar.client();
      await().atMost(Duration.ofSeconds(30)).until(() -> status.statusNumber("pending") == 0);
      long accepted = status.statusNumber("accepted");
      long flagged = status.statusNumber("possiblyDuplicated");
      assertThat(sidecar.terminate(Duration.ofSeconds(10))).isZero();
      System.out.printf(
          "kills=%d delivered=%d accepted=%d bfl=%d flagged=%d%n",
          KILLS, delivered.get(), accepted, bfl.recorded(), flagged);

      // Nothing delivered is lost ...
      assertThat(accepted).isGreaterThanOrEqualTo(delivered.get());
      // ... and only answers in flight at a kill are counted without having been delivered.
      assertThat(accepted - delivered.get())
          .isLessThanOrEqualTo((long) KILLS * CLIENTS * MAX_ARTIFACTS);
      assertThat(bfl.recorded()).isBetween(accepted, accepted + flagged);
      assertThat(bfl.violations()).isEmpty();
    } finally {
      nim.stop(0);
    }
  }

  /** A client that generates until told to stop; counts the images of every whole answer. */
  private Void generate(int port) throws InterruptedException {
    byte[] request =
        "{\"prompt\": \"a lighthouse\", \"mode\": \"base\"}".getBytes(StandardCharsets.UTF_8);
    while (running.get()) {
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/v1/infer").toURL().openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(10_000);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
          out.write(request);
        }
        if (connection.getResponseCode() == 200) {
          String body;
          try (InputStream in = connection.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          if (body.endsWith("]}") && body.length() == connection.getContentLengthLong()) {
            Matcher images = SUCCESS.matcher(body);
            while (images.find()) {
              delivered.incrementAndGet();
            }
          }
        } else {
          InputStream error = connection.getErrorStream();
          if (error != null) {
            error.readAllBytes();
          }
        }
      } catch (IOException e) {
        // The sidecar was killed, or the answer cut off: nothing delivered.
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }
    return null;
  }

  private record Shape(int status, String body, boolean cutOff) {}

  private static synchronized Shape next(SplittableRandom random) {
    int roll = random.nextInt(20);
    if (roll == 0) {
      return new Shape(500, "{\"detail\": \"Internal Server Error\"}", false);
    }
    StringBuilder body = new StringBuilder("{\"artifacts\": [");
    int artifacts = 1 + random.nextInt(MAX_ARTIFACTS);
    for (int i = 0; i < artifacts; i++) {
      String reason = random.nextInt(5) == 0 ? "CONTENT_FILTERED" : "SUCCESS";
      body.append(i == 0 ? "" : ", ")
          .append("{\"base64\": \"")
          .append("QUFB".repeat(20_000 + random.nextInt(20_000)))
          .append("\", \"finishReason\": \"")
          .append(reason)
          .append("\", \"seed\": ")
          .append(i)
          .append('}');
    }
    body.append("]}");
    return new Shape(200, body.toString(), roll == 1);
  }

  private static void answer(HttpExchange exchange, Shape shape) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      byte[] bytes = shape.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(shape.status(), bytes.length);
      OutputStream out = exchange.getResponseBody();
      if (shape.cutOff()) {
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        throw new IOException("cut off");
      }
      out.write(bytes);
    }
  }
}
