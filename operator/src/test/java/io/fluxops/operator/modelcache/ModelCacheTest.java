package io.fluxops.operator.modelcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fluxops.loader.standin.Content;
import io.fluxops.loader.standin.StandInFile;
import io.fluxops.loader.standin.StandInHub;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.ModelCacheStatus;
import io.fluxops.operator.config.OperatorOptions;
import io.fluxops.operator.status.ConditionType;
import io.fluxops.operator.testing.Examples;
import io.fluxops.operator.testing.LoaderJobs;
import io.fluxops.operator.testing.MockCluster;
import io.fluxops.operator.workload.LoaderJob;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model cache end to end against the mock API server: the operator in its production
 * configuration, the real loader run as the Job's pod would run it (LoaderJobs plays the Job
 * controller and kubelet), the stand-in Hub on loopback.
 */
class ModelCacheTest {
  private static final String NS = "flux";
  private static final String NAME = "dev-cached";
  private static final String REPO = "black-forest-labs/FLUX.1-dev";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path claims;
  StandInHub hub;
  MockCluster cluster;
  NamespacedKubernetesClient client;
  LoaderJobs jobs;
  String commit;

  @BeforeEach
  void start() throws IOException {
    hub = StandInHub.start();
    commit = publish("main", 1);
    hub.gate(REPO);
    hub.token("hf_accepted", REPO);
    hub.token("hf_not_accepted");
    cluster =
        new MockCluster()
            .startOperator(
                OperatorOptions.load(
                    Map.of(
                        "FLUXOPS_HUGGINGFACE_ENDPOINT",
                        hub.endpoint().toString(),
                        "FLUXOPS_LOADER_IMAGE",
                        "ghcr.io/fluxops/fluxops-loader:test")));
    client = cluster.client();
    jobs = new LoaderJobs(client, claims, hub.endpoint());
  }

  @AfterEach
  void stop() {
    cluster.close();
    hub.close();
  }

  private String publish(String branch, long seed) {
    return hub.commit(
        REPO,
        branch,
        List.of(
            StandInFile.git("model_index.json", "{}"),
            StandInFile.lfs("flux1-dev.safetensors", Content.generated(seed, 3_000_000)),
            StandInFile.lfs("ae.safetensors", Content.generated(100 + seed, 400_000))));
  }

