package io.fluxops.operator.api;

/** Where the autoscaler reads queue depth from. */
public enum QueueSourceType implements ApiEnum {
  /** Each ready pod's Prometheus endpoint, summed. */
  PODS("pods", false),
  /** Each ready pod's ComfyUI {@code GET /prompt}, {@code exec_info.queue_remaining}. */
  COMFYUI("comfyui", false),
  /** An instant query against a Prometheus server. */
  PROMETHEUS("prometheus", true),
  /** The length of a Redis list or stream. */
  REDIS("redis", true);

  private final String value;
  private final boolean outsidePods;

  QueueSourceType(String value, boolean outsidePods) {
    this.value = value;
    this.outsidePods = outsidePods;
  }

  @Override
  public String value() {
    return value;
  }

  /** Whether the queue can still be read when no pod runs, which scale-to-zero needs. */
  public boolean outsidePods() {
    return outsidePods;
  }

  @Override
  public String toString() {
    return value;
  }
}
