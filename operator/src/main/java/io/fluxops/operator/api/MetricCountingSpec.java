package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A Prometheus counter of generated images that the inference server exposes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricCountingSpec {

  @Min(1)
  @Max(65535)
  @Default("8080")
  @JsonPropertyDescription("Port of the server's metrics endpoint.")
  @JsonDeserialize(using = LenientInt.class)
  private int port = 8080;

  @Default("/metrics")
  @JsonPropertyDescription("Path of the metrics endpoint.")
  private String path = "/metrics";

  @Default("flux_images_generated_total")
  @JsonPropertyDescription("Counter of images delivered (after the safety filter).")
  private String name = "flux_images_generated_total";

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
