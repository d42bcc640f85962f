package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Queue-depth autoscaling: replicas = ceil(queue / targetQueueDepth), within min and max. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = SpecRules.MIN_NOT_ABOVE_MAX, message = SpecRules.MIN_NOT_ABOVE_MAX_MESSAGE)
@ValidationRule(
    value = SpecRules.ZERO_NEEDS_EXTERNAL_QUEUE,
    message = SpecRules.ZERO_NEEDS_EXTERNAL_QUEUE_MESSAGE)
public class AutoscalingSpec {

  @Min(0)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription(
      "Fewest replicas. 0 scales to zero when the queue stays empty, which needs a queue"
          + " outside the pods (prometheus or redis).")
  @JsonDeserialize(using = LenientInt.class)
  private int minReplicas = 1;

  @Min(1)
  @Max(1000)
  @Default("8")
  @JsonPropertyDescription("Most replicas.")
  @JsonDeserialize(using = LenientInt.class)
  private int maxReplicas = 8;

  @Min(1)
  @Max(10000)
  @Default("2")
  @JsonPropertyDescription("Queued plus running generations one replica should carry.")
  @JsonDeserialize(using = LenientInt.class)
  private int targetQueueDepth = 2;

  @JsonPropertyDescription("Where to read the queue depth (pods' metrics if unset).")
  private QueueSpec queue;

  @Min(1)
  @Max(300)
  @Default("5")
  @JsonPropertyDescription("Seconds between queue readings.")
  @JsonDeserialize(using = LenientInt.class)
  private int pollIntervalSeconds = 5;

  @Min(0)
  @Max(3600)
  @Default("0")
  @JsonPropertyDescription(
      "Seconds of readings a scale-up looks back over (it takes the lowest); 0 scales up at"
          + " once.")
  @JsonDeserialize(using = LenientInt.class)
  private int scaleUpStabilizationSeconds = 0;

  @Min(0)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds of recommendations a scale-down looks back over (it takes the highest), so a short"
          + " lull does not stop GPUs that are needed again soon. Unset: 60 while the pods' image"
          + " counts are read, 300 on queue depth alone, or the pod start the operator measures"
          + " if that is longer (holding an idle GPU that long costs what starting it again"
          + " would). A value set here serves both.")
  @JsonDeserialize(using = LenientInt.class)
  private Integer scaleDownStabilizationSeconds;

  @Min(0)
  @Max(86400)
  @Default("300")
  @JsonPropertyDescription(
      "With minReplicas 0 and the pods' image counts: seconds the queue must stay empty, at"
          + " least, before the last replica goes. The next image then waits a whole pod start;"
          + " 300 s is about where an idle GPU hour costs what such late images are worth at the"
          + " managed API's price. With scaleDownStabilizationSeconds unset, replicas may be held"
          + " longer, up to 30 minutes, where their recent idle gaps show that holding through"
          + " them costs less than starting pods again.")
  @JsonDeserialize(using = LenientInt.class)
  private int idleBeforeZeroSeconds = 300;

  public int getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(int minReplicas) {
    this.minReplicas = minReplicas;
  }

  public int getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(int maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public int getTargetQueueDepth() {
    return targetQueueDepth;
  }

  public void setTargetQueueDepth(int targetQueueDepth) {
    this.targetQueueDepth = targetQueueDepth;
  }

  public QueueSpec getQueue() {
    return queue;
  }

  public void setQueue(QueueSpec queue) {
    this.queue = queue;
  }

  public int getPollIntervalSeconds() {
    return pollIntervalSeconds;
  }

  public void setPollIntervalSeconds(int pollIntervalSeconds) {
    this.pollIntervalSeconds = pollIntervalSeconds;
  }

  public int getScaleUpStabilizationSeconds() {
    return scaleUpStabilizationSeconds;
  }

  public void setScaleUpStabilizationSeconds(int scaleUpStabilizationSeconds) {
    this.scaleUpStabilizationSeconds = scaleUpStabilizationSeconds;
  }

  public Integer getScaleDownStabilizationSeconds() {
    return scaleDownStabilizationSeconds;
  }

  public void setScaleDownStabilizationSeconds(Integer scaleDownStabilizationSeconds) {
    this.scaleDownStabilizationSeconds = scaleDownStabilizationSeconds;
  }

  public int getIdleBeforeZeroSeconds() {
    return idleBeforeZeroSeconds;
  }

  public void setIdleBeforeZeroSeconds(int idleBeforeZeroSeconds) {
    this.idleBeforeZeroSeconds = idleBeforeZeroSeconds;
  }
}
