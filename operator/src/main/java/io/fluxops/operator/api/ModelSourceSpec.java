package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the model cache is filled from, before any GPU pod starts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSourceSpec {

  @Required
  @JsonPropertyDescription(
      "A Hugging Face model repo: an owned loader Job downloads it into the claim, resumably and"
          + " checked against the Hub's sha256, and the Deployment runs no GPU pod until the"
          + " revision is complete.")
  private HuggingFaceSourceSpec huggingface;

  public HuggingFaceSourceSpec getHuggingface() {
    return huggingface;
  }

  public void setHuggingface(HuggingFaceSourceSpec huggingface) {
    this.huggingface = huggingface;
  }
}
