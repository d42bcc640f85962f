package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** What to run: the model, its GPUs, TensorRT, size or autoscaling, licence and server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = SpecRules.REPLICAS_XOR_AUTOSCALING,
    message = SpecRules.REPLICAS_XOR_AUTOSCALING_MESSAGE)
@ValidationRule(
    value = SpecRules.FP4_NEEDS_BLACKWELL,
    message = SpecRules.FP4_NEEDS_BLACKWELL_MESSAGE)
@ValidationRule(value = SpecRules.LICENSE_REQUIRED, message = SpecRules.LICENSE_REQUIRED_MESSAGE)
@ValidationRule(
    value = SpecRules.CACHE_REPO_FOR_TOOLS,
    message = SpecRules.CACHE_REPO_FOR_TOOLS_MESSAGE)
@ValidationRule(
    value = SpecRules.TOKEN_APART_FROM_LICENSE,
    message = SpecRules.TOKEN_APART_FROM_LICENSE_MESSAGE)
@ValidationRule(
    value = SpecRules.PROXY_NEEDS_KNOWN_API,
    message = SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE)
@ValidationRule(
    value = SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI,
    message = SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE)
@ValidationRule(
    value = SpecRules.KNOWN_SERVERS_DO_NOT_REPORT,
    message = SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE)
@ValidationRule(
    value = SpecRules.COMFYUI_QUEUE_NEEDS_COMFYUI,
    message = SpecRules.COMFYUI_QUEUE_NEEDS_COMFYUI_MESSAGE)
public class FluxDeploymentSpec {

  @Required
  @SchemaFrom(type = ModelName.class)
  @JsonPropertyDescription(
      "The FLUX model, named by its BFL licence slug: flux-1-dev, flux-1-kontext-dev, flux-tools,"
          + " flux-1-krea-dev, flux-2-dev, or flux-1-schnell (Apache-2.0: no licence, no meter).")
  private String model;

  @Required
  @JsonPropertyDescription("The GPUs each replica runs on.")
  private GpuSpec gpu;

  @JsonPropertyDescription(
      "TensorRT acceleration. Engines are built on the GPU at first start and cached per GPU"
          + " architecture.")
  private TensorRtSpec tensorRT;

  @SpecReplicas
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription(
      "Fixed number of replicas when autoscaling is absent (1 if unset); the target of"
          + " `kubectl scale`. Exclusive with autoscaling.")
  @JsonDeserialize(using = LenientInt.class)
  private Integer replicas;

  @JsonPropertyDescription(
      "Queue-depth autoscaling. Exclusive with replicas. The autoscaler sets the Deployment's"
          + " replicas and reports in status; it never writes this spec.")
  private AutoscalingSpec autoscaling;

  @JsonPropertyDescription(
      "BFL licence and usage reporting. Required for every model but flux-1-schnell.")
  private LicenseSpec license;

  @Required
  @JsonPropertyDescription("The inference server container.")
  private ServerSpec server;

  @JsonPropertyDescription("A PersistentVolumeClaim with model weights, mounted into the server.")
  private ModelCacheSpec modelCache;

  @JsonPropertyDescription("Extra scheduling constraints, merged with the GPU placement.")
  private PlacementSpec placement;

  @JsonPropertyDescription(
      "Prices used to report cost per image; defaults per GPU type come from the operator.")
  private CostSpec cost;

  @Default("false")
  @JsonPropertyDescription(
      "Stop reconciling and scaling: running pods are kept as they are until unpaused.")
  private boolean paused = false;

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public GpuSpec getGpu() {
    return gpu;
  }

  public void setGpu(GpuSpec gpu) {
    this.gpu = gpu;
  }

  public TensorRtSpec getTensorRT() {
    return tensorRT;
  }

  public void setTensorRT(TensorRtSpec tensorRT) {
    this.tensorRT = tensorRT;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }

  public LicenseSpec getLicense() {
    return license;
  }

  public void setLicense(LicenseSpec license) {
    this.license = license;
  }

  public ServerSpec getServer() {
    return server;
  }

  public void setServer(ServerSpec server) {
    this.server = server;
  }

  public ModelCacheSpec getModelCache() {
    return modelCache;
  }

  public void setModelCache(ModelCacheSpec modelCache) {
    this.modelCache = modelCache;
  }

  public PlacementSpec getPlacement() {
    return placement;
  }

  public void setPlacement(PlacementSpec placement) {
    this.placement = placement;
  }

  public CostSpec getCost() {
    return cost;
  }

  public void setCost(CostSpec cost) {
    this.cost = cost;
  }

  public boolean isPaused() {
    return paused;
  }

  public void setPaused(boolean paused) {
    this.paused = paused;
  }
}
