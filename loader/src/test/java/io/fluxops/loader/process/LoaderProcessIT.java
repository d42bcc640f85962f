package io.fluxops.loader.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fluxops.loader.cache.CacheLayout;
import io.fluxops.loader.json.JsonText;
import io.fluxops.loader.standin.Content;
import io.fluxops.loader.standin.Served;
import io.fluxops.loader.standin.StandInFile;
import io.fluxops.loader.standin.StandInHub;
import io.fluxops.loader.support.LoaderProcess;
import io.fluxops.loader.support.TestLoads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged loader as a pod runs it: killed and started again, and its exit codes. */
class LoaderProcessIT {
  private static final String REPO = "black-forest-labs/FLUX.1-dev";
  private static final Content FIRST = Content.generated(11, 8_000_000);
  private static final Content SECOND = Content.generated(12, 6_000_000);
  private static final Content THIRD = Content.generated(13, 4_000_000);

  @TempDir Path dir;
  Path cache;
  StandInHub hub;
  String commit;
  CacheLayout layout;

  @BeforeEach
  void start() throws IOException {
    cache = Files.createDirectories(dir.resolve("cache"));
    hub = StandInHub.start();
    commit =
        hub.commit(
            REPO,
            "main",
            List.of(
                StandInFile.git("model_index.json", "{}"),
                StandInFile.lfs("first.safetensors", FIRST),
                StandInFile.lfs("second.safetensors", SECOND),
                StandInFile.lfs("third.safetensors", THIRD)));
    layout = new CacheLayout(cache, REPO);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private Map<String, String> env(String terminationLog) {
    return TestLoads.of(hub, cache, REPO)
        .set("FLUXOPS_CONNECTIONS", "1")
        .set("FLUXOPS_TERMINATION_LOG", terminationLog)
        .set("FLUXOPS_SEGMENT_BYTES", "1000000")
        .env();
  }

  @Test
  void aLoaderKilledMidFileResumesWithoutFetchingFinishedFilesAgain() throws Exception {
    hub.faults().bytesPerSecond(4_000_000);
    Path secondPartial = layout.incomplete(SECOND.sha256());
    try (LoaderProcess loader = LoaderProcess.start(env(""), dir.resolve("first.log"))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Files.exists(layout.blob(FIRST.sha256()))
                      && Files.exists(secondPartial)
                      && Files.size(secondPartial) > 2_500_000);
      loader.kill();
    }
    // Segments 0-999999 and 1000000-1999999 were finished and recorded; the one under way is not.
    String recorded =
        Files.readString(secondPartial.resolveSibling(secondPartial.getFileName() + ".ranges"));
    assertThat(recorded).startsWith("0-999999\n1000000-1999999\n");
    long kept = recorded.lines().count() * 1_000_000;
    assertThat(kept).isBetween(2_000_000L, SECOND.size() - 1_000_000);
    assertThat(layout.completionRecord(commit)).doesNotExist();
    assertThat(layout.ref("main")).doesNotExist();
    assertThat(layout.snapshotDir(commit)).doesNotExist();
    hub.faults().bytesPerSecond(0);
    hub.clearServed();

    Path termination = dir.resolve("termination-log");
    try (LoaderProcess loader =
        LoaderProcess.start(env(termination.toString()), dir.resolve("second.log"))) {
      assertThat(loader.waitFor(Duration.ofSeconds(60))).as(loader.log()).isZero();
    }

    List<Served> files = hub.served().stream().filter(s -> s.host().equals("files")).toList();
    assertThat(files).noneMatch(s -> s.path().endsWith(FIRST.sha256()));
    assertThat(files.stream().filter(s -> s.path().endsWith(SECOND.sha256())).map(Served::range))
        .first()
        .isEqualTo("bytes=" + kept + "-" + (kept + 999_999));
    assertThat(files)
        .filteredOn(s -> s.path().endsWith(SECOND.sha256()))
        .hasSize((int) ((SECOND.size() - kept) / 1_000_000));
    for (var entry :
        Map.of("first.safetensors", FIRST, "second.safetensors", SECOND, "third.safetensors", THIRD)
            .entrySet()) {
      assertThat(Files.readAllBytes(layout.snapshotFile(commit, entry.getKey())))
          .isEqualTo(entry.getValue().bytes());
    }
    Map<String, Object> outcome = JsonText.object(Files.readString(termination));
    assertThat(outcome).containsEntry("phase", "Complete").containsEntry("commit", commit);
  }

  @Test
  void statusShowsHowFarTheDownloadIs() throws Exception {
    hub.faults().bytesPerSecond(3_000_000);
    try (LoaderProcess loader = LoaderProcess.start(env(""), dir.resolve("status.log"))) {
      URI status = URI.create("http://127.0.0.1:" + loader.statusPort() + "/status");
      HttpClient client = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Map<String, Object> doc = JsonText.object(get(client, status));
                return doc.get("phase").equals("Downloading")
                    && ((Number) doc.get("bytesDone")).longValue() > 2_000_000;
              });
      Map<String, Object> doc = JsonText.object(get(client, status));
      assertThat(doc)
          .containsEntry("repo", REPO)
          .containsEntry("revision", "main")
          .containsEntry("commit", commit)
          .containsEntry("bytesTotal", 18_000_002);
      assertThat(((Number) doc.get("bytesPerSecond")).longValue()).isPositive();
    }
  }

  @Test
  void aRefusalThatNeedsAPersonExitsWithThreeAndSaysWhyInTheTerminationLog() throws Exception {
    hub.gate(REPO);
    Path termination = dir.resolve("termination-log");
    try (LoaderProcess loader =
        LoaderProcess.start(env(termination.toString()), dir.resolve("gated.log"))) {
      assertThat(loader.waitFor(Duration.ofSeconds(30))).isEqualTo(3);
    }
    Map<String, Object> outcome = JsonText.object(Files.readString(termination));
    assertThat(outcome)
        .containsEntry("phase", "Failed")
        .containsEntry("reason", "GatedRepoNoToken");
    assertThat((String) outcome.get("message")).contains(REPO + " is gated");
  }

  @Test
  void aHubThatCannotBeReachedExitsWithFourSoTheJobTriesAnotherPod() throws Exception {
    Map<String, String> env =
        new java.util.HashMap<>(env(dir.resolve("termination-log").toString()));
    env.put("FLUXOPS_ATTEMPTS", "2");
    env.put("FLUXOPS_RETRY_MAX_BACKOFF_SECONDS", "0.01");
    hub.close();
    try (LoaderProcess loader = LoaderProcess.start(env, dir.resolve("down.log"))) {
      assertThat(loader.waitFor(Duration.ofSeconds(30))).isEqualTo(4);
    }
    assertThat(Files.readString(dir.resolve("termination-log"))).contains("HubUnreachable");
  }

  @Test
  void aBadSettingExitsWithTwo() throws Exception {
    Map<String, String> env =
        new java.util.HashMap<>(env(dir.resolve("termination-log").toString()));
    env.put("FLUXOPS_HF_REPO", "not a repo");
    try (LoaderProcess loader = LoaderProcess.start(env, dir.resolve("config.log"))) {
      assertThat(loader.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(loader.log()).contains("configuration error: FLUXOPS_HF_REPO must be");
    }
    assertThat(Files.readString(dir.resolve("termination-log"))).contains("InvalidConfiguration");
  }

  private static String get(HttpClient client, URI uri) throws IOException, InterruptedException {
    return client
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
