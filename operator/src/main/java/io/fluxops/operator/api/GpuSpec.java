package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** The GPUs of one replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuSpec {

  @Required
  @SchemaFrom(type = GpuTypeName.class)
  @JsonPropertyDescription(
      "GPU type: rtx-4090 (matched on nvidia.com/gpu.product) or blackwell (matched on"
          + " nvidia.com/gpu.family=blackwell or nvidia.com/gpu.compute.major 10 or 12).")
  private String type;

  @Min(1)
  @Max(8)
  @Default("1")
  @JsonPropertyDescription("GPUs per replica (nvidia.com/gpu in the server's limits), 1 to 8.")
  @JsonDeserialize(using = LenientInt.class)
  private int count = 1;

  @JsonPropertyDescription(
      "Accepted nvidia.com/gpu.product label values, e.g. NVIDIA-GeForce-RTX-5090. When set,"
          + " they replace the GPU type's node match and key the TensorRT engine cache.")
  private List<String> products = new ArrayList<>();

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public int getCount() {
    return count;
  }

  public void setCount(int count) {
    this.count = count;
  }

  public List<String> getProducts() {
    return products;
  }

  public void setProducts(List<String> products) {
    this.products = products;
  }
}
