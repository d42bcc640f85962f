package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** BFL licence: the key's Secret and how usage is counted and reported. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LicenseSpec {

  /** BFL's licensing API; reports go to {@code <endpoint>/v1/licenses/models/<slug>/usage}. */
  public static final String BFL_USAGE_ENDPOINT = "https://api.bfl.ai";

  @Required
  @JsonPropertyDescription(
      "The Secret key that holds the BFL API key. Only the metering sidecar mounts it, as a file;"
          + " the operator itself never reads Secrets.")
  private SecretKeyRef secretRef;

  @Default(BFL_USAGE_ENDPOINT)
  @Pattern("^https?://.+")
  @JsonPropertyDescription("Base URL of the usage API.")
  private String usageEndpoint = BFL_USAGE_ENDPOINT;

  @SchemaFrom(type = CountingMode.class)
  @JsonPropertyDescription(
      "How the sidecar counts images; unset, the one spec.server.api presets. relay: the server"
          + " posts {\"number_of_generations\": n} to FLUXOPS_USAGE_URL (BFL's own request shape;"
          + " custom). metric: the sidecar reads a counter the server exposes (custom). proxy: the"
          + " sidecar takes the serving port and counts the images in the server's answers (nim,"
          + " openai). comfyui: the sidecar counts the saved images of each prompt in ComfyUI's"
          + " history (comfyui).")
  private String counting;

  @JsonPropertyDescription("For counting metric: the counter of generated images.")
  private MetricCountingSpec metric;

  public SecretKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }

  public String getUsageEndpoint() {
    return usageEndpoint;
  }

  public void setUsageEndpoint(String usageEndpoint) {
    this.usageEndpoint = usageEndpoint;
  }

  /** The counting as written in the spec; {@code null} for the preset's. */
  public String getCounting() {
    return counting;
  }

  public void setCounting(String counting) {
    this.counting = counting;
  }

  public MetricCountingSpec getMetric() {
    return metric;
  }

  public void setMetric(MetricCountingSpec metric) {
    this.metric = metric;
  }
}
