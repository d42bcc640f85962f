package io.fluxops.operator.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fluxops.operator.api.CountingMode;
import io.fluxops.operator.api.ServerApi;
import io.fluxops.operator.api.ServerSpec;
import io.fluxops.operator.gpu.GpuLabels;
import io.fluxops.operator.gpu.GpuPlacement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the {@code inference} container: the user's server with GPUs, TensorRT and caches. */
final class InferenceContainer {

  /** Probe period while the server starts; the failure thresholds below are in these periods. */
  private static final int STARTUP_PERIOD_SECONDS = 10;

  /** Model load from a cache or a download: up to 15 minutes. */
  private static final int STARTUP_FAILURES_PLAIN = 90;

  /** A first TensorRT engine build of the FLUX transformer takes many minutes: up to 45. */
  private static final int STARTUP_FAILURES_TENSORRT = 270;

  /** Two of the sidecar's ComfyUI poll intervals (1 s by default). */
  static final long COMFYUI_FINAL_READ_SECONDS = 2L;

  private InferenceContainer() {}

  static Container build(ValidatedSpec v, Optional<ServedModel> served) {
    ServerSpec server = v.spec().getServer();
    var builder =
        new ContainerBuilder()
            .withName(PodLayout.INFERENCE_CONTAINER)
            .withImage(server.getImage())
            .withEnv(env(v, served))
            .withResources(resources(server.getResources(), v.spec().getGpu().getCount()))
            .withVolumeMounts(mounts(v))
            .withStartupProbe(
                httpProbe(
                    v,
                    STARTUP_PERIOD_SECONDS,
                    v.tensorRt().enabled() ? STARTUP_FAILURES_TENSORRT : STARTUP_FAILURES_PLAIN))
            .withReadinessProbe(httpProbe(v, 5, 3))
            .withSecurityContext(SecurityContexts.container(false));
    if (!v.proxied()) {
      // Proxied, the sidecar declares the serving port: the server's own is on the loopback, and
      // nothing outside the pod may reach it.
      builder
          .addNewPort()
          .withName(PodLayout.HTTP_PORT_NAME)
          .withContainerPort(v.listenPort())
          .withProtocol("TCP")
          .endPort();
    }
    if (v.metered() && v.counting() == CountingMode.COMFYUI) {
      // ComfyUI's history lives in its memory: hold its SIGTERM back long enough for the sidecar
      // to read the prompts that finished in its last poll interval.
      builder
          .withNewLifecycle()
          .withNewPreStop()
          .withNewSleep(COMFYUI_FINAL_READ_SECONDS)
          .endPreStop()
          .endLifecycle();
    }
    if (!server.getCommand().isEmpty()) {
      builder.withCommand(server.getCommand());
    }
    if (!server.getArgs().isEmpty()) {
      builder.withArgs(server.getArgs());
    }
    return builder.build();
  }

  private static List<EnvVar> env(ValidatedSpec v, Optional<ServedModel> served) {
    List<EnvVar> env = new ArrayList<>();
    env.add(plain(PodLayout.ENV_MODEL, v.model().slug()));
    env.add(plain(PodLayout.ENV_GPU_TYPE, v.gpuType().value()));
    served.ifPresent(model -> env.addAll(modelCacheEnv(v, model)));
    if (v.metered() && v.counting() == CountingMode.RELAY) {
      env.add(plain(PodLayout.ENV_USAGE_URL, usageUrl(v)));
    }
    if (v.api() != ServerApi.CUSTOM) {
      // Where to listen, for servers that take it as arguments: $(FLUXOPS_SERVER_PORT) in args.
      // A custom server keeps today's environment, so an operator upgrade restarts no GPU pod.
      env.add(plain(PodLayout.ENV_SERVER_HOST, v.listenHost()));
      env.add(plain(PodLayout.ENV_SERVER_PORT, Integer.toString(v.listenPort())));
    }
    v.api().portEnv().ifPresent(name -> env.add(plain(name, Integer.toString(v.listenPort()))));
    if (v.tensorRt().enabled()) {
      env.add(plain(PodLayout.ENV_TRT_MODE, v.tensorRt().value()));
      env.add(plain(PodLayout.ENV_TRT_ENGINE_DIR, PodLayout.TENSORRT_ENGINE_DIR));
      env.add(plain(PodLayout.ENV_TRT_TRANSFORMER_PRECISION, v.tensorRt().transformerPrecision()));
      env.add(plain(PodLayout.ENV_TRT_T5_PRECISION, v.tensorRt().t5Precision()));
      env.add(
          plain(PodLayout.ENV_TRT_TIMING_CACHE, PodLayout.TENSORRT_ENGINE_DIR + "/timing.cache"));
    }
    if (v.spec().getServer().getEnv().stream().noneMatch(e -> "HOME".equals(e.getName()))) {
      // The server runs as an unprivileged user with no home directory; libraries that cache
      // under $HOME (Hugging Face, torch.compile) need a writable one.
      env.add(plain("HOME", PodLayout.TMP_DIR));
    }
    env.addAll(v.spec().getServer().getEnv());
    return env;
  }

