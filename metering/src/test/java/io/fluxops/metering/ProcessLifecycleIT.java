package io.fluxops.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.LocalClient;
import io.fluxops.metering.support.SidecarProcess;
import io.fluxops.metering.support.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged sidecar as a process: exit codes, SIGTERM, and what it prints. */
class ProcessLifecycleIT {
  @TempDir Path dir;

  @Test
  void sigtermReportsEverythingPendingAndExitsZero() throws Exception {
    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY);
        SidecarProcess sidecar =
            SidecarProcess.start(
                TestConfig.in(dir, bfl.endpoint())
                    .with("FLUXOPS_BATCH_INTERVAL_SECONDS", "3600")
                    .env(),
                dir.resolve("sidecar.log"))) {
      LocalClient client = sidecar.client();
      long sum = 0;
      for (int i = 1; i <= 25; i++) {
        assertThat(client.report(i).statusCode()).isEqualTo(200);
        sum += i;
      }
      assertThat(bfl.recorded()).isZero();

      assertThat(sidecar.terminate(Duration.ofSeconds(10))).isZero();

      assertThat(bfl.recorded()).isEqualTo(sum);
      assertThat(sidecar.log()).contains("stopped; every accepted image was reported");
    }
  }

  @Test
  void aBadVariableExitsWithCode2AndNamesIt() throws Exception {
    Map<String, String> env =
        TestConfig.in(dir, java.net.URI.create("http://127.0.0.1:1"))
            .with("FLUXOPS_MODEL_SLUG", "flux-9-dev")
            .env();
    try (SidecarProcess sidecar = SidecarProcess.launch(env, dir.resolve("slug.log"))) {
      assertThat(sidecar.awaitExit(Duration.ofSeconds(20))).isEqualTo(Main.EXIT_CONFIG);
      assertThat(sidecar.log())
          .contains("configuration error: FLUXOPS_MODEL_SLUG: unknown slug 'flux-9-dev'");
    }
  }

  @Test
  void anUnusableJournalDirectoryExitsWithCode2() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "");
    Map<String, String> env =
        TestConfig.in(dir, java.net.URI.create("http://127.0.0.1:1"))
            .with("FLUXOPS_JOURNAL_DIR", notADirectory.toString())
            .env();
    try (SidecarProcess sidecar = SidecarProcess.launch(env, dir.resolve("journal.log"))) {
      assertThat(sidecar.awaitExit(Duration.ofSeconds(20))).isEqualTo(Main.EXIT_CONFIG);
      assertThat(sidecar.log()).contains("FLUXOPS_JOURNAL_DIR: ");
    }
  }

  @Test
  void neverPrintsTheKeyEvenWhenBflRefusesIt() throws Exception {
    try (BflStandIn bfl = BflStandIn.start("another-key");
        SidecarProcess sidecar =
            SidecarProcess.start(
                TestConfig.in(dir, bfl.endpoint()).env(), dir.resolve("refused.log"))) {
      sidecar.client().report(1);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sidecar.log().contains("licence key was refused"));

      // Exit code 1: the refused image is still pending, kept in the journal.
      assertThat(sidecar.terminate(Duration.ofSeconds(10))).isEqualTo(1);
      assertThat(sidecar.log()).doesNotContain(TestConfig.KEY).contains("images pending");
    }
  }
}
