package io.fluxops.metering.bench;

import com.sun.net.httpserver.HttpServer;
import io.fluxops.common.PrometheusText;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * The proxy's cost (issue 14): a NIM-shaped server on loopback answers {@code POST /v1/infer} with
 * one 2 MiB artifact; clients call it directly and through the sidecar jar (image flags, or {@code
 * -Dfluxops.jvmFlags=...}) at 10 and 100 concurrent requests. Prints latency p50/p99 both ways,
 * throughput, the sidecar's CPU per answer, its RSS and threads, and the images counted against
 * those delivered. With {@code -Dbench.generateMillis=N} the server waits N ms before it answers,
 * as a GPU does while it generates: the clients then keep 10 or 100 requests in flight without
 * saturating the CPUs, and the difference between direct and proxied is the proxy's own cost rather
 * than its share of two busy CPUs.
 */
public final class ProxyBenchmark {
  static {
    ServerLimits.apply();
  }

  private static final Duration PHASE = Duration.ofSeconds(Long.getLong("bench.phaseSeconds", 15));
  private static final long GENERATE_MILLIS = Long.getLong("bench.generateMillis", 0);

  /**
   * Requests through the proxy before the phases, from 4 clients. C1 compiles a method after some
   * 200 calls, so the code that runs once per request (headers, the connection to the server) is
   * still partly interpreted after the default 5 s of one GPU's 20 answers a second; a pod that has
   * served for a while has it compiled ({@code -Dbench.warmUpSeconds=60}).
   */
  private static final Duration WARM_UP =
      Duration.ofSeconds(Long.getLong("bench.warmUpSeconds", 5));

  /**
   * Where the journal goes: beside the benchmark's other files (the disk), or under {@code
   * -Dbench.journalDir=/dev/shm} to take the disk's fsync out of the proxy's added latency.
   */
  private static final String JOURNAL_DIR = System.getProperty("bench.journalDir");

  /** A client whose connection failed (refused past the connection limit) waits this long. */
  private static final long RETRY_MILLIS = 10;

  private static final String SENT_AT = "X-Bench-Sent-Nanos";

  /** The one GPU: a request generates while it holds this. */
  private static final ReentrantLock GPU = new ReentrantLock(true);

  /** Clock ticks a second of /proc/PID/stat's CPU times (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

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
            generate();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set(SENT_AT, Long.toString(System.nanoTime()));
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
              .with("FLUXOPS_JOURNAL_DIR", journalDir(work).toString())
              .env();
      try (SidecarProcess sidecar = SidecarProcess.start(env, work.resolve("sidecar.log"))) {
        System.out.println("JVM flags: " + String.join(" ", JvmFlags.fromPom()));
        System.out.println("server's generation time: " + GENERATE_MILLIS + " ms");
        System.out.println("journal: " + env.get("FLUXOPS_JOURNAL_DIR"));
        System.out.println("load average at the start: " + loadAverage());
        System.out.println("sidecar listening after " + sidecar.readyAfter().toMillis() + " ms");
        System.out.println("RSS idle: " + rss(sidecar.pid()) + " MiB");
        URI direct = URI.create("http://127.0.0.1:" + nim.getAddress().getPort() + "/v1/infer");
        URI proxied = URI.create("http://127.0.0.1:" + proxyPort + "/v1/infer");
        AtomicLong delivered = new AtomicLong();
        run(proxied, 4, WARM_UP, delivered, new AtomicLong());
        List<String> rows = new ArrayList<>();
        for (int clients : new int[] {10, 100}) {
          AtomicLong directFailures = new AtomicLong();
          Samples plain = run(direct, clients, PHASE, new AtomicLong(), directFailures);
          AtomicLong failures = new AtomicLong();
          long[] cpuBefore = cpuTicks(sidecar.pid());
          Samples through = run(proxied, clients, PHASE, delivered, failures);
          long[] cpuAfter = cpuTicks(sidecar.pid());
          double userSeconds = (cpuAfter[0] - cpuBefore[0]) / TICKS_PER_SECOND;
          double systemSeconds = (cpuAfter[1] - cpuBefore[1]) / TICKS_PER_SECOND;
          int answers = through.total().length;
          rows.add(
              String.format(
                  "| %d | %s | %s | %s | %s | %s | %s | %.1f / %.1f | %.2f + %.2f ms | %d / %d |",
                  clients,
                  pair(plain.total()),
                  pair(through.total()),
                  pair(plain.delivery()),
                  pair(through.delivery()),
                  added(plain.delivery(), through.delivery(), 0.5),
                  added(plain.delivery(), through.delivery(), 0.99),
                  plain.total().length / (double) PHASE.toSeconds(),
                  answers / (double) PHASE.toSeconds(),
                  perAnswer(userSeconds, answers),
                  perAnswer(systemSeconds, answers),
                  directFailures.get(),
                  failures.get()));
          System.out.println(
              "RSS after "
                  + clients
                  + " concurrent: "
                  + rss(sidecar.pid())
                  + " MiB, threads "
                  + status(sidecar.pid(), "Threads"));
        }
        System.out.println(
            "| concurrent | end to end p50 / p99: direct | proxied"
                + " | delivery p50 / p99: direct | proxied | added delivery p50 | p99"
                + " | answers/s direct / proxied | sidecar CPU per answer (user + system)"
                + " | failed connections direct / proxied |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println("peak RSS (VmHWM): " + mib(status(sidecar.pid(), "VmHWM")) + " MiB");
        var client = sidecar.client();
        System.out.println(fsyncs(client.get("/metrics").body()));
        System.out.println(
            "images counted "
                + client.statusNumber("accepted")
                + " (delivered whole to the clients: "
                + delivered.get()
                + ")");
        sidecar.terminate(Duration.ofSeconds(30));
        System.out.println("BFL recorded " + bfl.recorded());
        System.out.println("load average at the end: " + loadAverage());
      }
    } finally {
      nim.stop(0);
    }
    // The stand-in's pool threads would keep the JVM alive.
    System.exit(0);
  }

  /**
   * The journal's write and fsync of each group of counts: a counted answer's last chunk waits for
   * it, so it is in every counted answer's added delivery time.
   */
  private static String fsyncs(String metrics) throws PrometheusText.FormatException {
    String name = "fluxops_metering_journal_fsync_duration_seconds";
    double count = 0;
    double sum = 0;
    double max = 0;
    StringBuilder buckets = new StringBuilder();
    for (PrometheusText.Sample sample : PrometheusText.samples(metrics, name + "_count")) {
      count += sample.value();
    }
    for (PrometheusText.Sample sample : PrometheusText.samples(metrics, name + "_sum")) {
      sum += sample.value();
    }
    for (PrometheusText.Sample sample : PrometheusText.samples(metrics, name + "_max")) {
      max = Math.max(max, sample.value());
    }
    for (PrometheusText.Sample sample : PrometheusText.samples(metrics, name + "_bucket")) {
      String le = sample.labels().get("le");
      if (List.of("0.001", "0.002", "0.005").contains(le)) {
        buckets.append(String.format(", %.1f %% within %s s", 100 * sample.value() / count, le));
      }
    }
    return String.format(
        "journal write + fsync: %.0f groups, mean %.2f ms, max (recent) %.2f ms%s",
        count, count == 0 ? 0 : sum * 1000 / count, max * 1000, buckets);
  }

