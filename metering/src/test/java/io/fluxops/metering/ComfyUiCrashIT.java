package io.fluxops.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.ComfyUiStandIn;
import io.fluxops.metering.support.ComfyWorkflows;
import io.fluxops.metering.support.LocalClient;
import io.fluxops.metering.support.SidecarProcess;
import io.fluxops.metering.support.TestConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ComfyUI counting with the packaged jar and the container's JVM flags, SIGKILLed again and again
 * while a client keeps ComfyUI busy with batches, previews, two-save workflows, failing prompts and
 * prompts served from ComfyUI's cache, and with a ComfyUI restart (an empty history) in the middle:
 * every image ComfyUI saved is counted exactly once, and reaches BFL within the journal's bound on
 * double reporting.
 */
class ComfyUiCrashIT {
  private static final int KILLS = 5;
  private static final Duration AT_MOST = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong queued = new AtomicLong();

  @Test
  void everySavedImageIsCountedOnceAcrossSidecarKillsAndAComfyUiRestart() throws Exception {
    try (BflStandIn bfl = BflStandIn.start(TestConfig.KEY);
        ComfyUiStandIn comfyui = ComfyUiStandIn.start()) {
      comfyui.failNodes("VAEDecode");
      comfyui.workPerPrompt(Duration.ofMillis(10));
      Map<String, String> env =
          TestConfig.in(dir, bfl.endpoint())
              .with("FLUXOPS_COUNTING", "comfyui")
              .with("FLUXOPS_UPSTREAM_URL", comfyui.url().toString())
              .with("FLUXOPS_COMFYUI_POLL_INTERVAL_SECONDS", "0.2")
              .with("FLUXOPS_REPORT_TIMEOUT_SECONDS", "5")
              .env();
      SidecarProcess sidecar = SidecarProcess.start(env, dir.resolve("run-0.log"));
      ExecutorService pool = Executors.newSingleThreadExecutor();
      Future<?> client = pool.submit(() -> generate(comfyui));
      SplittableRandom timing = new SplittableRandom(11);
      for (int kill = 1; kill <= KILLS; kill++) {
        long before = comfyui.finishedPrompts();
        await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() > before + 15);
        if (kill == 3) {
          restartComfyUiOnceCaughtUp(comfyui, sidecar.client());
        }
        TimeUnit.MILLISECONDS.sleep(timing.nextInt(300));
        sidecar.kill();
        sidecar = SidecarProcess.start(env, dir.resolve("run-" + kill + ".log"));
      }
      running.set(false);
      client.get();
      pool.shutdown();
      await().atMost(AT_MOST).until(() -> comfyui.queueRemaining() == 0);

      LocalClient status = sidecar.client();
      await().atMost(AT_MOST).until(() -> status.statusNumber("accepted") >= comfyui.savedImages());
      await().atMost(AT_MOST).until(() -> status.statusNumber("pending") == 0);
      long accepted = status.statusNumber("accepted");
      long flagged = status.statusNumber("possiblyDuplicated");
      assertThat(sidecar.terminate(Duration.ofSeconds(20))).isZero();
      System.out.printf(
          "kills=%d queued=%d finished=%d saved=%d accepted=%d bfl=%d flagged=%d%n",
          KILLS,
          queued.get(),
          comfyui.finishedPrompts(),
          comfyui.savedImages(),
          accepted,
          bfl.recorded(),
          flagged);

      // Exactly the images ComfyUI saved: none lost, none counted twice ...
      assertThat(accepted).isEqualTo(comfyui.savedImages());
      // ... and BFL got them, doubled at most by the reports a kill left open.
      assertThat(bfl.recorded()).isBetween(accepted, accepted + flagged);
      assertThat(bfl.violations()).isEmpty();
    }
  }

  /**
   * A ComfyUI restart loses the prompts finished since the sidecar's last poll (they were only in
   * its memory), so the restart comes once the sidecar has read everything finished.
   */
  private static void restartComfyUiOnceCaughtUp(ComfyUiStandIn comfyui, LocalClient sidecar)
      throws IOException {
    comfyui.pause();
    await().atMost(AT_MOST).until(() -> !comfyui.runningAPrompt());
    await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == comfyui.savedImages());
    comfyui.restart();
    comfyui.resume();
  }

  private Void generate(ComfyUiStandIn comfyui) throws InterruptedException {
    SplittableRandom random = new SplittableRandom(5);
    long seed = 0;
    Map<String, Object> last = ComfyWorkflows.save(1, 0);
    while (running.get()) {
      seed++;
      int roll = random.nextInt(10);
      Map<String, Object> workflow =
          switch (roll) {
            case 0 -> ComfyWorkflows.previewOnly(2, seed);
            case 1 -> ComfyWorkflows.twoSaves(1 + random.nextInt(3), 2, seed);
            case 2 -> ComfyWorkflows.saveThenDecode(2, seed); // saves 2, then fails
            case 3 -> ComfyWorkflows.decodeThenSave(seed); // fails, saves nothing
            case 4 -> last; // the previous workflow again: served from ComfyUI's cache, if next
            default -> ComfyWorkflows.saveAndPreview(1 + random.nextInt(4), seed);
          };
      try {
        comfyui.queue(workflow);
        queued.incrementAndGet();
        last = workflow;
      } catch (IOException e) {
        // ComfyUI restarting: the client tries again, as clients do.
      }
      TimeUnit.MILLISECONDS.sleep(15);
    }
    return null;
  }
}
