package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/** The inference server container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerSpec {

  @Required
  @Pattern("^\\S+$")
  @JsonPropertyDescription("Container image of the inference server.")
  private String image;

  @Default("custom")
  @SchemaFrom(type = ServerApi.class)
  @JsonPropertyDescription(
      "The API the server speaks, which presets port, readinessPath, the autoscaler's queue"
          + " source and license.counting (each can still be set): custom (your own server: 8080,"
          + " /healthz, queue pods, counting relay), comfyui (8188, /system_stats, queue comfyui,"
          + " counting comfyui), nim (NVIDIA's FLUX NIMs: 8000, /v1/health/ready, queue pods,"
          + " counting proxy) or openai (OpenAI-style image APIs: 8000, /health, queue pods,"
          + " counting proxy).")
  private String api = ServerApi.CUSTOM.value();

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "The serving port: the Service's, the probes' and the clients'. Unset: 8080 (custom), 8188"
          + " (comfyui), 8000 (nim, openai). With counting proxy the metering sidecar takes it and"
          + " the server listens on 127.0.0.1:9472 instead, told by FLUXOPS_SERVER_HOST and"
          + " FLUXOPS_SERVER_PORT (and NIM_HTTP_API_PORT for nim).")
  @JsonDeserialize(using = LenientInt.class)
  private Integer port;

  @JsonPropertyDescription(
      "Secrets with the credentials of the server image's registry, e.g. nvcr.io for NVIDIA's NIMs"
          + " (user $oauthtoken, password your NGC API key).")
  private List<LocalObjectReference> imagePullSecrets = new ArrayList<>();

  @JsonPropertyDescription("Entrypoint override.")
  private List<String> command = new ArrayList<>();

  @JsonPropertyDescription("Arguments to the entrypoint.")
  private List<String> args = new ArrayList<>();

  @JsonPropertyDescription(
      "Extra environment. FluxOps adds FLUXOPS_MODEL, FLUXOPS_GPU_TYPE, FLUXOPS_USAGE_URL (counting"
          + " relay), FLUXOPS_SERVER_HOST and FLUXOPS_SERVER_PORT (every api but custom),"
          + " NIM_HTTP_API_PORT (nim) and, with TensorRT, TRT_ENGINE_DIR, TRT_TRANSFORMER_PRECISION"
          + " and TRT_T5_PRECISION.")
  private List<EnvVar> env = new ArrayList<>();

  @JsonPropertyDescription(
      "CPU and memory requests and limits. The GPU comes from spec.gpu; an nvidia.com/gpu"
          + " entry here is ignored.")
  private ResourceRequirements resources;

  @Pattern("^/.*")
  @JsonPropertyDescription(
      "HTTP path that answers 200 once the server can serve; used by the readiness and startup"
          + " probes (through the sidecar with counting proxy). Unset: /healthz (custom),"
          + " /system_stats (comfyui), /v1/health/ready (nim), /health (openai).")
  private String readinessPath;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getApi() {
    return api;
  }

  public void setApi(String api) {
    this.api = api;
  }

  /** The port as written in the spec; {@code null} for the preset's. */
  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  /** The path as written in the spec; {@code null} for the preset's. */
  public String getReadinessPath() {
    return readinessPath;
  }

  public void setReadinessPath(String readinessPath) {
    this.readinessPath = readinessPath;
  }
}
