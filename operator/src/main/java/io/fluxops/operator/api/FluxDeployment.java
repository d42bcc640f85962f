package io.fluxops.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A FLUX model served on GPUs: the operator turns it into an inference Deployment with a metering
 * sidecar, a Service, a PodDisruptionBudget and a ServiceAccount.
 */
@Group(FluxDeployment.GROUP)
@Version(FluxDeployment.VERSION)
@Kind("FluxDeployment")
@Plural("fluxdeployments")
@ShortNames("fxd")
@Categories("fluxops")
@AdditionalPrinterColumn(
    name = "Model",
    jsonPath = ".spec.model",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "GPU",
    jsonPath = ".spec.gpu.type",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "TensorRT",
    jsonPath = ".spec.tensorRT.mode",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.ready",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.desiredReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Queue",
    jsonPath = ".status.queueDepth",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Cache",
    jsonPath = ".status.modelCache.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class FluxDeployment extends CustomResource<FluxDeploymentSpec, FluxDeploymentStatus>
    implements Namespaced {

  public static final String GROUP = "fluxops.io";
  public static final String VERSION = "v1alpha1";

  /**
   * No status until the operator writes one. An empty status object here would make the status
   * patch a JSON Patch that adds fields under {@code /status}, which a real API server refuses
   * (422) while the FluxDeployment has no status yet: the parent must exist for "add".
   */
  @Override
  protected FluxDeploymentStatus initStatus() {
    return null;
  }
}
