package io.fluxops.operator.workload;

import static io.fluxops.operator.workload.InferenceContainer.plain;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.LicenseSpec;
import io.fluxops.operator.api.MetricCountingSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@code metering} sidecar: a native sidecar (an init container that keeps running) so
 * it starts before the server and stops after it, and the only container that mounts the key.
 */
final class MeteringSidecar {

  private static final String RESTART_ALWAYS = "Always";

  /** Read-only for the owner and the pod's fsGroup. */
  private static final int KEY_FILE_MODE = 0440;

  private MeteringSidecar() {}

  /**
   * Memory the sidecar asks for: its RSS stays under 64 MiB interpreted; as a proxy with C1 it
   * stays under 57 MiB with 10 answers of 2 MiB in flight and reached 69-70 MiB with 100 (the
   * proxy's heap flags, pooled chunk buffers and the image's MALLOC_ARENA_MAX=2; 79.7 MiB before
   * them; BENCHMARKS.md, "Proxy counting").
   */
  private static final String MEMORY_REQUEST = "64Mi";

  private static final String PROXY_MEMORY_REQUEST = "80Mi";

  static Container build(FluxDeployment fd, ValidatedSpec v, String image) {
    var builder =
        new ContainerBuilder()
            .withName(PodLayout.METERING_CONTAINER)
            .withImage(image)
            .withRestartPolicy(RESTART_ALWAYS)
            .withEnv(env(fd, v))
            .addNewPort()
            .withName(PodLayout.METERING_PORT_NAME)
            .withContainerPort(PodLayout.METERING_PORT)
            .withProtocol("TCP")
            .endPort();
    if (v.proxied()) {
      // The sidecar owns the serving port: the Service, the probes and every client reach the
      // server through it. Counting answers needs the JIT (BENCHMARKS.md, "Proxy counting"), so
      // the image's entrypoint is repeated with the proxy's flags instead of -Xint.
      builder
          .addNewPort()
          .withName(PodLayout.HTTP_PORT_NAME)
          .withContainerPort(v.servingPort())
          .withProtocol("TCP")
          .endPort()
          .withCommand(
              io.fluxops.common.MeteringSidecar.imageCommand(
                  io.fluxops.common.MeteringSidecar.PROXY_JVM_FLAGS));
    }
    return builder
        .withNewResources()
        .addToRequests("cpu", new Quantity("50m"))
        .addToRequests("memory", new Quantity(v.proxied() ? PROXY_MEMORY_REQUEST : MEMORY_REQUEST))
        .addToLimits("memory", new Quantity("128Mi"))
        .endResources()
        .addNewVolumeMount()
        .withName(PodLayout.LICENSE_VOLUME)
        .withMountPath(PodLayout.LICENSE_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName(PodLayout.JOURNAL_VOLUME)
        .withMountPath(PodLayout.JOURNAL_DIR)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName(PodLayout.METERING_TMP_VOLUME)
        .withMountPath(PodLayout.TMP_DIR)
        .endVolumeMount()
        .withStartupProbe(probe("/healthz", 1, 30))
        .withReadinessProbe(probe("/readyz", 5, 3))
        .withLivenessProbe(probe("/healthz", 10, 3))
        .withSecurityContext(SecurityContexts.container(true))
        .build();
  }

  /** The sidecar's volumes: the key (never given to the server), its journal and scratch. */
  static List<Volume> volumes(ValidatedSpec v) {
    var secretRef = v.spec().getLicense().getSecretRef();
    return List.of(
        new VolumeBuilder()
            .withName(PodLayout.LICENSE_VOLUME)
            .withNewSecret()
            .withSecretName(secretRef.getName())
            .addNewItem()
            .withKey(secretRef.getKey())
            .withPath(PodLayout.LICENSE_FILE_NAME)
            .endItem()
            .withDefaultMode(KEY_FILE_MODE)
            .endSecret()
            .build(),
        PodTemplateFactory.emptyDir(PodLayout.JOURNAL_VOLUME, "64Mi"),
        PodTemplateFactory.emptyDir(PodLayout.METERING_TMP_VOLUME, "16Mi"));
  }

  private static List<EnvVar> env(FluxDeployment fd, ValidatedSpec v) {
    LicenseSpec license = v.spec().getLicense();
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("FLUXOPS_MODEL_SLUG", v.model().slug()));
    env.add(plain("FLUXOPS_USAGE_ENDPOINT", license.getUsageEndpoint()));
    env.add(plain("FLUXOPS_KEY_FILE", PodLayout.LICENSE_DIR + "/" + PodLayout.LICENSE_FILE_NAME));
    env.add(plain("FLUXOPS_JOURNAL_DIR", PodLayout.JOURNAL_DIR));
    env.add(plain("FLUXOPS_LISTEN_PORT", Integer.toString(PodLayout.METERING_PORT)));
    env.add(plain("FLUXOPS_USAGE_PORT", Integer.toString(PodLayout.USAGE_PORT)));
    env.add(plain("FLUXOPS_COUNTING", v.counting().value()));
    switch (v.counting()) {
      case METRIC -> {
        MetricCountingSpec metric =
            license.getMetric() == null ? new MetricCountingSpec() : license.getMetric();
        env.add(
            plain("FLUXOPS_METRIC_URL", "http://127.0.0.1:" + metric.getPort() + metric.getPath()));
        env.add(plain("FLUXOPS_METRIC_NAME", metric.getName()));
      }
      case PROXY -> {
        env.add(plain("FLUXOPS_SERVER_API", v.api().value()));
        env.add(plain("FLUXOPS_PROXY_PORT", Integer.toString(v.servingPort())));
        env.add(plain("FLUXOPS_UPSTREAM_URL", loopback(v.listenPort())));
      }
      case COMFYUI -> env.add(plain("FLUXOPS_UPSTREAM_URL", loopback(v.servingPort())));
      case RELAY -> {
        // The server posts to the usage port, which the sidecar always serves.
      }
    }
    env.add(
        new EnvVarBuilder()
            .withName("FLUXOPS_NAMESPACE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.namespace")
            .endFieldRef()
            .endValueFrom()
            .build());
    env.add(plain("FLUXOPS_INSTANCE", fd.getMetadata().getName()));
    env.add(plain("FLUXOPS_GPU", v.gpuType().value()));
    return env;
  }

  private static String loopback(int port) {
    return "http://" + ValidatedSpec.LOOPBACK + ":" + port;
  }

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort(PodLayout.METERING_PORT_NAME)
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(1)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
