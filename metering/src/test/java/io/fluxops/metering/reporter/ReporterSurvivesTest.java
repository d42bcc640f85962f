package io.fluxops.metering.reporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.journal.Journal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What no configuration check can foresee must not end the reporter: the client throws an unchecked
 * exception (here, a port out of range, which the configuration now refuses at start), and the
 * reporter records a visible failure and tries again, for as long as it runs.
 */
class ReporterSurvivesTest {
  @TempDir Path dir;

  @Test
  void anUnexpectedExceptionIsAVisibleRetriedFailureNotADeadThread() throws Exception {
    Files.writeString(dir.resolve("key"), "k-123456789\n");
    List<FailureReason> failures = new CopyOnWriteArrayList<>();
    try (Journal journal = Journal.open(dir.resolve("journal"), Clock.systemUTC())) {
      journal.accept(3);
      Reporter reporter =
          new Reporter(
              journal,
              new UsageClient(
                  URI.create("http://127.0.0.1:99999/v1/licenses/models/flux-1-dev/usage"),
                  Clock.systemUTC()),
              new ApiKeyFile(dir.resolve("key")),
              new ReporterSettings(
                  Duration.ofMillis(20),
                  1000,
                  Duration.ofSeconds(1),
                  Backoff.upTo(Duration.ofMillis(20))),
              new SplittableRandom(1),
              Clock.systemUTC(),
              new ReportListener() {
                @Override
                public void recorded(long images, long nanos) {}

                @Override
                public void failed(FailureReason reason, long nanos) {
                  failures.add(reason);
                }
              });
      reporter.start();

      await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() >= 3);
      assertThat(failures).containsOnly(FailureReason.INTERNAL);
      assertThat(reporter.lastError())
          .hasValueSatisfying(
              e -> assertThat(e.message()).contains("port out of range").contains("not sent"));
      // Never sent, so never in doubt: the images stay pending, none possibly duplicated.
      assertThat(journal.state().pending()).isEqualTo(3);
      assertThat(journal.state().possiblyDuplicated()).isZero();
      assertThat(reporter.drain(Duration.ofMillis(100))).isFalse();
    }
  }
}
