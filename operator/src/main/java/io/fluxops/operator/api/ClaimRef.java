package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A PersistentVolumeClaim in the FluxDeployment's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClaimRef {

  @Required
  @Pattern(Dns.SUBDOMAIN)
  @JsonPropertyDescription("Name of the PersistentVolumeClaim.")
  private String claimName;

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }
}
