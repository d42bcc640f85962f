package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An instant query against a Prometheus server's HTTP API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusQueueSpec {

  @Required
  @Pattern("^https?://.+")
  @JsonPropertyDescription("Base URL of the Prometheus server, e.g. http://prometheus:9090.")
  private String url;

  @Required
  @JsonPropertyDescription("PromQL that returns one number: the jobs waiting or running.")
  private String query;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getQuery() {
    return query;
  }

  public void setQuery(String query) {
    this.query = query;
  }
}
