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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox in-process: the real operator against the simulated cluster, with real metering
 * sidecar processes (the metering module's jar, built earlier in the reactor). Every pod listens on
 * 127.0.0.1 with ports of its own, the path macOS and Windows take, so this runs it on Linux too.
 */
class SandboxTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  /**
   * Runs as a user runs it until Ctrl-C: it waits for what the show is for (every example Ready,
   * {@code dev-4090} scaled up under the burst and down after it), however long a loaded machine
   * takes, then stops it as Ctrl-C does and checks every image was reported exactly once.
   */
  @Test
  @Timeout(600)
  void showsTheExamplesReadyScaledUpAndDownAndReportsEveryImageOnce(@TempDir Path work)
      throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    SandboxOptions options =
        new SandboxOptions(Optional.empty(), examples(), 0, meteringJar(), work, false);
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
                        "dev-4090", "kontext-blackwell", "tools-4090", "schnell", "dev-cached");
                assertThat(now.peakDesired().get("dev-4090"))
                    .as("dev-4090 scaled up under the burst")
                    .isGreaterThan(now.firstDesired().get("dev-4090"));
                assertThat(now.lastDesired().get("dev-4090"))
                    .as("dev-4090 scaled down after it")
                    .isLessThan(now.peakDesired().get("dev-4090"));
              });
    } finally {
      sandbox.requestStop();
    }
    SandboxReport report = run.get(4, TimeUnit.MINUTES);

    String text = output.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("SIMULATED cluster").contains("(simulated stand-in)");
    assertThat(report.generatedByModel()).containsKeys("flux-1-dev", "flux-tools");
    assertThat(report.generatedByModel().get("flux-1-dev")).isPositive();
    for (String slug : List.of("flux-1-dev", "flux-1-kontext-dev", "flux-tools")) {
      assertThat(report.reportedByModel().getOrDefault(slug, 0L))
          .as("images of %s reported to the stand-in licence endpoint", slug)
          .isEqualTo(report.generatedByModel().get(slug));
    }
    assertThat(report.reportedByModel()).doesNotContainKey("flux-1-schnell");
    assertThat(report.modelCache().get("dev-cached").seconds())
        .as("dev-cached's model cache filled from the stand-in Hub")
        .isPositive();
    assertThat(report.modelCache().get("dev-cached").podsWaited())
        .as("no GPU pod of dev-cached before its cache was complete")
        .isTrue();
    assertThat(text).contains("Hugging Face").contains("Downloading");
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

  @Test
  void badArgumentsAreOneLineAndExitTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        io.fluxops.tools.Commands.run(
            "sandbox",
            List.of("--duration", "soon"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .startsWith("fluxops sandbox: --duration must be")
        .doesNotContain("\n");
  }

  @Test
  void aCopyWithARedisQueueReadsThePodsInsteadAndSaysSo() throws Exception {
    var fd =
        Sandbox.Manifests.read(
                List.of(Path.of("..").resolve("examples/flux-1-schnell.yaml")),
                new io.fabric8.kubernetes.client.KubernetesClientBuilder().build())
            .fluxDeployments()
            .get(0);
    List<String> notes = new java.util.ArrayList<>();

    var copy = Sandbox.adapt(fd, "http://127.0.0.1:1", notes);

    assertThat(copy.getSpec().getAutoscaling().getQueue().getSource()).isEqualTo("pods");
    assertThat(copy.getSpec().getAutoscaling().getQueue().getRedis()).isNull();
    assertThat(copy.getSpec().getAutoscaling().getMinReplicas()).isEqualTo(1);
    assertThat(copy.getSpec().getAutoscaling().getQueue().getPods().getPort())
        .isEqualTo(copy.getSpec().getServer().getPort());
    assertThat(notes).anyMatch(n -> n.contains("redis queue does not exist here"));
  }
}
