package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed. Written only by the operator, through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FluxDeploymentStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Progressing, GPUAvailable, LicenseConfigured, Metering and Autoscaling, in the"
          + " metav1.Condition shape.")
  private List<Condition> conditions = new ArrayList<>();

  @StatusReplicas
  @JsonPropertyDescription("Pods of the inference Deployment.")
  private Integer replicas;

  @JsonPropertyDescription("Pods that are ready to serve.")
  private Integer readyReplicas;

  @JsonPropertyDescription("readyReplicas/replicas, for kubectl get.")
  private String ready;

  @JsonPropertyDescription("Replicas the operator wants: spec.replicas or the autoscaler's pick.")
  private Integer desiredReplicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the pods, for the scale subresource.")
  private String selector;

  @JsonPropertyDescription("Last queue depth the autoscaler read.")
  private Long queueDepth;

  @JsonPropertyDescription("When the autoscaler last changed the replicas (RFC 3339).")
  private String lastScaleTime;

  @JsonPropertyDescription(
      "Deprecated: the text form of the autoscaler's memory that operators before"
          + " status.autoscaler wrote. Read once on upgrade, so the windows are kept, then"
          + " cleared.")
  private String autoscalerState;

  @JsonPropertyDescription(
      "What the autoscaler sized on (the rule, the arrival rate, the measured time per image and"
          + " pod start) and its memory, so a restarted operator keeps its windows and"
          + " measurements.")
  private AutoscalerStatus autoscaler;

  @JsonPropertyDescription("Images counted and reported by the metering sidecars.")
  private UsageStatus usage;

  @JsonPropertyDescription("Cost per image on these GPUs, beside the managed API's price.")
  private CostStatus cost;

  @JsonPropertyDescription(
      "The model cache filled from spec.modelCache.source: how far it is, and the revision the"
          + " pods run on.")
  private ModelCacheStatus modelCache;

  public ModelCacheStatus getModelCache() {
    return modelCache;
  }

  public void setModelCache(ModelCacheStatus modelCache) {
    this.modelCache = modelCache;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getReady() {
    return ready;
  }

  public void setReady(String ready) {
    this.ready = ready;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public Long getQueueDepth() {
    return queueDepth;
  }

  public void setQueueDepth(Long queueDepth) {
    this.queueDepth = queueDepth;
  }

  public String getLastScaleTime() {
    return lastScaleTime;
  }

  public void setLastScaleTime(String lastScaleTime) {
    this.lastScaleTime = lastScaleTime;
  }

  public String getAutoscalerState() {
    return autoscalerState;
  }

  public void setAutoscalerState(String autoscalerState) {
    this.autoscalerState = autoscalerState;
  }

  public AutoscalerStatus getAutoscaler() {
    return autoscaler;
  }

  public void setAutoscaler(AutoscalerStatus autoscaler) {
    this.autoscaler = autoscaler;
  }

  public UsageStatus getUsage() {
    return usage;
  }

  public void setUsage(UsageStatus usage) {
    this.usage = usage;
  }

  public CostStatus getCost() {
    return cost;
  }

  public void setCost(CostStatus cost) {
    this.cost = cost;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FluxDeploymentStatus other)) {
      return false;
    }
    return Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(replicas, other.replicas)
        && Objects.equals(readyReplicas, other.readyReplicas)
        && Objects.equals(ready, other.ready)
        && Objects.equals(desiredReplicas, other.desiredReplicas)
        && Objects.equals(selector, other.selector)
        && Objects.equals(queueDepth, other.queueDepth)
        && Objects.equals(lastScaleTime, other.lastScaleTime)
        && Objects.equals(autoscalerState, other.autoscalerState)
        && Objects.equals(autoscaler, other.autoscaler)
        && Objects.equals(usage, other.usage)
        && Objects.equals(cost, other.cost)
        && Objects.equals(modelCache, other.modelCache);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, replicas, readyReplicas, selector);
  }
}
