package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandbox --duration 20s} in-process: the real operator against the simulated cluster, with
 * real metering sidecar processes (the metering module's jar, built earlier in the reactor).
 */
class SandboxTest {

  @Test
  @Timeout(180)
  void twentySecondsShowTheExamplesReadyScaledUpAndDownAndEveryImageReportedOnce(@TempDir Path work)
      throws Exception {
    Path repository = Path.of("..").toAbsolutePath().normalize();
    Path jar = repository.resolve("metering/target/fluxops-metering.jar");
    assertThat(jar).as("the metering module is packaged before the operator's tests").exists();
    List<Path> examples;
    try (var files = Files.list(repository.resolve("examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    SandboxOptions options =
        new SandboxOptions(Optional.of(Duration.ofSeconds(20)), examples, 0, jar, work, false);

    SandboxReport report =
        new Sandbox(options, new PrintStream(output, true, StandardCharsets.UTF_8)).run();

    String text = output.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("SIMULATED cluster").contains("(simulated stand-in)");
    assertThat(report.becameReady())
        .containsExactlyInAnyOrder("dev-4090", "kontext-blackwell", "tools-4090", "schnell");
    assertThat(report.peakDesired().get("dev-4090"))
        .as("dev-4090 scaled up under the burst")
        .isGreaterThan(report.firstDesired().get("dev-4090"));
    assertThat(report.lastDesired().get("dev-4090"))
        .as("dev-4090 scaled down after it")
        .isLessThan(report.peakDesired().get("dev-4090"));
    assertThat(report.generatedByModel()).containsKeys("flux-1-dev", "flux-tools");
    assertThat(report.generatedByModel().get("flux-1-dev")).isPositive();
    for (String slug : List.of("flux-1-dev", "flux-1-kontext-dev", "flux-tools")) {
      assertThat(report.reportedByModel().getOrDefault(slug, 0L))
          .as("images of %s reported to the stand-in licence endpoint", slug)
          .isEqualTo(report.generatedByModel().get(slug));
    }
    assertThat(report.reportedByModel()).doesNotContainKey("flux-1-schnell");
    assertThat(report.everyImageReportedOnce()).isTrue();
    assertThat(
            ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(
                    p ->
                        p.info()
                            .commandLine()
                            .map(line -> line.contains("fluxops-metering"))
                            .orElse(false))
                .count())
        .as("no sidecar process outlives the sandbox")
        .isZero();
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

    var copy = Sandbox.adapt(fd, 18080, "http://127.0.0.1:1", notes);

    assertThat(copy.getSpec().getAutoscaling().getQueue().getSource()).isEqualTo("pods");
    assertThat(copy.getSpec().getAutoscaling().getQueue().getRedis()).isNull();
    assertThat(copy.getSpec().getAutoscaling().getMinReplicas()).isEqualTo(1);
    assertThat(copy.getSpec().getAutoscaling().getQueue().getPods().getPort()).isEqualTo(18080);
    assertThat(notes).anyMatch(n -> n.contains("redis queue does not exist here"));
  }
}
