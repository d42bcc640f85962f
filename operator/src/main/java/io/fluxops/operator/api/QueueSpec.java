package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.ValidationRule;

/** The queue the autoscaler reads. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = SpecRules.PROMETHEUS_QUEUE_CONFIGURED,
    message = SpecRules.PROMETHEUS_QUEUE_CONFIGURED_MESSAGE)
@ValidationRule(
    value = SpecRules.REDIS_QUEUE_CONFIGURED,
    message = SpecRules.REDIS_QUEUE_CONFIGURED_MESSAGE)
public class QueueSpec {

  @SchemaFrom(type = QueueSourceType.class)
  @JsonPropertyDescription(
      "pods (each ready pod's Prometheus metric, summed), comfyui (each ready pod's GET"
          + " /prompt exec_info.queue_remaining), prometheus (an instant query) or redis (a list"
          + " or stream length). Unset: comfyui for server.api comfyui, pods otherwise.")
  private String source;

  @JsonPropertyDescription("For source pods: the metric each pod exposes.")
  private PodsQueueSpec pods;

  @JsonPropertyDescription("For source comfyui: the port ComfyUI listens on in each pod.")
  private ComfyUiQueueSpec comfyui;

  @JsonPropertyDescription("For source prometheus: the server and the query.")
  private PrometheusQueueSpec prometheus;

  @JsonPropertyDescription("For source redis: the server and the key.")
  private RedisQueueSpec redis;

  /** The source as written in the spec; {@code null} for the preset's. */
  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public PodsQueueSpec getPods() {
    return pods;
  }

  public void setPods(PodsQueueSpec pods) {
    this.pods = pods;
  }

  public ComfyUiQueueSpec getComfyui() {
    return comfyui;
  }

  public void setComfyui(ComfyUiQueueSpec comfyui) {
    this.comfyui = comfyui;
  }

  public PrometheusQueueSpec getPrometheus() {
    return prometheus;
  }

  public void setPrometheus(PrometheusQueueSpec prometheus) {
    this.prometheus = prometheus;
  }

  public RedisQueueSpec getRedis() {
    return redis;
  }

  public void setRedis(RedisQueueSpec redis) {
    this.redis = redis;
  }
}
