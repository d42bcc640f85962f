package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** ComfyUI's own queue, read from {@code GET /prompt}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComfyUiQueueSpec {

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port ComfyUI listens on; spec.server.port if unset.")
  @JsonDeserialize(using = LenientInt.class)
  private Integer port;

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }
}
