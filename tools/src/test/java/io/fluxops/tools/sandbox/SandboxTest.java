package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox in-process: the real operator against the simulated cluster, with real metering
 * sidecar processes (the metering module's jar, built earlier in the reactor). Every pod listens on
 * 127.0.0.1 with ports of its own, the path macOS and Windows take, so this runs it on Linux too.
 */
class SandboxTest {

  /**
   * Runs as a user runs it until Ctrl-C (see {@link SandboxShow}) and checks every image was
   * reported exactly once and the model cache filled before its pods.
   */
  @Test
  @Timeout(600)
  void showsTheExamplesReadyScaledUpAndDownAndReportsEveryImageOnce(@TempDir Path work)
      throws Exception {
    SandboxOptions options =
        new SandboxOptions(
            Optional.empty(), SandboxShow.examples(), 0, SandboxShow.meteringJar(), work, false);

    SandboxShow.Result run = SandboxShow.run(options);

    assertThat(run.text()).contains("SIMULATED cluster").contains("(simulated stand-in)");
    SandboxShow.assertEveryImageReportedOnce(run.report());
    assertThat(run.report().modelCache().get("dev-cached").seconds())
        .as("dev-cached's model cache filled from the stand-in Hub")
        .isPositive();
    assertThat(run.report().modelCache().get("dev-cached").podsWaited())
        .as("no GPU pod of dev-cached before its cache was complete")
        .isTrue();
    assertThat(run.text()).contains("Hugging Face").contains("Downloading");
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

    var copy = Sandbox.adapt(fd, counting -> "http://127.0.0.1:1", false, notes);

    assertThat(copy.getSpec().getAutoscaling().getQueue().getSource()).isEqualTo("pods");
    assertThat(copy.getSpec().getAutoscaling().getQueue().getRedis()).isNull();
    assertThat(copy.getSpec().getAutoscaling().getMinReplicas()).isEqualTo(1);
    assertThat(copy.getSpec().getAutoscaling().getQueue().getPods().getPort())
        .isEqualTo(copy.getSpec().getServer().getPort());
    assertThat(notes).anyMatch(n -> n.contains("redis queue does not exist here"));
  }
}
