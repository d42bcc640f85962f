package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Model weights on a PersistentVolumeClaim, so pods do not download them on every start. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelCacheSpec {

  @Required
  @Pattern(Dns.SUBDOMAIN)
  @JsonPropertyDescription("Name of the PersistentVolumeClaim holding the weights.")
  private String claimName;

  @Default("/models")
  @Pattern("^/.*")
  @JsonPropertyDescription("Where the server sees the weights.")
  private String mountPath = "/models";

  @Default("false")
  @JsonPropertyDescription(
      "Mount read-only in the inference pods (the loader Job always mounts the claim read-write).")
  private boolean readOnly = false;

  @JsonPropertyDescription(
      "Fill the claim before any GPU pod starts. Without it, the claim is filled by hand.")
  private ModelSourceSpec source;

  public ModelSourceSpec getSource() {
    return source;
  }

  public void setSource(ModelSourceSpec source) {
    this.source = source;
  }

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public String getMountPath() {
    return mountPath;
  }

  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  public void setReadOnly(boolean readOnly) {
    this.readOnly = readOnly;
  }
}