  private void token(String value) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("hf-token")
                .endMetadata()
                .addToStringData("token", value)
                .build())
        .create();
  }

  private FluxDeployment apply() {
    return client
        .resource(Examples.load("model-cache/flux-1-dev-from-hugging-face.yaml", NS))
        .create();
  }

  private Deployment deployment() {
    return cluster.awaitDeployment(NS, NAME);
  }

  private Optional<ModelCacheStatus> cache() {
    FluxDeployment fd = cluster.fluxDeployment(NS, NAME).get();
    return Optional.ofNullable(fd.getStatus()).map(s -> s.getModelCache());
  }

  private String reason(ConditionType type) {
    return String.valueOf(cluster.condition(NS, NAME, type).getReason());
  }

  private static Optional<String> env(Deployment d, String name) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst();
  }

  /**
   * Changes the spec as a user would, again on a 409: the operator writes the status meanwhile, and
   * the edit's patch is made against the version it read.
   */
  private void editSpec(Consumer<FluxDeployment> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        cluster
            .fluxDeployment(NS, NAME)
            .edit(
                fd -> {
                  change.accept(fd);
                  return fd;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  @Test
  void noGpuPodRunsUntilTheRevisionIsCompleteThenThePodsReadIt() throws Exception {
    token("hf_accepted");
    hub.faults().bytesPerSecond(200_000); // per connection: about 15 s for the checkpoint
    apply();
    Job job = jobs.awaitJob(NS, NAME);
    assertThat(deployment().getSpec().getReplicas()).isZero();

    var run = jobs.run(job);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(reason(ConditionType.MODEL_CACHED)).isEqualTo("Downloading");
              assertThat(cache())
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getPhase()).isEqualTo("Downloading");
                        assertThat(c.getBytesDone()).isPositive();
                        assertThat(c.getBytesTotal()).isEqualTo(3_400_000L);
                        assertThat(c.getCommit()).isEqualTo(commit);
                      });
            });
    assertThat(reason(ConditionType.READY)).isEqualTo("WaitingForModel");
    assertThat(deployment().getSpec().getReplicas()).isZero();
    assertThat(cluster.condition(NS, NAME, ConditionType.MODEL_CACHED).getMessage())
        .contains(REPO + " at main (commit " + commit.substring(0, 7) + "): ", " of 3.40 MB (")
        .endsWith("; no GPU pod runs until it is complete");

    run.get(60, TimeUnit.SECONDS);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(reason(ConditionType.MODEL_CACHED)).isEqualTo("Cached");
              assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
            });
    String dir = "/models/models--black-forest-labs--FLUX.1-dev/snapshots/" + commit;
    assertThat(env(deployment(), "FLUXOPS_MODEL_DIR")).contains(dir);
    assertThat(env(deployment(), "HF_HUB_CACHE")).contains("/models");
    assertThat(env(deployment(), "HF_HUB_OFFLINE")).contains("1");
    assertThat(
            jobs.claim("flux-weights")
                .resolve(dir.substring("/models/".length()))
                .resolve("flux1-dev.safetensors"))
        .exists();
    assertThat(cache())
        .hasValueSatisfying(
            c -> {
              assertThat(c.getPhase()).isEqualTo("Ready");
              assertThat(c.getServedCommit()).isEqualTo(commit);
            });
    assertThat(jobs.jobs(NS, NAME)).hasSize(1);
  }

  @Test
  void onlyTheLoaderJobMountsTheTokenSecret() {
    token("hf_accepted");
    apply();
    Job job = jobs.awaitJob(NS, NAME);

    assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> v.getSecret() != null && "hf-token".equals(v.getSecret().getSecretName()));
    assertThat(deployment().getSpec().getTemplate().getSpec().getVolumes())
        .noneMatch(v -> v.getSecret() != null && "hf-token".equals(v.getSecret().getSecretName()));
    assertThat(deployment().getSpec().getTemplate().getSpec().getContainers())
        .flatExtracting(c -> c.getEnv())
        .noneMatch(
            e ->
                e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null
                    && "hf-token".equals(e.getValueFrom().getSecretKeyRef().getName()));
  }

  @Test
  void aLicenceTheTokensAccountDidNotAcceptSaysWhatToDoAndHoldsThePods() throws Exception {
    token("hf_not_accepted");
    apply();
    jobs.run(jobs.awaitJob(NS, NAME)).get(60, TimeUnit.SECONDS);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(reason(ConditionType.MODEL_CACHED)).isEqualTo("LicenceNotAccepted");
              assertThat(cache())
                  .hasValueSatisfying(c -> assertThat(c.getPhase()).isEqualTo("Failed"));
            });
    assertThat(cluster.condition(NS, NAME, ConditionType.MODEL_CACHED).getMessage())
        .startsWith(
            "the account of the token in Secret hf-token has not accepted the licence of "
                + REPO
                + " on Hugging Face")
        .contains("accept it at " + hub.endpoint() + "/" + REPO)
        .endsWith(
            "; then delete Job "
                + jobs.jobs(NS, NAME).get(0).getMetadata().getName()
                + " to load again");
    assertThat(reason(ConditionType.PROGRESSING)).isEqualTo("ModelNotCached");
    assertThat(deployment().getSpec().getReplicas()).isZero();
  }

  @Test
  void aMissingTokenSecretIsReportedAndTheLoadStartsOnceItExists() throws Exception {
    apply();
    Job job = jobs.awaitJob(NS, NAME);
    jobs.run(job).get(30, TimeUnit.SECONDS); // the kubelet cannot mount it: the pod waits

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(reason(ConditionType.MODEL_CACHED)).isEqualTo("TokenSecretMissing"));
    assertThat(cluster.condition(NS, NAME, ConditionType.MODEL_CACHED).getMessage())
        .startsWith(
            "the loader cannot get the Hugging Face token: create Secret hf-token with key"
                + " token in this namespace");

    token("hf_accepted");
    client.pods().inNamespace(NS).withLabel(LoaderJob.LOAD_LABEL).delete();
    client.v1().events().inNamespace(NS).delete();
    jobs.run(job).get(60, TimeUnit.SECONDS);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(reason(ConditionType.MODEL_CACHED)).isEqualTo("Cached"));
  }

  @Test
  void aNewRevisionDownloadsBesideTheOldWhileThePodsStayOnItThenTheyMove() throws Exception {
    token("hf_accepted");
    apply();
    Job first = jobs.awaitJob(NS, NAME);
    jobs.run(first).get(60, TimeUnit.SECONDS);
    await().atMost(TIMEOUT).until(() -> reason(ConditionType.MODEL_CACHED).equals("Cached"));
    String v2 = publish("v2", 2);

    editSpec(fd -> fd.getSpec().getModelCache().getSource().getHuggingface().setRevision("v2"));
    Job second =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    jobs.jobs(NS, NAME).stream()
                        .filter(
                            j -> !j.getMetadata().getName().equals(first.getMetadata().getName()))
                        .findFirst(),
                Optional::isPresent)
            .get();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(reason(ConditionType.MODEL_CACHED)).isEqualTo("Pending");
              assertThat(cluster.condition(NS, NAME, ConditionType.MODEL_CACHED).getMessage())
                  .endsWith(
                      "; the pods stay on commit "
                          + commit.substring(0, 7)
                          + " until it is complete");
            });
    assertThat(env(deployment(), "FLUXOPS_MODEL_DIR"))
        .hasValueSatisfying(d -> assertThat(d).endsWith(commit));
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
    assertThat(reason(ConditionType.READY)).isNotEqualTo("WaitingForModel");
    await().atMost(TIMEOUT).until(() -> jobs.jobs(NS, NAME).size() == 1);

    jobs.run(second).get(60, TimeUnit.SECONDS);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(env(deployment(), "FLUXOPS_MODEL_DIR"))
                    .hasValueSatisfying(d -> assertThat(d).endsWith(v2)));
    Path snapshots =
        jobs.claim("flux-weights").resolve("models--black-forest-labs--FLUX.1-dev/snapshots");
    assertThat(snapshots.resolve(commit)).exists();
    assertThat(snapshots.resolve(v2)).exists();
  }

  @Test
  void aDeletedJobIsCreatedAgainAndACompleteRevisionIsNotDownloadedAgain() throws Exception {
    token("hf_accepted");
    apply();
    Job job = jobs.awaitJob(NS, NAME);
    jobs.run(job).get(60, TimeUnit.SECONDS);
    await().atMost(TIMEOUT).until(() -> reason(ConditionType.MODEL_CACHED).equals("Cached"));

    client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).delete();
    client.pods().inNamespace(NS).withLabel(LoaderJob.LOAD_LABEL).delete();
    Job again =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    client
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withName(job.getMetadata().getName())
                        .get(),
                j -> j != null && !j.getMetadata().getUid().equals(job.getMetadata().getUid()));
    assertThat(reason(ConditionType.MODEL_CACHED)).isEqualTo("Cached");
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);

    hub.clearServed();
    jobs.run(again).get(60, TimeUnit.SECONDS);
    assertThat(hub.served()).isEmpty();
    assertThat(reason(ConditionType.MODEL_CACHED)).isEqualTo("Cached");
  }

  @Test
  void removingTheSourceDeletesTheLoaderJobAndLeavesThePodsRunning() throws Exception {
    token("hf_accepted");
    apply();
    jobs.awaitJob(NS, NAME);

    editSpec(fd -> fd.getSpec().getModelCache().setSource(null));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(jobs.jobs(NS, NAME)).isEmpty();
              assertThat(cache()).isEmpty();
              assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
            });
    assertThat(cluster.condition(NS, NAME, ConditionType.MODEL_CACHED).getType()).isNull();
  }
}
