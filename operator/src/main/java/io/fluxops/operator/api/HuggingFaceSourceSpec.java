package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** A model repository on the Hugging Face Hub, downloaded into the model cache's claim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HuggingFaceSourceSpec {

  @Pattern(HuggingFaceNames.REPO_PATTERN)
  @JsonPropertyDescription(
      "Repository, owner/name. Default: BFL's repo of spec.model (black-forest-labs/FLUX.1-dev,"
          + " -FLUX.1-Kontext-dev, -FLUX.1-Krea-dev, -FLUX.2-dev, -FLUX.1-schnell); flux-tools"
          + " spans four repos (FLUX.1-Fill-dev, -Canny-dev, -Depth-dev, -Redux-dev): name one.")
  private String repo;

  @Default("main")
  @Pattern(HuggingFaceNames.REVISION_PATTERN)
  @Size(max = 255)
  @JsonPropertyDescription(
      "Branch, tag or 40-hex commit. A branch is resolved to a commit once, when first loaded:"
          + " pin a commit or a tag, and change this field to move to another revision.")
  private String revision = "main";

  @Size(max = 256)
  @JsonPropertyDescription(
      "File patterns to download, as huggingface_hub's allow_patterns (fnmatch: * matches across"
          + " '/'; a trailing '/' selects a folder). Default: the BFL single-file checkpoint and"
          + " ae.safetensors, which BFL's reference code and ComfyUI load; list the diffusers"
          + " folders (model_index.json, transformer/, vae/, ...) for a diffusers server.")
  private List<@Pattern(HuggingFaceNames.INCLUDE_PATTERN) String> include = new ArrayList<>();

  @JsonPropertyDescription(
      "Secret holding a Hugging Face access token (key 'token' by default). Required for gated"
          + " repos (every FLUX [dev] repo): the token's account must have accepted the model's"
          + " licence. Only the loader Job mounts it.")
  private TokenSecretRef tokenSecretRef;

  public String getRepo() {
    return repo;
  }

  public void setRepo(String repo) {
    this.repo = repo;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public List<String> getInclude() {
    return include;
  }

  public void setInclude(List<String> include) {
    this.include = include;
  }

  public TokenSecretRef getTokenSecretRef() {
    return tokenSecretRef;
  }

  public void setTokenSecretRef(TokenSecretRef tokenSecretRef) {
    this.tokenSecretRef = tokenSecretRef;
  }
}
