package io.fluxops.operator.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fluxops.common.ModelLoader;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.PlacementSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loader Job that fills the model cache: one pod running the loader image (loader/), under the
 * restricted Pod Security Standard, the only pod that mounts the Hugging Face token, as a file. It
 * mounts the claim read-write; it needs no GPU and no API access.
 *
 * <p>Failures the loader says a person must fix (exit codes 2 and 3) fail the Job at once; the
 * others (the network) get up to {@link #BACKOFF_LIMIT} more pods, each resuming where the last
 * stopped; an evicted or preempted pod does not count.
 */
public final class LoaderJob {

  public static final String APP_NAME = "flux-model-loader";

  /** The load a Job runs, on the Job and its pods. */
  public static final String LOAD_LABEL = "fluxops.io/model-load";

  /** Where the token file appears in the loader, and nowhere else. */
  public static final String TOKEN_DIR = "/var/run/secrets/fluxops/huggingface";

  public static final String TOKEN_FILE_NAME = "token";
  public static final String TOKEN_VOLUME = "hf-token";
  public static final String STATUS_PORT_NAME = "status";

  static final int BACKOFF_LIMIT = 4;

  private LoaderJob() {}

  /** Labels of the Job and its pod: the loader's own name, so no Service selects it. */
  public static Map<String, String> labels(FluxDeployment fd, ValidatedSpec v, ModelLoad load) {
    Map<String, String> labels = new LinkedHashMap<>(Labels.of(fd, v));
    labels.put(Labels.NAME, APP_NAME);
    labels.put(LOAD_LABEL, load.key());
    return labels;
  }

  /**
   * The Job.
   *
   * @param endpoint the Hub's base URL (the operator's setting: huggingface.co or a mirror)
   */
  public static Job build(
      FluxDeployment fd, ValidatedSpec v, ModelLoad load, String image, String endpoint) {
    Map<String, String> labels = labels(fd, v, load);
    PlacementSpec placement =
        v.spec().getPlacement() == null ? new PlacementSpec() : v.spec().getPlacement();
    return new JobBuilder()
        .withNewMetadata()
        .withName(load.jobName(fd.getMetadata().getName()))
        .withNamespace(fd.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(WorkloadFactory.controllerReference(fd))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(BACKOFF_LIMIT)
        .withNewPodFailurePolicy()
        .withRules(
            new PodFailurePolicyRuleBuilder()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withContainerName(ModelLoader.CONTAINER)
                .withOperator("In")
                .withValues(ModelLoader.EXITS_THAT_NEED_A_PERSON)
                .endOnExitCodes()
                .build(),
            new PodFailurePolicyRuleBuilder()
                .withAction("Ignore")
                .addNewOnPodCondition()
                .withType("DisruptionTarget")
                .withStatus("True")
                .endOnPodCondition()
                .build())
        .endPodFailurePolicy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(fd.getMetadata().getName())
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(securityContext())
        .withTerminationGracePeriodSeconds(30L)
        .withContainers(container(load, image, endpoint))
        .withVolumes(volumes(load))
        // With a ReadWriteOnce claim already attached to a GPU node, a new revision's loader must
        // run there too: it tolerates the GPU nodes' taints (it asks for no GPU) and prefers the
        // inference pods' node.
        .withTolerations(PodTemplateFactory.tolerations(placement))
        .withNewAffinity()
        .withNewPodAffinity()
        .withPreferredDuringSchedulingIgnoredDuringExecution(
            new WeightedPodAffinityTermBuilder()
                .withWeight(100)
                .withPodAffinityTerm(
                    new PodAffinityTermBuilder()
                        .withNewLabelSelector()
                        .withMatchLabels(Labels.selector(fd))
                        .endLabelSelector()
                        .withTopologyKey("kubernetes.io/hostname")
                        .build())
                .build())
        .endPodAffinity()
        .endAffinity()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static PodSecurityContext securityContext() {
    // Only change ownership when the claim's root is not the group's yet: a chown of 24 GB of
    // weights on every start would take minutes.
    return new PodSecurityContextBuilder(SecurityContexts.pod())
        .withFsGroupChangePolicy("OnRootMismatch")
        .build();
  }

  private static Container container(ModelLoad load, String image, String endpoint) {
    var mounts =
        new ArrayList<>(
            List.of(
                new VolumeMountBuilder()
                    .withName(PodLayout.MODEL_CACHE_VOLUME)
                    .withMountPath(load.mountPath())
                    .build(),
                new VolumeMountBuilder()
                    .withName(PodLayout.INFERENCE_TMP_VOLUME)
                    .withMountPath(PodLayout.TMP_DIR)
                    .build()));
    load.token()
        .ifPresent(
            t ->
                mounts.add(
                    new VolumeMountBuilder()
                        .withName(TOKEN_VOLUME)
                        .withMountPath(TOKEN_DIR)
                        .withReadOnly(true)
                        .build()));
    return new ContainerBuilder()
        .withName(ModelLoader.CONTAINER)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withEnv(env(load, endpoint))
        .addNewPort()
        .withName(STATUS_PORT_NAME)
        .withContainerPort(ModelLoader.PORT)
        .withProtocol("TCP")
        .endPort()
        .withNewResources()
        .addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("128Mi"))
        .addToLimits("memory", new Quantity("192Mi"))
        .endResources()
        .withSecurityContext(SecurityContexts.container(true))
        .withTerminationMessagePolicy("File")
        .withVolumeMounts(mounts)
        .build();
  }

  private static List<EnvVar> env(ModelLoad load, String endpoint) {
    List<EnvVar> env = new ArrayList<>();
    env.add(var(ModelLoader.ENV_ENDPOINT, endpoint));
    env.add(var(ModelLoader.ENV_REPO, load.repo()));
    env.add(var(ModelLoader.ENV_REVISION, load.revision()));
    env.add(var(ModelLoader.ENV_INCLUDE, String.join(",", load.include())));
    env.add(var(ModelLoader.ENV_CACHE_DIR, load.mountPath()));
    env.add(var(ModelLoader.ENV_CLAIM_NAME, load.claimName()));
    env.add(var(ModelLoader.ENV_LISTEN_PORT, String.valueOf(ModelLoader.PORT)));
    load.token()
        .ifPresent(
            t -> {
              env.add(var(ModelLoader.ENV_TOKEN_FILE, TOKEN_DIR + "/" + TOKEN_FILE_NAME));
              env.add(var(ModelLoader.ENV_TOKEN_SECRET, t.getName()));
            });
    return env;
  }

  private static EnvVar var(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static List<Volume> volumes(ModelLoad load) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(PodTemplateFactory.claim(PodLayout.MODEL_CACHE_VOLUME, load.claimName(), false));
    volumes.add(PodTemplateFactory.emptyDir(PodLayout.INFERENCE_TMP_VOLUME, "16Mi"));
    load.token()
        .ifPresent(
            t ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(TOKEN_VOLUME)
                        .withNewSecret()
                        .withSecretName(t.getName())
                        .addNewItem()
                        .withKey(t.getKey())
                        .withPath(TOKEN_FILE_NAME)
                        .endItem()
                        // Group-readable: the kubelet gives the file to fsGroup 65532.
                        .withDefaultMode(0440)
                        .endSecret()
                        .build()));
    return volumes;
  }
}
