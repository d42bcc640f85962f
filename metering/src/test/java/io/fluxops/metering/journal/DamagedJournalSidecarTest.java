package io.fluxops.metering.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sidecar that finds its journal damaged says so everywhere a person or the operator looks. */
class DamagedJournalSidecarTest {
  @TempDir Path dir;

  @Test
  void aDamagedCheckpointStopsCountingAndReportingVisibly() throws Exception {
    Path journalDir = dir.resolve("journal");
    try (Journal journal = Journal.open(journalDir, Clock.systemUTC())) {
      journal.accept(25);
    }
    Path log = journalDir.resolve(JournalFile.LOG);
    byte[] bytes = Files.readAllBytes(log);
    bytes[12] ^= 0x01;
    Files.write(log, bytes);

    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY);
        RunningSidecar sidecar = RunningSidecar.start(TestConfig.in(dir, bfl.endpoint()))) {
      assertThat(sidecar.report(1)).isEqualTo(503);
      assertThat(sidecar.client().get("/readyz").statusCode()).isEqualTo(503);
      assertThat(sidecar.client().get("/readyz").body()).contains("journal damaged");
      // A restart would find the same damage: liveness stays up, the pod leaves its Service.
      assertThat(sidecar.client().get("/healthz").statusCode()).isEqualTo(200);
      assertThat((String) sidecar.status().get("journalDamage"))
          .contains("the checkpoint at the start of journal.log is not intact")
          .contains("kept as " + journalDir.resolve(JournalFile.DAMAGED_PREFIX));
      assertThat((String) sidecar.status().get("journalError")).contains("journal damaged");
      assertThat(sidecar.metrics())
          .contains("fluxops_metering_journal_damaged{model=\"flux-1-dev\"} 1.0");
      // Twenty batch intervals: nothing reaches BFL from a journal nobody can vouch for.
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> bfl.requests() == 0);
    }
    assertThat(Files.list(journalDir).map(p -> p.getFileName().toString()))
        .anyMatch(name -> name.startsWith(JournalFile.DAMAGED_PREFIX));
  }
}
