package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A job queue in Redis: a list (LLEN) or a stream (XLEN, or a consumer group's backlog). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisQueueSpec {

  @Required
  @Pattern("^[^:\\s]+:[0-9]{1,5}$")
  @JsonPropertyDescription("host:port of the Redis server.")
  private String address;

  @Required
  @JsonPropertyDescription("The key of the list or stream.")
  private String key;

  @Default("list")
  @SchemaFrom(type = RedisKeyType.class)
  @JsonPropertyDescription("list or stream.")
  private String type = RedisKeyType.LIST.value();

  @JsonPropertyDescription(
      "For a stream: the consumer group whose backlog (undelivered plus pending entries) is the"
          + " queue. Without it the stream's length is.")
  private String group;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }
}
