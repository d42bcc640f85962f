package io.fluxops.operator.modelcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fluxops.operator.api.ModelCacheStatus;
import io.fluxops.operator.api.TokenSecretRef;
import io.fluxops.operator.workload.ModelLoad;
import io.fluxops.operator.workload.ServedModel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelCacheViewTest {
  private static final String COMMIT = "0f5ad6c5d5d4e5c3b6b0e8f1a2b3c4d5e6f7a8b9";
  private static final String OLD = "11111112222222333333344444445555555666666";
  private static final String JOB = "dev-4090-model-3f9c2a1b";

  private static ModelLoad load() {
    TokenSecretRef token = new TokenSecretRef();
    token.setName("hf-token");
    return new ModelLoad(
        "black-forest-labs/FLUX.1-dev",
        "main",
        List.of("flux1-dev.safetensors", "ae.safetensors"),
        Optional.of(token),
        "flux-weights",
        "/models",
        "3f9c2a1b");
  }

  private static ModelCacheView view(
      Optional<Job> job,
      List<Pod> pods,
      Optional<LoaderReport> live,
      List<Event> events,
      Optional<ModelCacheStatus> previous) {
    return ModelCacheView.of(
        new ModelCacheView.Inputs(load(), JOB, job, pods, live, events, previous));
  }

  private static Job job(String condition) {
    var builder = new JobBuilder().withNewMetadata().withName(JOB).endMetadata().withNewStatus();
    if (condition != null) {
      builder
          .addNewCondition()
          .withType(condition)
          .withStatus("True")
          .withReason(condition.equals("Failed") ? "PodFailurePolicy" : null)
          .withMessage("m")
          .endCondition();
    } else {
      builder.withActive(1);
    }
    return builder.endStatus().build();
  }

  private static Pod pod(String name, String phase) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  private static Pod terminated(String name, int exit, String message) {
    return new PodBuilder(pod(name, exit == 0 ? "Succeeded" : "Failed"))
        .editStatus()
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("loader")
                .withNewState()
                .withNewTerminated()
                .withExitCode(exit)
                .withMessage(message)
                .withFinishedAt("2026-05-20T10:00:0" + exit + "Z")
                .endTerminated()
                .endState()
                .build())
        .endStatus()
        .build();
  }

  @Test
  void aRunningLoaderShowsItsProgressAndHoldsTheGpuPods() {
    ModelCacheView view =
        view(
            Optional.of(job(null)),
            List.of(pod("p", "Running")),
            Optional.of(
                new LoaderReport(
                    "Downloading", "", "", COMMIT, 12_100_000_000L, 23_800_000_000L, 118_000_000L)),
            List.of(),
            Optional.empty());

    assertThat(view.cached()).isFalse();
    assertThat(view.reason()).isEqualTo("Downloading");
    assertThat(view.message())
        .isEqualTo(
            "black-forest-labs/FLUX.1-dev at main (commit 0f5ad6c): 12.1 GB of 23.8 GB (50 %),"
                + " 118.0 MB/s; no GPU pod runs until it is complete");
    assertThat(view.served()).isEmpty();
    assertThat(view.watching()).isTrue();
    assertThat(view.status().getPhase()).isEqualTo("Downloading");
    assertThat(view.status().getBytesDone()).isEqualTo(12_100_000_000L);
    assertThat(view.status().getCommit()).isEqualTo(COMMIT);
  }

  @Test
  void aSucceededJobServesTheCommitItsPodNamed() {
    ModelCacheView view =
        view(
            Optional.of(job("Complete")),
            List.of(
                terminated(
                    "p",
                    0,
                    "{\"phase\":\"Complete\",\"commit\":\""
                        + COMMIT
                        + "\",\"bytesTotal\":23800000000}")),
            Optional.empty(),
            List.of(),
            Optional.empty());

    assertThat(view.cached()).isTrue();
    assertThat(view.reason()).isEqualTo("Cached");
    assertThat(view.message())
        .isEqualTo(
            "black-forest-labs/FLUX.1-dev at main (commit 0f5ad6c) is on claim flux-weights:"
                + " 23.8 GB");
    assertThat(view.served())
        .hasValueSatisfying(
            s ->
                assertThat(s.snapshotDir("/models"))
                    .isEqualTo(
                        "/models/models--black-forest-labs--FLUX.1-dev/snapshots/" + COMMIT));
    assertThat(view.status().getServedCommit()).isEqualTo(COMMIT);
  }

  @Test
  void aSucceededJobWhosePodNamedNoCommitServesNothing() {
    // As a KWOK node or a wrong image ends the pod: exit 0 with no report of the loader's.
    ModelCacheView ended =
        view(
            Optional.of(job("Complete")),
            List.of(terminated("p", 0, null)),
            Optional.empty(),
            List.of(),
            Optional.empty());
    ModelCacheView gone =
        view(
            Optional.of(job("Complete")), List.of(), Optional.empty(), List.of(), Optional.empty());

    assertThat(ended.cached()).isFalse();
    assertThat(ended.served()).isEmpty();
    assertThat(ended.reason()).isEqualTo("LoaderError");
    assertThat(ended.message())
        .startsWith("Job " + JOB + " succeeded but its pod left no termination message");
    assertThat(gone.reason()).isEqualTo("LoaderError");
    assertThat(gone.message()).contains("its pod, which names the commit, is gone");
  }

  @Test
  void aReadyRevisionStaysReadyWhenItsJobIsRecreated() {
    ModelCacheStatus ready =
        view(
                Optional.of(job("Complete")),
                List.of(
                    terminated("p", 0, "{\"phase\":\"Complete\",\"commit\":\"" + COMMIT + "\"}")),
                Optional.empty(),
                List.of(),
                Optional.empty())
            .status();

    ModelCacheView again =
        view(Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.of(ready));

    assertThat(again.cached()).isTrue();
    assertThat(again.served()).map(ServedModel::commit).contains(COMMIT);
  }

  @Test
  void aNewRevisionKeepsThePodsOnTheOldOneUntilItIsComplete() {
    ModelCacheStatus previous = new ModelCacheStatus();
    previous.setPhase("Ready");
    previous.setJob("dev-4090-model-aaaaaaaa");
    previous.setCommit(OLD);
    previous.setServedCommit(OLD);
    previous.setServedRepo("black-forest-labs/FLUX.1-dev");
    previous.setServedClaim("flux-weights");

    ModelCacheView view =
        view(
            Optional.of(job(null)),
            List.of(pod("p", "Pending")),
            Optional.empty(),
            List.of(),
            Optional.of(previous));

    assertThat(view.cached()).isFalse();
    assertThat(view.served()).map(ServedModel::commit).contains(OLD);
    assertThat(view.message()).endsWith("; the pods stay on commit 1111111 until it is complete");
  }

  @Test
  void aRefusalNeedingAPersonSaysWhatToDoAndHowToRetry() {
    String message =
        "{\"phase\":\"Failed\",\"reason\":\"LicenceNotAccepted\",\"message\":\"the account of the"
            + " token in Secret hf-token has not accepted the licence of"
            + " black-forest-labs/FLUX.1-dev on Hugging Face\"}";
    ModelCacheView view =
        view(
            Optional.of(job("Failed")),
            List.of(terminated("p", 3, message)),
            Optional.empty(),
            List.of(),
            Optional.empty());

    assertThat(view.reason()).isEqualTo("LicenceNotAccepted");
    assertThat(view.message())
        .startsWith("the account of the token in Secret hf-token has not accepted")
        .endsWith("; then delete Job " + JOB + " to load again");
    assertThat(view.status().getPhase()).isEqualTo("Failed");
    assertThat(view.watching()).isFalse();
  }

  @Test
  void aMissingTokenSecretIsSeenInTheLoaderPodsEvents() {
    Event mount =
        new EventBuilder()
            .withReason("FailedMount")
            .withMessage(
                "MountVolume.SetUp failed for volume \"hf-token\" : secret \"hf-token\" not found")
            .withNewInvolvedObject()
            .withKind("Pod")
            .withName("p")
            .endInvolvedObject()
            .build();

    ModelCacheView view =
        view(
            Optional.of(job(null)),
            List.of(pod("p", "Pending")),
            Optional.empty(),
            List.of(mount),
            Optional.empty());

    assertThat(view.reason()).isEqualTo("TokenSecretMissing");
    assertThat(view.message())
        .startsWith(
            "the loader cannot get the Hugging Face token: create Secret hf-token with key token"
                + " in this namespace (kubelet: MountVolume.SetUp failed");
  }

  @Test
  void aMissingClaimIsSeenInTheSchedulersMessage() {
    Pod pending =
        new PodBuilder(pod("p", "Pending"))
            .editStatus()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage(
                "0/3 nodes are available: persistentvolumeclaim \"flux-weights\" not found.")
            .endCondition()
            .endStatus()
            .build();

    ModelCacheView view =
        view(
            Optional.of(job(null)),
            List.of(pending),
            Optional.empty(),
            List.of(),
            Optional.empty());

    assertThat(view.reason()).isEqualTo("ClaimMissing");
    assertThat(view.message()).contains("create PersistentVolumeClaim flux-weights");
  }

  @Test
  void aNetworkFailureRetriedByTheJobIsShownWhileTheNextPodRuns() {
    String message =
        "{\"phase\":\"Failed\",\"reason\":\"HubUnreachable\",\"message\":\"could not list the files\"}";
    ModelCacheView view =
        view(
            Optional.of(job(null)),
            List.of(terminated("a", 4, message), pod("b", "Running")),
            Optional.empty(),
            List.of(),
            Optional.empty());

    assertThat(view.reason()).isEqualTo("Downloading");
    assertThat(view.message())
        .contains("(pod 2 of the Job, after HubUnreachable: could not list the files)");
  }
}
