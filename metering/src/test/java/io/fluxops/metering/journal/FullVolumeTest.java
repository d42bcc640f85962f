package io.fluxops.metering.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full volume: a 512 KiB tmpfs mounted under target/ (the tests run as root in CI, as on
 * these machines; elsewhere they are skipped, saying why), filled to the last byte by another file.
 */
class FullVolumeTest {
  private static final Duration AT_MOST = Duration.ofSeconds(15);

  @TempDir Path dir;
  private Path volume;
  private Path journalDir;

  @BeforeEach
  void mount() throws Exception {
    volume = Path.of("target", "full-volume-" + UUID.randomUUID()).toAbsolutePath();
    Files.createDirectories(volume);
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", volume.toString()),
        "mounting a tmpfs needs root");
    journalDir = volume.resolve("journal");
  }

  @AfterEach
  void unmount() throws Exception {
    if (volume != null) {
      run("umount", volume.toString());
      Files.deleteIfExists(volume);
    }
  }

  @Test
  void startsOnAFullVolumeReportsWhatIsPendingAndCountsAgainOnceThereIsRoom() throws Exception {
    try (Journal journal = Journal.open(journalDir, Clock.systemUTC())) {
      journal.accept(40);
    }
    Path filler = fill();

    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY);
        RunningSidecar sidecar = start(bfl)) {
      assertThat(sidecar.report(1)).isEqualTo(503);
      assertThat(sidecar.client().report(1).body()).contains("journal full");
      assertThat(sidecar.client().get("/readyz").statusCode()).isEqualTo(503);
      assertThat(sidecar.client().get("/healthz").statusCode()).isEqualTo(200);
      assertThat(sidecar.metrics())
          .contains("fluxops_metering_journal_full{model=\"flux-1-dev\"} 1.0");
      await().atMost(AT_MOST).until(() -> bfl.recorded() == 40);

      Files.delete(filler);
      await().atMost(AT_MOST).until(() -> sidecar.report(2) == 200);
      assertThat(sidecar.client().get("/readyz").statusCode()).isEqualTo(200);
      await().atMost(AT_MOST).until(() -> bfl.recorded() == 42);
    }
    assertThat(volume.resolve("journal").resolve(JournalFile.TMP)).doesNotExist();
  }

  @Test
  void aVolumeThatFillsUpRefusesCountsAndKeepsReporting() throws Exception {
    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY);
        RunningSidecar sidecar = start(bfl)) {
      assertThat(sidecar.report(5)).isEqualTo(200);
      fill();
      int status = 200;
      for (int i = 0; i < 2000 && status == 200; i++) {
        status = sidecar.report(1);
      }
      assertThat(status).isEqualTo(503);
      long accepted = sidecar.statusNumber("accepted");

      await().atMost(AT_MOST).until(() -> bfl.recorded() == accepted);
      assertThat(sidecar.client().get("/healthz").statusCode()).isEqualTo(200);
      assertThat(sidecar.statusNumber("pending")).isZero();
    }
  }

  private RunningSidecar start(BflStandIn bfl) throws Exception {
    return RunningSidecar.start(
        TestConfig.in(dir, bfl.endpoint())
            .with("FLUXOPS_JOURNAL_DIR", journalDir.toString())
            // Exact totals below: no report may time out on a loaded machine and go out twice.
            .with("FLUXOPS_REPORT_TIMEOUT_SECONDS", "10"));
  }

  /** Writes a file until the volume has no byte left. */
  private Path fill() throws IOException {
    Path filler = volume.resolve("filler");
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[4096];
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("No space left on device");
    }
    return filler;
  }

  private static boolean run(String... command) throws Exception {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
