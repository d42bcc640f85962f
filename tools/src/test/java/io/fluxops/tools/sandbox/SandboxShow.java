package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs the sandbox in-process as a user runs it until Ctrl-C: waits for what the show is for (every
 * example Ready, {@code dev-4090} scaled up under the burst and down after it), however long a
 * loaded machine takes, then stops it as Ctrl-C does.
 */
final class SandboxShow {

  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  /** What the run printed, and its report. */
  record Result(SandboxReport report, String text) {}

  private SandboxShow() {}

  static Result run(SandboxOptions options) throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Sandbox sandbox = new Sandbox(options, new PrintStream(output, true, StandardCharsets.UTF_8));
    CompletableFuture<SandboxReport> run = runAsync(sandbox);
    try {
      // Generous: pods start real sidecar JVMs, and the burst comes back every 2 minutes.
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .failFast("the sandbox ended by itself", run::isDone)
          .untilAsserted(
              () -> {
                SandboxReport now = sandbox.progress().orElse(null);
                assertThat(now).as("the FluxDeployments are applied").isNotNull();
                assertThat(now.becameReady())
                    .containsExactlyInAnyOrder(
                        "dev-4090",
                        "kontext-blackwell",
                        "tools-4090",
                        "schnell",
                        "dev-cached",
                        "dev-comfyui",
                        "dev-nim",
                        "dev-openai");
                assertThat(now.peakDesired().get("dev-4090"))
                    .as("dev-4090 scaled up under the burst")
                    .isGreaterThan(now.firstDesired().get("dev-4090"));
                assertThat(now.lastDesired().get("dev-4090"))
                    .as("dev-4090 scaled down after it")
                    .isLessThan(now.peakDesired().get("dev-4090"));
              });
    } catch (AssertionError | ConditionTimeoutException e) {
      // What the sandbox showed until then (the pods, the autoscaler's decisions), to read why.
      System.out.println(tail(output.toString(StandardCharsets.UTF_8), 200));
      throw e;
    } finally {
      sandbox.requestStop();
    }
    SandboxReport report = run.get(4, TimeUnit.MINUTES);
    String text = output.toString(StandardCharsets.UTF_8);
    // The summary in the test's report, to read when an assertion on it fails.
    int summary = text.lastIndexOf("\nSummary (");
    System.out.println(summary < 0 ? text : text.substring(summary));
    return new Result(report, text);
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Every metered model's images reached the licence endpoint once, and every counting mode's
   * (relay, metric, ComfyUI's history, the proxy) its own endpoint; schnell's none.
   */
  static void assertEveryImageReportedOnce(SandboxReport report) {
    assertThat(report.generatedByModel()).containsKeys("flux-1-dev", "flux-tools");
    assertThat(report.generatedByModel().get("flux-1-dev")).isPositive();
    for (String slug : List.of("flux-1-dev", "flux-1-kontext-dev", "flux-tools")) {
      assertThat(report.reportedByModel().getOrDefault(slug, 0L))
          .as("images of %s reported to the stand-in licence endpoint", slug)
          .isEqualTo(report.generatedByModel().get(slug));
    }
    assertThat(report.reportedByModel()).doesNotContainKey("flux-1-schnell");
    assertThat(report.generatedByCounting())
        .as("images per counting mode")
        .containsOnlyKeys("relay", "metric", "comfyui", "proxy")
        .allSatisfy((mode, images) -> assertThat(images).as(mode).isPositive());
    assertThat(report.reportedByCounting())
        .as("images each counting mode's licence endpoint received")
        .isEqualTo(report.generatedByCounting());
    assertThat(report.everyImageReportedOnce()).isTrue();
    assertThat(sidecarsLeft()).as("no sidecar process outlives the sandbox").isZero();
  }

  private static CompletableFuture<SandboxReport> runAsync(Sandbox sandbox) {
    CompletableFuture<SandboxReport> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(sandbox.run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "sandbox-under-test");
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  static Path meteringJar() {
    Path jar = REPOSITORY.resolve("metering/target/fluxops-metering.jar");
    assertThat(jar).as("the metering module is packaged before the tools' tests").exists();
    return jar;
  }

  /** What the sandbox applies by default, from the repository's root. */
  static List<Path> examples() throws Exception {
    List<Path> paths = new java.util.ArrayList<>();
    for (String dir : Sandbox.Manifests.EXAMPLE_DIRS) {
      try (var files = Files.list(REPOSITORY.resolve(dir))) {
        files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(paths::add);
      }
    }
    return paths;
  }

  private static long sidecarsLeft() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().commandLine().map(line -> line.contains("fluxops-metering")).orElse(false))
        .count();
  }
}
