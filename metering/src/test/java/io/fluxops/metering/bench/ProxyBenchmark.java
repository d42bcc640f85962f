package io.fluxops.metering.bench;

import com.sun.net.httpserver.HttpServer;
import io.fluxops.metering.http.ServerLimits;
import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.JvmFlags;
import io.fluxops.metering.support.SidecarProcess;
import io.fluxops.metering.support.TestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proxy's cost (issue 14): a NIM-shaped server on loopback answers {@code POST /v1/infer} with
 * one 2 MiB artifact; clients call it directly and through the sidecar jar (image flags, or {@code
 * -Dfluxops.jvmFlags=...}) at 10 and 100 concurrent requests. Prints latency p50/p99 both ways,
 * throughput, the sidecar's RSS, and the images counted against those delivered.
 */
public final class ProxyBenchmark {
  static {
    ServerLimits.apply();
  }

  private static final Duration PHASE = Duration.ofSeconds(Long.getLong("bench.phaseSeconds", 15));

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory(Path.of("metering", "target"), "proxy-bench-");
    byte[] body = nimAnswer();
    HttpServer nim =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    nim.setExecutor(Executors.newFixedThreadPool(128));
    nim.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    nim.start();
    int proxyPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      proxyPort = socket.getLocalPort();
    }
    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY)) {
      Map<String, String> env =
          TestConfig.in(work, bfl.endpoint())
              .with("FLUXOPS_COUNTING", "proxy")
              .with("FLUXOPS_SERVER_API", "nim")
              .with("FLUXOPS_PROXY_PORT", String.valueOf(proxyPort))
              .with("FLUXOPS_UPSTREAM_URL", "http://127.0.0.1:" + nim.getAddress().getPort())
              .with("FLUXOPS_BATCH_INTERVAL_SECONDS", "5")
              .with("FLUXOPS_REPORT_TIMEOUT_SECONDS", "10")
              .env();
      try (SidecarProcess sidecar = SidecarProcess.start(env, work.resolve("sidecar.log"))) {
        System.out.println("JVM flags: " + String.join(" ", JvmFlags.fromPom()));
        System.out.println(
            "load average at the start: " + Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.println("RSS idle: " + rss(sidecar.pid()) + " MiB");
        URI direct = URI.create("http://127.0.0.1:" + nim.getAddress().getPort() + "/v1/infer");
        URI proxied = URI.create("http://127.0.0.1:" + proxyPort + "/v1/infer");
        AtomicLong delivered = new AtomicLong();
        run(proxied, 4, Duration.ofSeconds(5), delivered); // warm-up
        System.out.println(
            "| concurrent | direct p50 | direct p99 | proxied p50 | proxied p99 | proxied/s |");
        System.out.println("|---|---|---|---|---|---|");
        for (int clients : new int[] {10, 100}) {
          long[] plain = run(direct, clients, PHASE, new AtomicLong());
          long[] through = run(proxied, clients, PHASE, delivered);
          System.out.printf(
              "| %d | %s | %s | %s | %s | %.1f |%n",
              clients,
              ms(plain, 0.5),
              ms(plain, 0.99),
              ms(through, 0.5),
              ms(through, 0.99),
              through.length / (double) PHASE.toSeconds());
          System.out.println(
              "RSS after " + clients + " concurrent: " + rss(sidecar.pid()) + " MiB");
        }
        System.out.println("peak RSS (VmHWM): " + status(sidecar.pid(), "VmHWM") / 1024.0 + " MiB");
        var client = sidecar.client();
        System.out.println(
            "images counted "
                + client.statusNumber("accepted")
                + " (delivered whole to the clients: "
                + delivered.get()
                + ")");
        sidecar.terminate(Duration.ofSeconds(30));
        System.out.println("BFL recorded " + bfl.recorded());
      }
    } finally {
      nim.stop(0);
    }
    // The stand-in's pool threads would keep the JVM alive.
    System.exit(0);
  }

  private static byte[] nimAnswer() {
    byte[] image = new byte[2 << 20];
    Arrays.fill(image, (byte) 'Q');
    return ("{\"artifacts\": [{\"base64\": \""
            + new String(image, StandardCharsets.US_ASCII)
            + "\", \"finishReason\": \"SUCCESS\", \"seed\": 42}]}")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Closed loop: each client calls again as soon as its answer is in; returns the latencies. */
  private static long[] run(URI uri, int clients, Duration duration, AtomicLong delivered)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + duration.toNanos();
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      results.add(
          pool.submit(
              () -> {
                List<Long> samples = new ArrayList<>();
                byte[] sink = new byte[64 * 1024];
                while (System.nanoTime() < end) {
                  long start = System.nanoTime();
                  try {
                    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                    connection.setRequestMethod("POST");
                    connection.setDoOutput(true);
                    connection.setRequestProperty("Content-Type", "application/json");
                    try (OutputStream out = connection.getOutputStream()) {
                      out.write("{\"prompt\": \"x\"}".getBytes(StandardCharsets.UTF_8));
                    }
                    long total = 0;
                    try (InputStream in = connection.getInputStream()) {
                      int n;
                      while ((n = in.read(sink)) > 0) {
                        total += n;
                      }
                    }
                    if (total == connection.getContentLengthLong()) {
                      delivered.incrementAndGet();
                      samples.add(System.nanoTime() - start);
                    }
                  } catch (IOException e) {
                    // counted as not delivered
                  }
                }
                return samples;
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> result : results) {
      all.addAll(result.get());
    }
    pool.shutdown();
    long[] samples = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return samples;
  }

  private static String ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return "-";
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return String.format("%.1f ms", sorted[Math.max(0, index)] / 1e6);
  }

  private static String rss(long pid) throws IOException {
    return String.format("%.1f", status(pid, "VmRSS") / 1024.0);
  }

  private static long status(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
