package io.fluxops.tools.sandbox;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
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
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.LoaderJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIMULATED: plays the Job controller and the kubelet for the operator's model-cache loader Jobs,
 * which the mock API server does not run. For each Job it makes one pod and runs the real loader in
 * it (fluxops-loader's {@code Main.run}, in-process, with the environment the operator gave the
 * Job's container) against the stand-in Hub ({@link SimulatedHub}): the claim is a directory of the
 * scratch directory, the token Secret a file there, read from the API server as a kubelet reads it;
 * the loader's {@code /status} is on 127.0.0.1 at a port of the pod's, published as its {@code
 * status} container port, where the operator reads the progress. The pod's termination message and
 * the Job's status are written as Kubernetes writes them.
 */
final class SimulatedJobs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedJobs.class);

  private final KubernetesClient client;
  private final Path claims;
  private final PodNetwork network;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final Map<String, Long> completed = new ConcurrentHashMap<>();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("sandbox-jobs"));
  private final ExecutorService pods =
      Executors.newCachedThreadPool(Threads.daemon("sandbox-loader"));

  /**
   * @param claims where each claim is a directory
   */
  SimulatedJobs(KubernetesClient client, Path claims, PodNetwork network) {
    this.client = client;
    this.claims = claims;
    this.network = network;
  }

  void start() {
    loop.scheduleWithFixedDelay(this::safeTick, 0, 250, TimeUnit.MILLISECONDS);
  }

  private void safeTick() {
    try {
      for (Job job :
          client
              .batch()
              .v1()
              .jobs()
              .inAnyNamespace()
              .withLabel(Labels.NAME, LoaderJob.APP_NAME)
              .list()
              .getItems()) {
        if (seen.add(job.getMetadata().getUid())) {
          pods.execute(() -> runToEnd(job));
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("jobs tick failed; retrying", e);
    }
  }

  /** Pods until one completes, the loader says a person must act, or the backoff limit is hit. */
  private void runToEnd(Job job) {
    int failed = 0;
    int backoffLimit =
        job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    try {
      while (!loop.isShutdown()) {
        Optional<Integer> exit = runPod(job, failed + 1);
        if (exit.isEmpty()) {
          return; // its token Secret is missing: the pod waits, as a kubelet's would
        }
        if (exit.get() == ModelLoader.EXIT_COMPLETE) {
          completed.putIfAbsent(owner(job), System.nanoTime());
          finish(job, "Complete", null, 1, failed);
          return;
        }
        failed++;
        boolean fatal = ModelLoader.EXITS_THAT_NEED_A_PERSON.contains(exit.get());
        if (fatal || failed > backoffLimit) {
          finish(job, "Failed", fatal ? "PodFailurePolicy" : "BackoffLimitExceeded", 0, failed);
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("loader Job {} could not run: {}", job.getMetadata().getName(), e.toString());
    }
  }

  /** When the first load of a FluxDeployment ({@code namespace/name}) started, in nanoTime. */
  Optional<Long> started(String namespace, String fluxDeployment) {
    return Optional.ofNullable(started.get(namespace + "/" + fluxDeployment));
  }

  /** When the first load of a FluxDeployment completed, in nanoTime. */
  Optional<Long> completed(String namespace, String fluxDeployment) {
    return Optional.ofNullable(completed.get(namespace + "/" + fluxDeployment));
  }

  private static String owner(Job job) {
    return job.getMetadata().getNamespace()
        + "/"
        + job.getMetadata().getLabels().getOrDefault(Labels.INSTANCE, "");
  }

  private Optional<Integer> runPod(Job job, int attempt) throws IOException {
    started.putIfAbsent(owner(job), System.nanoTime());
    String namespace = job.getMetadata().getNamespace();
    var template = job.getSpec().getTemplate();
    SimulatedPod.Address address = network.allocate();
    var spec = client.getKubernetesSerialization().clone(template.getSpec());
    spec.getContainers().stream()
        .flatMap(
            c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
        .filter(p -> LoaderJob.STATUS_PORT_NAME.equals(p.getName()))
        .forEach(p -> p.setContainerPort(address.http()));
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
    labels.put("job-name", job.getMetadata().getName());
    Pod pod =
        SimulatedKubelet.createPending(
            client, namespace, job.getMetadata().getName() + "-sim" + attempt, labels, spec);
    try {
      Map<String, String> env = new HashMap<>();
      for (EnvVar variable : template.getSpec().getContainers().get(0).getEnv()) {
        if (variable.getValue() != null) {
          env.put(variable.getName(), variable.getValue());
        }
      }
      Path dir = Files.createDirectories(claims.resolve(claimName(job)));
      env.put(ModelLoader.ENV_CACHE_DIR, dir.toString());
      Optional<Volume> token =
          template.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst();
      if (token.isPresent()) {
        Optional<Path> file = mount(namespace, token.get(), pod.getMetadata().getName());
        if (file.isEmpty()) {
          return Optional.empty();
        }
        env.put(ModelLoader.ENV_TOKEN_FILE, file.get().toString());
      }
      env.put("FLUXOPS_LISTEN_ADDRESS", address.ip());
      env.put(ModelLoader.ENV_LISTEN_PORT, Integer.toString(address.http()));
      env.put("FLUXOPS_TERMINATION_LOG", "");
      status(pod, running(address.ip()));
      Outcome outcome = Main.run(env);
      status(pod, terminated(address.ip(), outcome));
      return Optional.of(outcome.exitCode());
    } finally {
      network.release(address);
    }
  }

  private static String claimName(Job job) {
    return job.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the loader Job mounts no claim"))
        .getPersistentVolumeClaim()
        .getClaimName();
  }

  /** The Secret's key as a private file, as the kubelet mounts it; empty while it is missing. */
  private Optional<Path> mount(String namespace, Volume volume, String pod) throws IOException {
    String key = volume.getSecret().getItems().get(0).getKey();
    Secret secret =
        client.secrets().inNamespace(namespace).withName(volume.getSecret().getSecretName()).get();
    Optional<String> value = SimulatedHub.secretValue(secret, key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ScratchDirectory.writePrivate(claims.resolve(pod + "-token"), value.get()));
  }

  private static PodStatus running(String ip) {
    return new PodStatusBuilder()
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
        .build();
  }

  private static PodStatus terminated(String ip, Outcome outcome) {
    return new PodStatusBuilder()
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
        .build();
  }

  private void status(Pod pod, PodStatus status) {
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

  private void finish(Job job, String type, String reason, int succeeded, int failed) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(job.getMetadata().getNamespace())
        .withName(job.getMetadata().getName())
        .editStatus(
            j -> {
              j.setStatus(
                  new JobStatusBuilder()
                      .withSucceeded(succeeded)
                      .withFailed(failed)
                      .withConditions(
                          new JobConditionBuilder()
                              .withType(type)
                              .withStatus("True")
                              .withReason(reason)
                              .withMessage(reason == null ? null : "Job has failed")
                              .build())
                      .build());
              return j;
            });
  }

  @Override
  public void close() {
    loop.shutdownNow();
    pods.shutdownNow();
    try {
      pods.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
