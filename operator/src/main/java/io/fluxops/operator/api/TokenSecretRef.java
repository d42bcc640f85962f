package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key in a Secret of the FluxDeployment's namespace holding a Hugging Face token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenSecretRef {

  @Required
  @Pattern(Dns.SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  @Default("token")
  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key in the Secret's data.")
  private String key = "token";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
