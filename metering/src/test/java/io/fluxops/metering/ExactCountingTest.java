package io.fluxops.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.BflStandIn.Fault;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property the licence depends on: under every fault BFL's side can show (429, 500, 400, hangs,
 * dropped connections), the images BFL records equal the images the sidecar answered 200 for — none
 * lost, none doubled.
 */
class ExactCountingTest {
  private static final int CLIENTS = 12;
  private static final int REQUESTS_PER_CLIENT = 150;
  private static final Fault[] FAULTS = {
    Fault.NONE, Fault.NONE, Fault.NONE, Fault.NONE, Fault.NONE,
    Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.BAD_REQUEST, Fault.HANG, Fault.DROP
  };

  @TempDir Path dir;

  @Test
  void bflRecordsExactlyWhatTheSidecarAcceptedDespiteEveryFault() throws Exception {
    Random faults = new Random(20261121);
    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY)) {
      // Hangs outlast the report timeout, so the sidecar gives up first; and the timeout leaves a
      // loaded machine time to answer a good report, which, recorded and then timed out, would be
      // a real (and bounded) double count rather than a fault of this test's kinds.
      bfl.hangFor(Duration.ofSeconds(2))
          .faults(
              () -> {
                synchronized (faults) {
                  return FAULTS[faults.nextInt(FAULTS.length)];
                }
              });
      long accepted;
      try (RunningSidecar sidecar =
          RunningSidecar.start(
              TestConfig.in(dir, bfl.endpoint())
                  .with("FLUXOPS_MAX_BATCH_IMAGES", "1000")
                  .with("FLUXOPS_REPORT_TIMEOUT_SECONDS", "1")
                  .with("FLUXOPS_RETRY_MAX_BACKOFF_SECONDS", "0.05"))) {
        accepted = postConcurrently(sidecar);

        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> bfl.recorded() == accepted && sidecar.statusNumber("pending") == 0);
        assertThat(sidecar.statusNumber("accepted")).isEqualTo(accepted);
        assertThat(sidecar.statusNumber("reported")).isEqualTo(accepted);
        assertThat(bfl.violations()).isEmpty();
        assertThat(bfl.requests()).isGreaterThan(bfl.batches().size());
      }
      assertThat(bfl.recorded()).isEqualTo(accepted);
    }
  }

  /** Every client posts random counts; returns the sum of those answered 200. */
  private static long postConcurrently(RunningSidecar sidecar) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Long>> sums = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        SplittableRandom random = new SplittableRandom(1000 + c);
        sums.add(
            pool.submit(
                () -> {
                  long sum = 0;
                  for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                    long images = 1 + random.nextInt(50);
                    if (sidecar.report(images) == 200) {
                      sum += images;
                    }
                  }
                  return sum;
                }));
      }
      long total = 0;
      for (Future<Long> sum : sums) {
        total += sum.get();
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }
}
