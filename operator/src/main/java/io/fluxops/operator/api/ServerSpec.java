package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
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

  @Min(1)
  @Max(65535)
  @Default("8080")
  @JsonPropertyDescription("Port the server listens on; the Service exposes it.")
  @JsonDeserialize(using = LenientInt.class)
  private int port = 8080;

  @JsonPropertyDescription("Entrypoint override.")
  private List<String> command = new ArrayList<>();

  @JsonPropertyDescription("Arguments to the entrypoint.")
  private List<String> args = new ArrayList<>();

  @JsonPropertyDescription(
      "Extra environment. FluxOps adds FLUXOPS_USAGE_URL, FLUXOPS_MODEL and, with TensorRT,"
          + " TRT_ENGINE_DIR, TRT_TRANSFORMER_PRECISION and TRT_T5_PRECISION.")
  private List<EnvVar> env = new ArrayList<>();

  @JsonPropertyDescription(
      "CPU and memory requests and limits. The GPU comes from spec.gpu; an nvidia.com/gpu"
          + " entry here is ignored.")
  private ResourceRequirements resources;

  @Default("/healthz")
  @Pattern("^/.*")
  @JsonPropertyDescription(
      "HTTP path that answers 200 once the model is loaded; used by the readiness and startup"
          + " probes.")
  private String readinessPath = "/healthz";

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
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

  public String getReadinessPath() {
    return readinessPath;
  }

  public void setReadinessPath(String readinessPath) {
    this.readinessPath = readinessPath;
  }
}
