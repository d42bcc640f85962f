package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A queue-depth gauge each inference pod exposes in Prometheus text format. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodsQueueSpec {

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Port of the metrics endpoint in each pod. Unset: 9469, the metering sidecar's, when it"
          + " counts by proxy or comfyui (it exposes the pod's flux_queue_depth); 8080 otherwise.")
  @JsonDeserialize(using = LenientInt.class)
  private Integer port;

  @Default("/metrics")
  @JsonPropertyDescription("Path of the metrics endpoint.")
  private String path = "/metrics";

  @Default("flux_queue_depth")
  @JsonPropertyDescription("Gauge of queued plus running generations; summed over its series.")
  private String metric = "flux_queue_depth";

  /** The port as written in the spec; {@code null} for the default. */
  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getMetric() {
    return metric;
  }

  public void setMetric(String metric) {
    this.metric = metric;
  }
}
