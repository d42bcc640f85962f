package io.fluxops.loader.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.common.ModelLoader;
import io.fluxops.loader.cache.CacheLayout;
import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Reason;
import io.fluxops.loader.standin.Content;
import io.fluxops.loader.standin.Served;
import io.fluxops.loader.standin.StandInFile;
import io.fluxops.loader.standin.StandInHub;
import io.fluxops.loader.support.FluxRepo;
import io.fluxops.loader.support.TestLoads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotLoadTest {
  @TempDir Path cache;
  StandInHub hub;
  String commit;
  CacheLayout layout;

  @BeforeEach
  void start() throws IOException {
    hub = StandInHub.start();
    commit = FluxRepo.publish(hub);
    layout = new CacheLayout(cache, FluxRepo.REPO);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private TestLoads loads() {
    return TestLoads.of(hub, cache, FluxRepo.REPO).set("FLUXOPS_SEGMENT_BYTES", "1000000");
  }

  @Test
  void writesTheHubCacheLayoutWithOneDirectoryPerRevision() throws Exception {
    SnapshotLoad.Result result = loads().run();

    assertThat(result.commit()).isEqualTo(commit);
    assertThat(result.alreadyComplete()).isFalse();
    assertThat(result.bytes()).isEqualTo(FluxRepo.totalBytes());
    Path snapshot = layout.snapshotDir(commit);
    assertThat(result.snapshot()).isEqualTo(snapshot);
    assertThat(snapshot.toString())
        .as("where the operator points the server")
        .isEqualTo(ModelLoader.snapshotDir(cache.toString(), FluxRepo.REPO, commit));
    for (StandInFile file : FluxRepo.files()) {
      Path linked = snapshot.resolve(file.path());
      assertThat(Files.isSymbolicLink(linked)).as(file.path()).isTrue();
      assertThat(Files.readAllBytes(linked)).as(file.path()).isEqualTo(file.content().bytes());
      String blob = file.lfs() ? file.content().sha256() : file.content().gitOid();
      assertThat(linked.toRealPath()).isEqualTo(layout.blob(blob).toRealPath());
    }
    assertThat(Files.readString(layout.ref("main"))).isEqualTo(commit);
    assertThat(layout.completionRecord(commit)).exists();
    assertThat(incompleteFiles()).isEmpty();
  }

  @Test
  void fetchesLfsFilesFromTheFileHostInBoundedRangesAndNeverSendsItTheToken() throws Exception {
    hub.token("hf_alice");
    loads().set("FLUXOPS_HF_TOKEN_FILE", tokenFile("hf_alice").toString()).run();

    List<Served> files = hub.served().stream().filter(s -> s.host().equals("files")).toList();
    assertThat(files).isNotEmpty().noneMatch(Served::authorized);
    assertThat(files).allMatch(s -> s.range().matches("bytes=\\d+-\\d+"));
    assertThat(
            files.stream()
                .filter(s -> s.path().endsWith(FluxRepo.content(FluxRepo.CHECKPOINT).sha256())))
        .extracting(Served::range)
        .containsExactlyInAnyOrder(
            "bytes=0-999999", "bytes=1000000-1999999", "bytes=2000000-2999999");
    assertThat(hub.served().stream().filter(s -> s.host().equals("hub")))
        .allMatch(Served::authorized);
  }

  @Test
  void anUnchangedRevisionIsNeverDownloadedAgainNorAsked() throws Exception {
    loads().run();
    hub.clearServed();

    SnapshotLoad.Result again = loads().run();

    assertThat(again.alreadyComplete()).isTrue();
    assertThat(again.commit()).isEqualTo(commit);
    assertThat(hub.served()).isEmpty();
  }

  @Test
  void aBranchIsResolvedOnceSoAMovedBranchDoesNotDownloadAgain() throws Exception {
    loads().run();
    hub.commit(FluxRepo.REPO, "main", List.of(StandInFile.git("model_index.json", "{}")));
    hub.clearServed();

    SnapshotLoad.Result again = loads().run();

    assertThat(again.commit()).isEqualTo(commit);
    assertThat(hub.served()).isEmpty();
  }

  @Test
  void aNewRevisionDownloadsBesideTheOldOneAndFetchesOnlyChangedFiles() throws Exception {
    loads().run();
    List<StandInFile> next = new ArrayList<>(FluxRepo.files());
    next.set(3, StandInFile.lfs(FluxRepo.AE, Content.generated(22, 710_000)));
    String v2 = hub.commit(FluxRepo.REPO, "v2", next);
    hub.clearServed();

    SnapshotLoad.Result result = loads().set("FLUXOPS_HF_REVISION", "v2").run();

    assertThat(result.commit()).isEqualTo(v2);
    assertThat(layout.snapshotDir(commit).resolve(FluxRepo.AE)).exists();
    assertThat(Files.readAllBytes(layout.snapshotDir(v2).resolve(FluxRepo.AE)))
        .isEqualTo(next.get(3).content().bytes());
    assertThat(hub.served().stream().filter(s -> s.host().equals("files")))
        .extracting(Served::path)
        .allMatch(p -> p.endsWith(next.get(3).content().sha256()));
  }

  @Test
  void aCutConnectionResumesWithRangeFromTheLastByteReceived() throws Exception {
    hub.faults().cutAfter(FluxRepo.CHECKPOINT, 400_000, 2);

    SnapshotLoad.Result result = loads().set("FLUXOPS_CONNECTIONS", "1").run();

    assertThat(Files.readAllBytes(result.snapshot().resolve(FluxRepo.CHECKPOINT)))
        .isEqualTo(FluxRepo.content(FluxRepo.CHECKPOINT).bytes());
    assertThat(checkpointRanges())
        .containsExactly(
            "bytes=0-999999",
            "bytes=400000-999999",
            "bytes=800000-999999",
            "bytes=1000000-1999999",
            "bytes=2000000-2999999");
  }

  @Test
  void segmentsOfOneLargeFileArriveOverSeveralConnectionsAtOnce() throws Exception {
    hub.faults().bytesPerSecond(2_000_000);

    loads().set("FLUXOPS_CONNECTIONS", "3").set("FLUXOPS_HF_INCLUDE", FluxRepo.CHECKPOINT).run();

    assertThat(hub.maxConcurrentFileRequests()).isEqualTo(3);
  }

  @Test
  void aPartialDownloadLeftOnTheClaimIsHashedAndContinued() throws Exception {
    Content checkpoint = FluxRepo.content(FluxRepo.CHECKPOINT);
    leavePartial(checkpoint, 1_234_567);

    loads().run();

    assertThat(checkpointRanges())
        .containsExactlyInAnyOrder("bytes=1234567-2234566", "bytes=2234567-2999999");
    assertThat(Files.readAllBytes(layout.blob(checkpoint.sha256()))).isEqualTo(checkpoint.bytes());
  }

  @Test
  void aCorruptedDownloadIsRefusedAndFetchedAgain() throws Exception {
    hub.faults().corrupt(FluxRepo.AE, 1);

    SnapshotLoad.Result result = loads().run();

    assertThat(Files.readAllBytes(result.snapshot().resolve(FluxRepo.AE)))
        .isEqualTo(FluxRepo.content(FluxRepo.AE).bytes());
    String ae = FluxRepo.content(FluxRepo.AE).sha256();
    assertThat(hub.served().stream().filter(s -> s.path().endsWith(ae)).map(Served::range))
        .containsExactly("bytes=0-699999", "bytes=0-699999");
  }

  @Test
  void aCorruptedPartialFileOnTheClaimIsRefusedAndFetchedAgain() throws Exception {
    Content ae = FluxRepo.content(FluxRepo.AE);
    Path partial = layout.incomplete(ae.sha256());
    Files.createDirectories(partial.getParent());
    Files.write(partial, new byte[300_000]); // zeros where the bytes should be

    SnapshotLoad.Result result = loads().run();

    assertThat(Files.readAllBytes(result.snapshot().resolve(FluxRepo.AE))).isEqualTo(ae.bytes());
  }

  @Test
  void aFileThatNeverMatchesItsChecksumFailsAndNothingIsMarkedComplete() {
    hub.faults().corrupt(FluxRepo.AE, 100);

    assertThatThrownBy(() -> loads().run())
        .isInstanceOfSatisfying(
            LoadFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
              assertThat(f.getMessage())
                  .contains(FluxRepo.AE, FluxRepo.content(FluxRepo.AE).sha256(), "proxy");
            });
    assertNothingMarkedComplete();
    assertThat(layout.blob(FluxRepo.content(FluxRepo.AE).sha256())).doesNotExist();
  }

  @Test
  void aHostThatIgnoresRangeIsReadFromTheStart() throws Exception {
    Content checkpoint = FluxRepo.content(FluxRepo.CHECKPOINT);
    leavePartial(checkpoint, 500_000);
    hub.faults().ignoreRange(true);

    SnapshotLoad.Result result = loads().run();

    assertThat(Files.readAllBytes(result.snapshot().resolve(FluxRepo.CHECKPOINT)))
        .isEqualTo(checkpoint.bytes());
  }

  @Test
  void anExpiredFileUrlIsResolvedAgain() throws Exception {
    hub.faults().expireUrls(2);

    SnapshotLoad.Result result = loads().run();

    assertThat(result.files()).isEqualTo(FluxRepo.files().size());
    assertThat(hub.served()).filteredOn(s -> s.status() == 403).hasSize(2);
  }

  @Test
  void aHubThatAnswers503IsTriedAgainWithBackoff() throws Exception {
    hub.faults().unavailable(3);
    TestLoads loads = loads();

    loads.run();

    assertThat(loads.waits()).hasSize(3);
    assertThat(loads.waits().get(1)).isGreaterThan(loads.waits().get(0).dividedBy(4));
  }

  @Test
  void aHubThatIsDownFailsAfterBoundedTriesWithWhatToCheck() throws Exception {
    TestLoads loads = loads().set("FLUXOPS_ATTEMPTS", "4");
    hub.close();

    assertThatThrownBy(loads::run)
        .isInstanceOfSatisfying(
            LoadFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo(Reason.HUB_UNREACHABLE);
              assertThat(f.reason().permanent()).isFalse();
              assertThat(f.getMessage())
                  .contains("in 4 tries", "ConnectException", "egress", "127.0.0.1");
            });
    assertThat(loads.waits()).hasSize(3);
  }

  @Test
  void includeSelectsFilesAsHuggingFaceAllowPatternsDo() throws Exception {
    SnapshotLoad.Result result =
        loads().set("FLUXOPS_HF_INCLUDE", "flux1-*.safetensors, ae.safetensors,*.json").run();

    assertThat(result.files()).isEqualTo(4);
    assertThat(snapshotPaths(result.snapshot()))
        .containsExactlyInAnyOrder(
            FluxRepo.CHECKPOINT, FluxRepo.AE, "model_index.json", "transformer/config.json");
  }

  @Test
  void includeThatSelectsNothingSaysWhatTheRepoHas() {
    assertThatThrownBy(() -> loads().set("FLUXOPS_HF_INCLUDE", "*.gguf").run())
        .isInstanceOfSatisfying(
            LoadFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo(Reason.NO_MATCHING_FILES);
              assertThat(f.getMessage()).contains("[*.gguf]", FluxRepo.CHECKPOINT, "include");
            });
  }

  @Test
  void aLargerSelectionOfACompleteCommitFetchesOnlyTheNewFiles() throws Exception {
    loads().set("FLUXOPS_HF_INCLUDE", "*.json").run();
    hub.clearServed();

    SnapshotLoad.Result more = loads().set("FLUXOPS_HF_INCLUDE", "*.json,ae.safetensors").run();

    assertThat(more.alreadyComplete()).isFalse();
    assertThat(hub.served().stream().filter(s -> s.host().equals("files"))).hasSize(1);
  }

  @Test
  void theSameContentUnderTwoNamesIsOneBlobFetchedOnce() throws Exception {
    Content shared = Content.generated(9, 200_000);
    String twin =
        hub.commit(
            "acme/twins",
            "main",
            List.of(
                StandInFile.lfs("a.safetensors", shared),
                StandInFile.lfs("b/a.safetensors", shared)));

    SnapshotLoad.Result result = TestLoads.of(hub, cache, "acme/twins").run();

    assertThat(result.commit()).isEqualTo(twin);
    assertThat(Files.readAllBytes(result.snapshot().resolve("b/a.safetensors")))
        .isEqualTo(shared.bytes());
    assertThat(hub.served().stream().filter(s -> s.host().equals("files"))).hasSize(1);
  }

  @Test
  void aRenamedRepoIsFollowedOnTheHubWithTheToken() throws Exception {
    hub.rename("black-forest-labs/FLUX.1-dev-old", FluxRepo.REPO);
    hub.token("hf_alice");

    SnapshotLoad.Result result =
        TestLoads.of(hub, cache, "black-forest-labs/FLUX.1-dev-old")
            .set("FLUXOPS_HF_TOKEN_FILE", tokenFile("hf_alice").toString())
            .run();

    assertThat(result.commit()).isEqualTo(commit);
    assertThat(hub.served()).filteredOn(s -> s.status() == 307).allMatch(Served::authorized);
  }

  @Test
  void aFullDiskFailsWithWhatToDoAndMarksNothingComplete() throws Exception {
    Path devFull = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devFull), "needs Linux /dev/full");
    Path partial = layout.incomplete(FluxRepo.content(FluxRepo.CHECKPOINT).sha256());
    Files.createDirectories(partial.getParent());
    Files.createSymbolicLink(partial, devFull); // every write there fails with ENOSPC

    assertThatThrownBy(() -> loads().set("FLUXOPS_CLAIM_NAME", "flux-weights").run())
        .isInstanceOfSatisfying(
            LoadFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo(Reason.CLAIM_FULL);
              assertThat(f.reason().permanent()).isTrue();
              assertThat(f.getMessage())
                  .contains(
                      "claim flux-weights is full",
                      "No space left on device",
                      FluxRepo.CHECKPOINT,
                      "grow the PersistentVolumeClaim");
            });
    assertNothingMarkedComplete();
  }

  @Test
  void aFileNameThatLeavesTheSnapshotIsRefused() {
    hub.commit(
        "evil/repo",
        "main",
        List.of(StandInFile.git("../../../../escape.txt", "x"), StandInFile.git("ok.json", "{}")));

    assertThatThrownBy(() -> TestLoads.of(hub, cache, "evil/repo").run())
        .isInstanceOfSatisfying(
            LoadFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE));
    assertThat(cache.getParent().resolve("escape.txt")).doesNotExist();
  }

  /** The first {@code bytes} of a file, as a killed loader leaves them. */
  private void leavePartial(Content content, int bytes) throws IOException {
    Path partial = layout.incomplete(content.sha256());
    Files.createDirectories(partial.getParent());
    byte[] first = new byte[bytes];
    content.read(0, first, first.length);
    Files.write(partial, first);
  }

  private List<String> checkpointRanges() {
    String sha = FluxRepo.content(FluxRepo.CHECKPOINT).sha256();
    return hub.served().stream()
        .filter(s -> s.host().equals("files") && s.path().endsWith(sha))
        .map(Served::range)
        .toList();
  }

  private void assertNothingMarkedComplete() {
    assertThat(layout.completionRecord(commit)).doesNotExist();
    assertThat(layout.ref("main")).doesNotExist();
    assertThat(layout.snapshotDir(commit)).doesNotExist();
  }

  private List<Path> incompleteFiles() throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(p -> p.toString().endsWith(".incomplete")).toList();
    }
  }

  private static List<String> snapshotPaths(Path snapshot) throws IOException {
    try (Stream<Path> files = Files.walk(snapshot)) {
      return files
          .filter(p -> !Files.isDirectory(p))
          .map(p -> snapshot.relativize(p).toString())
          .toList();
    }
  }

  private Path tokenFile(String token) throws IOException {
    Path file = cache.resolveSibling(cache.getFileName() + "-token");
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    return file;
  }
}
