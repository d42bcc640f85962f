package io.fluxops.metering.bench;

import static org.awaitility.Awaitility.await;

import io.fluxops.metering.http.ServerLimits;
import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.ComfyUiStandIn;
import io.fluxops.metering.support.ComfyWorkflows;
import io.fluxops.metering.support.JvmFlags;
import io.fluxops.metering.support.LocalClient;
import io.fluxops.metering.support.SidecarProcess;
import io.fluxops.metering.support.TestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * ComfyUI counting's cost: a ComfyUI stand-in whose history is full (10,000 finished prompts, each
 * with a UI workflow of about 16 KiB in its extra data, as the ComfyUI frontend sends), the
 * packaged sidecar started on an empty journal (it reads the whole history once), then idle, then
 * at a GPU's pace, then restarted on the journal that remembers 10,000 prompts. Prints the catch-up
 * time, RSS and peak RSS, CPU per second of each phase, the journal's size and the restart time.
 */
public final class ComfyUiBenchmark {
  static {
    ServerLimits.apply();
  }

  private static final int PROMPTS = Integer.getInteger("bench.prompts", 10_000);
  private static final int WORKFLOW_NODES = Integer.getInteger("bench.workflowNodes", 48);
  private static final Duration PHASE = Duration.ofSeconds(Long.getLong("bench.phaseSeconds", 30));
  private static final Duration AT_MOST = Duration.ofMinutes(10);

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory(Path.of("metering", "target"), "comfyui-bench-");
    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY);
        ComfyUiStandIn comfyui = ComfyUiStandIn.start()) {
      comfyui.workPerPrompt(Duration.ZERO);
      fill(comfyui, PROMPTS);
      System.out.println("JVM flags: " + String.join(" ", JvmFlags.fromPom()));
      System.out.printf(
          "history: %d prompts, %d images, GET /history %.1f MiB%n",
          comfyui.historySize(), comfyui.savedImages(), historyBytes(comfyui) / 1048576.0);
      System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
      Map<String, String> env =
          TestConfig.in(work, bfl.endpoint())
              .with("FLUXOPS_COUNTING", "comfyui")
              .with("FLUXOPS_UPSTREAM_URL", comfyui.url().toString())
              .with("FLUXOPS_BATCH_INTERVAL_SECONDS", "5")
              .with("FLUXOPS_REPORT_TIMEOUT_SECONDS", "10")
              .env();
      env = new LinkedHashMap<>(env);
      env.remove("FLUXOPS_COMFYUI_POLL_INTERVAL_SECONDS"); // the default, 1 s

      long started = System.nanoTime();
      SidecarProcess sidecar = SidecarProcess.start(env, work.resolve("sidecar-1.log"));
      LocalClient status = sidecar.client();
      await()
          .atMost(AT_MOST)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> status.statusNumber("accepted") == comfyui.savedImages());
      System.out.printf(
          "catch-up on a full history from an empty journal: %.1f s; RSS %s MiB, peak %s MiB%n",
          (System.nanoTime() - started) / 1e9,
          mib(sidecar.pid(), "VmRSS"),
          mib(sidecar.pid(), "VmHWM"));

      double idle = cpuPercent(sidecar.pid(), PHASE, () -> {});
      System.out.printf(
          "idle ComfyUI, poll every 1 s: %.2f %% of a core; RSS %s MiB%n",
          idle, mib(sidecar.pid(), "VmRSS"));

      long before = comfyui.savedImages();
      double busy =
          cpuPercent(
              sidecar.pid(),
              PHASE,
              () -> {
                try {
                  queueOne(comfyui, System.nanoTime());
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      await().atMost(AT_MOST).until(() -> status.statusNumber("accepted") == comfyui.savedImages());
      System.out.printf(
          "a prompt every second (%d images): %.2f %% of a core; RSS %s MiB, peak %s MiB%n",
          comfyui.savedImages() - before,
          busy,
          mib(sidecar.pid(), "VmRSS"),
          mib(sidecar.pid(), "VmHWM"));
      await().atMost(AT_MOST).until(() -> bfl.recorded() == comfyui.savedImages());
      int code = sidecar.terminate(Duration.ofSeconds(30));
      System.out.printf(
          "journal after stop: %d bytes (exit %d)%n",
          Files.size(work.resolve("journal").resolve("journal.log")), code);

      SidecarProcess again = SidecarProcess.start(env, work.resolve("sidecar-2.log"));
      await()
          .atMost(AT_MOST)
          .until(
              () ->
                  ((Map<?, ?>) again.client().status().get("comfyui")).get("lastPollTime") != null);
      System.out.printf(
          "restart on that journal: started in %d ms, first poll done; RSS %s MiB, accepted %d"
              + " (saved %d), BFL %d%n",
          again.startMillis(),
          mib(again.pid(), "VmRSS"),
          again.client().statusNumber("accepted"),
          comfyui.savedImages(),
          bfl.recorded());
      again.terminate(Duration.ofSeconds(30));
    }
  }

  private static void fill(ComfyUiStandIn comfyui, int prompts) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> posts = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      posts.add(
          pool.submit(
              () -> {
                for (int i = thread; i < prompts; i += 4) {
                  queueOne(comfyui, i);
                }
                return null;
              }));
    }
    for (Future<?> post : posts) {
      post.get();
    }
    pool.shutdown();
    await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() >= prompts);
  }

  /** A batch of 1 to 4, saved, with the UI workflow the frontend puts in {@code extra_pnginfo}. */
  private static void queueOne(ComfyUiStandIn comfyui, long seed) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("prompt", ComfyWorkflows.saveAndPreview(1 + (int) Math.floorMod(seed, 4L), seed));
    body.put("client_id", "bench");
    body.put("extra_data", Map.of("extra_pnginfo", Map.of("workflow", uiWorkflow(seed))));
    ComfyUiStandIn.Answer answer = comfyui.post("/prompt", body);
    if (answer.status() != 200) {
      throw new IOException("POST /prompt: " + answer.status());
    }
  }

  private static Map<String, Object> uiWorkflow(long seed) {
    List<Object> nodes = new ArrayList<>();
    for (int i = 0; i < WORKFLOW_NODES; i++) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("id", i);
      node.put("type", i % 2 == 0 ? "KSampler" : "CLIPTextEncode");
      node.put("pos", List.of(100 * i, 200));
      node.put("size", List.of(315, 262));
      node.put("flags", Map.of());
      node.put("order", i);
      node.put("mode", 0);
      node.put(
          "inputs",
          List.of(
              Map.of("name", "model", "type", "MODEL", "link", i),
              Map.of("name", "positive", "type", "CONDITIONING", "link", i + 1)));
      node.put(
          "outputs", List.of(Map.of("name", "LATENT", "type", "LATENT", "links", List.of(i + 2))));
      node.put("properties", Map.of("Node name for S&R", "KSampler"));
      node.put("widgets_values", List.of(seed, "randomize", 28, 3.5, "euler", "simple", 1));
      nodes.add(node);
    }
    return Map.of(
        "last_node_id", WORKFLOW_NODES, "nodes", nodes, "links", List.of(), "version", 0.4);
  }

  private static long historyBytes(ComfyUiStandIn comfyui) throws IOException {
    try (InputStream in = URI.create(comfyui.url() + "/history").toURL().openStream()) {
      return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  /**
   * CPU of {@code pid} over {@code phase}, in percent of one core, calling {@code each} every
   * second.
   */
  private static double cpuPercent(long pid, Duration phase, Runnable each) throws Exception {
    long ticks = cpuTicks(pid);
    long start = System.nanoTime();
    long end = start + phase.toNanos();
    while (System.nanoTime() < end) {
      each.run();
      TimeUnit.SECONDS.sleep(1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // /proc/<pid>/stat counts in clock ticks, 100 a second on Linux.
    return (cpuTicks(pid) - ticks) / 100.0 / seconds * 100;
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String mib(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return String.format("%.1f", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
      }
    }
    return "?";
  }
}
