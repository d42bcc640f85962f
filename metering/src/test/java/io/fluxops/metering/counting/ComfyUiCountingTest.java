package io.fluxops.metering.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.metering.support.BflStandIn;
import io.fluxops.metering.support.ComfyUiStandIn;
import io.fluxops.metering.support.ComfyWorkflows;
import io.fluxops.metering.support.RunningSidecar;
import io.fluxops.metering.support.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code counting: comfyui}: the sidecar follows a ComfyUI (the stand-in, answering as ComfyUI's
 * source does) and reports the images its prompts saved, each once.
 */
class ComfyUiCountingTest {
  private static final Duration AT_MOST = Duration.ofSeconds(30);

  @TempDir Path dir;
  private BflStandIn bfl;
  private ComfyUiStandIn comfyui;

  @BeforeEach
  void startStandIns() throws Exception {
    bfl = BflStandIn.start(TestConfig.KEY);
    comfyui = ComfyUiStandIn.start();
  }

  @AfterEach
  void stopStandIns() {
    comfyui.close();
    bfl.close();
  }

  @Test
  void countsTheSavedImagesOfBatchesAndOfEverySaveNodeButNotPreviews() throws Exception {
    try (RunningSidecar sidecar = start()) {
      comfyui.queue(ComfyWorkflows.save(4, 1)); // batch_size 4: 4 images
      comfyui.queue(ComfyWorkflows.saveAndPreview(2, 2)); // 2 saved, 2 previews
      comfyui.queue(ComfyWorkflows.previewOnly(3, 3)); // previews only: none
      comfyui.queue(ComfyWorkflows.twoSaves(2, 3, 4)); // two save nodes: 5
      await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() == 4);

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 11);
      assertThat(comfyui.savedImages()).isEqualTo(11);
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(11);
      Map<String, Object> status = sidecar.status();
      assertThat(status.get("counting")).isEqualTo("comfyui");
      Map<?, ?> comfyuiStatus = (Map<?, ?>) status.get("comfyui");
      assertThat(comfyuiStatus.get("promptsCounted")).isEqualTo(4);
      assertThat(comfyuiStatus.get("promptsRemembered")).isEqualTo(4);
      assertThat(comfyuiStatus.get("upstream")).isEqualTo(comfyui.url().toString());
      assertThat(bfl.violations()).isEmpty();
      // A count POSTed besides would be counted twice.
      assertThat(sidecar.report(1)).isEqualTo(409);
    }
  }

  @Test
  void aFailedPromptCountsOnlyWhatItSavedBeforeItFailed() throws Exception {
    comfyui.failNodes("VAEDecode");
    try (RunningSidecar sidecar = start()) {
      comfyui.queue(ComfyWorkflows.decodeThenSave(1)); // fails before any save: nothing
      comfyui.queue(ComfyWorkflows.saveThenDecode(3, 2)); // saves 3, then fails
      comfyui.queue(ComfyWorkflows.save(1, 3));
      await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() == 3);

      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 4);
      assertThat(comfyui.savedImages()).isEqualTo(4);
      await().atMost(AT_MOST).until(() -> bfl.recorded() == 4);
    }
  }

  @Test
  void imagesHandedToTheClientsWebsocketAreNotSeenAndSaySo() throws Exception {
    try (RunningSidecar sidecar = start()) {
      comfyui.queue(ComfyWorkflows.toWebsocket(2, 1));
      comfyui.queue(ComfyWorkflows.save(1, 2));
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 1);
      await()
          .atMost(AT_MOST)
          .until(
              () -> ((Map<?, ?>) sidecar.status().get("comfyui")).get("promptsWithSilentOutputs"),
              n -> ((Number) n).intValue() == 1);
      assertThat(sidecar.metrics())
          .contains(
              "fluxops_metering_comfyui_prompts_silent_outputs_total{model=\"flux-1-dev\"} 1.0");
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(comfyui.savedImages()).isEqualTo(1);
    }
  }

  @Test
  void aPromptServedFromComfyUisCacheIsNotCountedAgain() throws Exception {
    try (RunningSidecar sidecar = start()) {
      comfyui.queue(ComfyWorkflows.save(2, 7));
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 2);
      // The same workflow again: ComfyUI runs nothing, lists the nodes in execution_cached and
      // shows the earlier images in the new prompt's outputs.
      comfyui.queue(ComfyWorkflows.save(2, 7));
      comfyui.queue(ComfyWorkflows.save(1, 8));
      await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() == 3);

      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 3);
      assertThat(comfyui.savedImages()).isEqualTo(3);
      await()
          .atMost(AT_MOST)
          .until(
              () -> ((Map<?, ?>) sidecar.status().get("comfyui")).get("promptsCounted"),
              n -> ((Number) n).intValue() == 3);
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(3);
    }
  }

  @Test
  void aComfyUiRestartEmptiesItsHistoryAndNeitherLosesNorRepeatsACount() throws Exception {
    try (RunningSidecar sidecar = start()) {
      for (int i = 0; i < 5; i++) {
        comfyui.queue(ComfyWorkflows.save(1 + i % 3, i));
      }
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 1 + 2 + 3 + 1 + 2);

      comfyui.restart();
      assertThat(comfyui.historySize()).isZero();
      for (int i = 0; i < 4; i++) {
        comfyui.queue(ComfyWorkflows.save(2, 100 + i));
      }

      await().atMost(AT_MOST).until(() -> bfl.recorded() == 9 + 8);
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(comfyui.savedImages()).isEqualTo(17);
    }
  }

  @Test
  void aSidecarRestartCountsNothingAgainAndCatchesUpOnWhatFinishedMeanwhile() throws Exception {
    try (RunningSidecar sidecar = start()) {
      for (int i = 0; i < 3; i++) {
        comfyui.queue(ComfyWorkflows.save(2, i));
      }
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 6);
    }
    // While the sidecar is down, more than one window's worth of prompts finish.
    for (int i = 0; i < 40; i++) {
      comfyui.queue(ComfyWorkflows.save(1, 10 + i));
    }
    await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() == 43);

    try (RunningSidecar sidecar = start()) {
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 46);
      await().atMost(AT_MOST).until(() -> bfl.recorded() == 46);
      assertThat(((Map<?, ?>) sidecar.status().get("comfyui")).get("promptsCounted")).isEqualTo(40);
    }
  }

  @Test
  void anUnreachableComfyUiShowsInStatusKeepsTheSidecarReadyAndLosesNothing() throws Exception {
    try (RunningSidecar sidecar = start()) {
      comfyui.queue(ComfyWorkflows.save(1, 1));
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 1);
      comfyui.pause();
      comfyui.queue(ComfyWorkflows.save(2, 2));
      comfyui.queue(ComfyWorkflows.save(3, 3));
      comfyui.stopListening();

      await()
          .atMost(AT_MOST)
          .until(
              () -> sidecar.status().get("lastError"),
              e -> e instanceof Map<?, ?> m && "comfyui_unreachable".equals(m.get("reason")));
      assertThat(sidecar.client().get("/readyz").statusCode()).isEqualTo(200);
      assertThat(sidecar.metrics())
          .containsPattern(
              "fluxops_metering_comfyui_poll_failures_total\\{[^}]*reason=\"unreachable\"[^}]*\\} [1-9]");
      comfyui.resume();
      await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() == 3);
      assertThat(sidecar.statusNumber("accepted")).isEqualTo(1);

      comfyui.listenAgain();
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 6);
      await().atMost(AT_MOST).until(() -> bfl.recorded() == 6);
    }
  }

  @Test
  void exposesComfyUisRunningAndPendingPromptsAsQueueDepth() throws Exception {
    try (RunningSidecar sidecar = start()) {
      comfyui.pause();
      for (int i = 0; i < 3; i++) {
        comfyui.queue(ComfyWorkflows.save(1, i));
      }
      await()
          .atMost(AT_MOST)
          .until(
              () -> sidecar.metrics(),
              m -> m.contains("flux_queue_depth{model=\"flux-1-dev\"} 3.0"));
      comfyui.resume();
      await()
          .atMost(AT_MOST)
          .until(
              () -> sidecar.metrics(),
              m -> m.contains("flux_queue_depth{model=\"flux-1-dev\"} 0.0"));
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 3);
    }
  }

  @Test
  void promptsEvictedFromHistoryWhileTheSidecarWasDownAreNotSeen() throws Exception {
    comfyui.maxHistory(10);
    try (RunningSidecar sidecar = start()) {
      comfyui.queue(ComfyWorkflows.save(1, 0));
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 1);
    }
    for (int i = 1; i <= 20; i++) {
      comfyui.queue(ComfyWorkflows.save(1, i));
    }
    await().atMost(AT_MOST).until(() -> comfyui.finishedPrompts() == 21);
    assertThat(comfyui.historySize()).isEqualTo(11); // trimmed before each add: at most max + 1

    try (RunningSidecar sidecar = start()) {
      // What the history still holds is counted; the ten pushed out before the sidecar came back
      // are the loss docs/metering.md describes.
      await().atMost(AT_MOST).until(() -> sidecar.statusNumber("accepted") == 1 + 11);
      assertThat(comfyui.savedImages()).isEqualTo(21);
    }
  }

  @Test
  void aComfyUiThatAnswersSomethingElseIsAnInvalidAnswerInStatus() throws Exception {
    comfyui.stopListening();
    try (BflStandIn notComfy = BflStandIn.start(TestConfig.KEY);
        RunningSidecar sidecar =
            RunningSidecar.start(
                config().with("FLUXOPS_UPSTREAM_URL", notComfy.endpoint().toString()))) {
      await()
          .atMost(AT_MOST)
          .until(
              () -> sidecar.status().get("lastError"),
              e -> e instanceof Map<?, ?> m && "comfyui_invalid".equals(m.get("reason")));
      assertThat((String) ((Map<?, ?>) sidecar.status().get("lastError")).get("message"))
          .contains("GET /prompt answered HTTP 404")
          .contains("FLUXOPS_UPSTREAM_URL");
    }
  }

  private RunningSidecar start() throws Exception {
    return RunningSidecar.start(config());
  }

  private TestConfig config() throws Exception {
    return TestConfig.in(dir, bfl.endpoint())
        .with("FLUXOPS_COUNTING", "comfyui")
        .with("FLUXOPS_UPSTREAM_URL", comfyui.url().toString())
        .with("FLUXOPS_COMFYUI_POLL_INTERVAL_SECONDS", "0.1");
  }
}
