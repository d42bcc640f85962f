package io.fluxops.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fluxops.common.ModelLoader;
import io.fluxops.loader.Main;
import io.fluxops.loader.json.JsonText;
import io.fluxops.loader.outcome.Outcome;
import io.fluxops.operator.observability.PodAddresses;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.LoaderJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the Job controller and the kubelet for the operator's loader Jobs, which the mock API
 * server cannot run: it creates the Job's pod, mounts what the pod spec asks for (the claim as a
 * directory of this test, the token Secret as a file, read from the API server as a kubelet would;
 * a missing one is a FailedMount event and a pod stuck in Pending), runs the real loader in-process
 * on the pod's own loopback address, and writes the pod's termination message and the Job's status
 * as Kubernetes does, podFailurePolicy and backoffLimit included.
 */
public final class LoaderJobs {
  private final KubernetesClient client;
  private final Path claims;
  private final URI hub;
  private final AtomicInteger pods = new AtomicInteger();

  /**
   * @param claims a directory of this test: each claim is a directory in it
   * @param hub the stand-in Hub the loader talks to
   */
  public LoaderJobs(KubernetesClient client, Path claims, URI hub) {
    this.client = client;
    this.claims = claims;
    this.hub = hub;
  }

  /** The claim's directory, as the loader sees its mount. */
  public Path claim(String name) {
    try {
      return Files.createDirectories(claims.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the operator's loader Job of a FluxDeployment. */
  public Job awaitJob(String namespace, String fluxDeployment) {
    return await()
        .atMost(MockCluster.TIMEOUT)
        .until(() -> jobs(namespace, fluxDeployment), list -> !list.isEmpty())
        .get(0);
  }

  public List<Job> jobs(String namespace, String fluxDeployment) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withLabel(Labels.INSTANCE, fluxDeployment)
        .withLabel(Labels.NAME, LoaderJob.APP_NAME)
        .list()
        .getItems();
  }

  /** One pod of a Job, running the loader until the Job completes or fails. */
  public CompletableFuture<Job> run(Job job) {
    return CompletableFuture.supplyAsync(() -> runToEnd(job));
  }

  private Job runToEnd(Job job) {
    int failed = 0;
    while (true) {
      PodRun run = startPod(job);
      if (run.exit.isEmpty()) {
        return job; // stuck before it started: a person must act
      }
      int exit = run.exit.get();
      if (exit == 0) {
        return finish(job, "Complete", "", 1, failed);
      }
      failed++;
      boolean fatal = ModelLoader.EXITS_THAT_NEED_A_PERSON.contains(exit);
      if (fatal || failed > job.getSpec().getBackoffLimit()) {
        return finish(
            job, "Failed", fatal ? "PodFailurePolicy" : "BackoffLimitExceeded", 0, failed);
      }
    }
  }

  private record PodRun(Pod pod, Optional<Integer> exit) {}

  private PodRun startPod(Job job) {
    String namespace = job.getMetadata().getNamespace();
    var template = job.getSpec().getTemplate();
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(job.getMetadata().getName() + "-" + pods.incrementAndGet())
                    .withNamespace(namespace)
                    .withLabels(template.getMetadata().getLabels())
                    .addToLabels("job-name", job.getMetadata().getName())
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .withStatus(new PodStatusBuilder().withPhase("Pending").build())
                    .build())
            .create();
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : template.getSpec().getContainers().get(0).getEnv()) {
      env.put(var.getName(), var.getValue());
    }
    String claimName =
        template.getSpec().getVolumes().stream()
            .filter(v -> v.getPersistentVolumeClaim() != null)
            .findFirst()
            .orElseThrow()
            .getPersistentVolumeClaim()
            .getClaimName();
    env.put(ModelLoader.ENV_CACHE_DIR, claim(claimName).toString());
    env.put(ModelLoader.ENV_ENDPOINT, hub.toString());
    Optional<Volume> tokenVolume =
        template.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst();
    if (tokenVolume.isPresent()) {
      Optional<Path> file = mountSecret(pod, tokenVolume.get());
      if (file.isEmpty()) {
        return new PodRun(pod, Optional.empty());
      }
      env.put(ModelLoader.ENV_TOKEN_FILE, file.get().toString());
    }
    String ip = PodAddresses.randomLoopback();
    env.put("FLUXOPS_LISTEN_ADDRESS", ip);
    env.put("FLUXOPS_TERMINATION_LOG", "");
    env.put("FLUXOPS_RETRY_MAX_BACKOFF_SECONDS", "0.01");
    setStatus(
        pod,
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(ModelLoader.CONTAINER)
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt(Instant.now().toString())
                    .endRunning()
                    .endState()
                    .build())
            .build());
    Outcome outcome = Main.run(env);
    setStatus(
        pod,
        new PodStatusBuilder()
            .withPhase(outcome.exitCode() == 0 ? "Succeeded" : "Failed")
            .withPodIP(ip)
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(ModelLoader.CONTAINER)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(outcome.exitCode())
                    .withMessage(JsonText.write(outcome.document()))
                    .withFinishedAt(Instant.now().toString())
                    .endTerminated()
                    .endState()
                    .build())
            .build());
    return new PodRun(pod, Optional.of(outcome.exitCode()));
  }

  /** The Secret's key as a file, as the kubelet mounts it; empty (and an event) if missing. */
  private Optional<Path> mountSecret(Pod pod, Volume volume) {
    String namespace = pod.getMetadata().getNamespace();
    String secretName = volume.getSecret().getSecretName();
    String key = volume.getSecret().getItems().get(0).getKey();
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    // A real API server turns stringData into data; the mock server keeps what it was given.
    Map<String, String> data = new HashMap<>();
    if (secret != null && secret.getStringData() != null) {
      secret
          .getStringData()
          .forEach(
              (k, v) ->
                  data.put(
                      k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    }
    if (secret != null && secret.getData() != null) {
      data.putAll(secret.getData());
    }
    if (secret == null || !data.containsKey(key)) {
      String why =
          secret == null
              ? "secret \"" + secretName + "\" not found"
              : "configmap references non-existent config key: " + key;
      FakeKubelet.failedMount(client, pod, volume.getName(), why);
      return Optional.empty();
    }
    try {
      Path file = Files.createTempFile(claims, "token", "");
      Files.write(file, Base64.getDecoder().decode(data.get(key)));
      return Optional.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void setStatus(Pod pod, io.fabric8.kubernetes.api.model.PodStatus status) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.setStatus(status);
              return p;
            });
  }

  private Job finish(Job job, String condition, String reason, int succeeded, int failed) {
    var resource =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName());
    return resource.editStatus(
        j -> {
          j.setStatus(
              new JobStatusBuilder()
                  .withSucceeded(succeeded)
                  .withFailed(failed)
                  .withConditions(
                      new JobConditionBuilder()
                          .withType(condition)
                          .withStatus("True")
                          .withReason(reason.isEmpty() ? null : reason)
                          .withMessage(reason.isEmpty() ? null : "Job has failed")
                          .build())
                  .build());
          return j;
        });
  }
}