  /**
   * Where the complete revision is: its directory, and the Hub cache's root with offline mode, so
   * that huggingface_hub and diffusers load it by repo id without a request. A value the user set
   * in spec.server.env for the HF_ variables wins.
   */
  private static List<EnvVar> modelCacheEnv(ValidatedSpec v, ServedModel model) {
    String mountPath = v.spec().getModelCache().getMountPath();
    List<EnvVar> env = new ArrayList<>();
    env.add(plain(PodLayout.ENV_MODEL_DIR, model.snapshotDir(mountPath)));
    for (var entry :
        java.util.Map.of(PodLayout.ENV_HF_HUB_CACHE, mountPath, PodLayout.ENV_HF_HUB_OFFLINE, "1")
            .entrySet()) {
      if (v.spec().getServer().getEnv().stream()
          .noneMatch(e -> entry.getKey().equals(e.getName()))) {
        env.add(plain(entry.getKey(), entry.getValue()));
      }
    }
    env.sort(java.util.Comparator.comparing(EnvVar::getName));
    return env;
  }

  /** Where the server posts usage: the sidecar on localhost, in BFL's own URL shape. */
  static String usageUrl(ValidatedSpec v) {
    return "http://127.0.0.1:"
        + PodLayout.USAGE_PORT
        + "/v1/licenses/models/"
        + v.model().slug()
        + "/usage";
  }

  private static ResourceRequirements resources(ResourceRequirements user, int gpus) {
    Map<String, Quantity> limits = new LinkedHashMap<>();
    Map<String, Quantity> requests = new LinkedHashMap<>();
    if (user != null) {
      if (user.getLimits() != null) {
        limits.putAll(user.getLimits());
      }
      if (user.getRequests() != null) {
        requests.putAll(user.getRequests());
      }
    }
    // Extended resources need request == limit; spec.gpu.count is the only source of truth.
    limits.put(GpuLabels.GPU_RESOURCE, new Quantity(Integer.toString(gpus)));
    requests.put(GpuLabels.GPU_RESOURCE, new Quantity(Integer.toString(gpus)));
    return new ResourceRequirementsBuilder().withLimits(limits).withRequests(requests).build();
  }

  private static List<VolumeMount> mounts(ValidatedSpec v) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount(PodLayout.INFERENCE_TMP_VOLUME, PodLayout.TMP_DIR, null, false));
    if (v.tensorRt().enabled()) {
      String subPath =
          v.spec().getTensorRT().getEngineCache() == null
              ? null
              : GpuPlacement.engineCacheKey(v.gpuType(), v.spec().getGpu().getProducts());
      mounts.add(
          mount(PodLayout.ENGINE_CACHE_VOLUME, PodLayout.TENSORRT_ENGINE_DIR, subPath, false));
    }
    var cache = v.spec().getModelCache();
    if (cache != null) {
      mounts.add(
          mount(PodLayout.MODEL_CACHE_VOLUME, cache.getMountPath(), null, cache.isReadOnly()));
    }
    return mounts;
  }

  private static VolumeMount mount(String volume, String path, String subPath, boolean readOnly) {
    var builder = new VolumeMountBuilder().withName(volume).withMountPath(path);
    if (subPath != null) {
      builder.withSubPath(subPath);
    }
    if (readOnly) {
      builder.withReadOnly(true);
    }
    return builder.build();
  }

  /**
   * Probes the serving port: proxied, that is the sidecar's, which forwards the probe to the server
   * (a probe's named port must be one of its own container's, hence the number).
   */
  private static Probe httpProbe(ValidatedSpec v, int periodSeconds, int failureThreshold) {
    IntOrString port =
        v.proxied() ? new IntOrString(v.servingPort()) : new IntOrString(PodLayout.HTTP_PORT_NAME);
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(v.readinessPath())
        .withPort(port)
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
