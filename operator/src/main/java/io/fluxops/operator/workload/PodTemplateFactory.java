package io.fluxops.operator.workload;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.PlacementSpec;
import io.fluxops.operator.gpu.GpuPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the inference pod: server, metering sidecar, volumes, placement and security. */
public final class PodTemplateFactory {

  /** Time for the server to finish the image in hand and the sidecar to flush its reports. */
  static final long TERMINATION_GRACE_SECONDS = 60L;

  private PodTemplateFactory() {}

  public static PodTemplateSpec build(
      FluxDeployment fd, ValidatedSpec v, String meteringImage, Optional<ServedModel> served) {
    PlacementSpec placement =
        v.spec().getPlacement() == null ? new PlacementSpec() : v.spec().getPlacement();
    var spec =
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .withLabels(Labels.of(fd, v))
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(fd.getMetadata().getName())
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withSecurityContext(SecurityContexts.pod())
            .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
            .withContainers(InferenceContainer.build(v, served))
            .withVolumes(volumes(v))
            .withAffinity(
                GpuPlacement.affinity(
                    v.gpuType(), v.spec().getGpu().getProducts(), placement.getAffinity()))
            .withTolerations(tolerations(placement))
            .endSpec();
    if (v.metered()) {
      spec.editSpec()
          .withInitContainers(MeteringSidecar.build(fd, v, meteringImage))
          .addAllToVolumes(MeteringSidecar.volumes(v))
          .endSpec();
    }
    if (!v.spec().getServer().getImagePullSecrets().isEmpty()) {
      spec.editSpec().withImagePullSecrets(v.spec().getServer().getImagePullSecrets()).endSpec();
    }
    if (!placement.getNodeSelector().isEmpty()) {
      spec.editSpec().withNodeSelector(placement.getNodeSelector()).endSpec();
    }
    if (placement.getPriorityClassName() != null) {
      spec.editSpec().withPriorityClassName(placement.getPriorityClassName()).endSpec();
    }
    if (placement.getRuntimeClassName() != null) {
      spec.editSpec().withRuntimeClassName(placement.getRuntimeClassName()).endSpec();
    }
    return spec.build();
  }

  private static List<Volume> volumes(ValidatedSpec v) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(emptyDir(PodLayout.INFERENCE_TMP_VOLUME, null));
    if (v.tensorRt().enabled()) {
      var engineCache = v.spec().getTensorRT().getEngineCache();
      volumes.add(
          engineCache == null
              ? emptyDir(PodLayout.ENGINE_CACHE_VOLUME, null)
              : claim(PodLayout.ENGINE_CACHE_VOLUME, engineCache.getClaimName(), false));
    }
    var modelCache = v.spec().getModelCache();
    if (modelCache != null) {
      volumes.add(
          claim(PodLayout.MODEL_CACHE_VOLUME, modelCache.getClaimName(), modelCache.isReadOnly()));
    }
    return volumes;
  }

  static List<Toleration> tolerations(PlacementSpec placement) {
    List<Toleration> tolerations = new ArrayList<>();
    tolerations.add(GpuPlacement.gpuToleration());
    tolerations.addAll(placement.getTolerations());
    return tolerations;
  }

  static Volume emptyDir(String name, String sizeLimit) {
    var builder = new VolumeBuilder().withName(name).withNewEmptyDir();
    if (sizeLimit != null) {
      builder.withSizeLimit(new Quantity(sizeLimit));
    }
    return builder.endEmptyDir().build();
  }

  static Volume claim(String name, String claimName, boolean readOnly) {
    var source = new VolumeBuilder().withName(name).withNewPersistentVolumeClaim();
    source.withClaimName(claimName);
    if (readOnly) {
      source.withReadOnly(true);
    }
    return source.endPersistentVolumeClaim().build();
  }
}