  private static Path journalDir(Path work) throws IOException {
    if (JOURNAL_DIR == null) {
      return work.resolve("journal");
    }
    return Files.createTempDirectory(Path.of(JOURNAL_DIR), "proxy-bench-journal-");
  }

  /** The GPU's time on a request, one request at a time; 0 (the default) answers at once. */
  private static void generate() {
    if (GENERATE_MILLIS == 0) {
      return;
    }
    GPU.lock();
    try {
      Thread.sleep(GENERATE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      GPU.unlock();
    }
  }

  /** Nanoseconds per answer delivered whole: end to end, and from the server's first byte. */
  private record Samples(long[] total, long[] delivery) {}

  private static byte[] nimAnswer() {
    byte[] image = new byte[2 << 20];
    Arrays.fill(image, (byte) 'Q');
    return ("{\"artifacts\": [{\"base64\": \""
            + new String(image, StandardCharsets.US_ASCII)
            + "\", \"finishReason\": \"SUCCESS\", \"seed\": 42}]}")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Closed loop: each client calls again as soon as its answer is in; returns the latencies. */
  private static Samples run(
      URI uri, int clients, Duration duration, AtomicLong delivered, AtomicLong failures)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + duration.toNanos();
    List<Future<List<long[]>>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      results.add(
          pool.submit(
              () -> {
                List<long[]> samples = new ArrayList<>();
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
                    long done = System.nanoTime();
                    if (total == connection.getContentLengthLong()) {
                      delivered.incrementAndGet();
                      long sent = Long.parseLong(connection.getHeaderField(SENT_AT));
                      samples.add(new long[] {done - start, done - sent});
                    }
                  } catch (IOException e) {
                    // Not delivered: refused past the connection limit, or broken.
                    failures.incrementAndGet();
                    Thread.sleep(RETRY_MILLIS);
                  }
                }
                return samples;
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<List<long[]>> result : results) {
      all.addAll(result.get());
    }
    pool.shutdown();
    return new Samples(
        all.stream().mapToLong(s -> s[0]).sorted().toArray(),
        all.stream().mapToLong(s -> s[1]).sorted().toArray());
  }

  private static String pair(long[] sorted) {
    return ms(sorted, 0.5) + " / " + ms(sorted, 0.99);
  }

  private static String ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return "-";
    }
    return String.format("%.2f ms", quantile(sorted, quantile) / 1e6);
  }

  /** How much the proxied quantile is above the direct one. */
  private static String added(long[] direct, long[] proxied, double quantile) {
    if (direct.length == 0 || proxied.length == 0) {
      return "-";
    }
    return String.format(
        "%+.2f ms", (quantile(proxied, quantile) - quantile(direct, quantile)) / 1e6);
  }

  private static long quantile(long[] sorted, double quantile) {
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)];
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }

  /** User and system CPU time of the process, in clock ticks (/proc/PID/stat fields 14 and 15). */
  private static long[] cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
  }

  private static double perAnswer(double seconds, int answers) {
    return answers == 0 ? 0 : seconds * 1000 / answers;
  }

  private static String rss(long pid) throws IOException {
    return mib(status(pid, "VmRSS"));
  }

  private static String mib(long kib) {
    return String.format("%.1f", kib / 1024.0);
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
