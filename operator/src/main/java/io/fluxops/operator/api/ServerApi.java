package io.fluxops.operator.api;

import java.util.List;
import java.util.Optional;

/**
 * The API the inference server speaks ({@code spec.server.api}), and what FluxOps presets from it:
 * the serving port, the readiness path, the autoscaler's queue source and how the sidecar counts.
 * Each value comes from the server's own documentation or source; every one can still be set in the
 * spec. The one place these defaults are written down: the CRD leaves those fields without a
 * default, so that the API server does not fill in the {@code custom} values for another server.
 */
public enum ServerApi implements ApiEnum {

  /**
   * A server of your own (today's behaviour): it listens on 8080, answers {@code /healthz} once the
   * model is loaded, and either posts its counts to the sidecar ({@code relay}, BFL's own request
   * shape) or exposes a counter ({@code metric}).
   */
  CUSTOM(
      "custom",
      8080,
      "/healthz",
      List.of(CountingMode.RELAY, CountingMode.METRIC),
      QueueSourceType.PODS,
      null),

  /**
   * ComfyUI: {@code --port} defaults to 8188 and {@code --listen} to 127.0.0.1 (comfy/cli_args.py),
   * so the pod must start it with {@code --listen 0.0.0.0}. {@code GET /system_stats} answers as
   * soon as its HTTP server runs (server.py); ComfyUI loads models per prompt, not at start. It
   * never reports usage: the sidecar follows its history ({@code counting: comfyui}), and the
   * autoscaler reads its queue from {@code GET /prompt} ({@code exec_info.queue_remaining}).
   */
  COMFYUI(
      "comfyui",
      8188,
      "/system_stats",
      List.of(CountingMode.COMFYUI),
      QueueSourceType.COMFYUI,
      null),

  /**
   * NVIDIA's visual GenAI NIMs for FLUX ({@code nvcr.io/nim/black-forest-labs/flux.1-dev} and kin):
   * port 8000, readiness at {@code /v1/health/ready}, {@code POST /v1/infer} answers an {@code
   * artifacts} list (docs.nvidia.com/nim/visual-genai). The port is set with {@code
   * NIM_HTTP_API_PORT} (default 8000; the variable of NVIDIA's NIM containers, e.g.
   * docs.nvidia.com/nim/cosmos-embed1/configuration). A NIM reports nothing to BFL: the sidecar
   * counts its answers as a proxy.
   */
  NIM(
      "nim",
      8000,
      "/v1/health/ready",
      List.of(CountingMode.PROXY),
      QueueSourceType.PODS,
      "NIM_HTTP_API_PORT"),

  /**
   * An OpenAI-style image server ({@code POST /v1/images/generations} and {@code /v1/images/edits}
   * answering {@code data: [{b64_json | url}]}), such as vLLM-Omni: {@code vllm serve <model>
   * --omni --port 8000}, health at {@code GET /health} (docs.vllm.ai/projects/vllm-omni, "Image
   * Generation API", "API Server"). Such servers take their host and port as arguments: pass {@code
   * --host $(FLUXOPS_SERVER_HOST) --port $(FLUXOPS_SERVER_PORT)}. The sidecar counts their answers
   * as a proxy.
   */
  OPENAI("openai", 8000, "/health", List.of(CountingMode.PROXY), QueueSourceType.PODS, null);

  private final String value;
  private final int port;
  private final String readinessPath;
  private final List<CountingMode> countings;
  private final QueueSourceType queueSource;
  private final String portEnv;

  ServerApi(
      String value,
      int port,
      String readinessPath,
      List<CountingMode> countings,
      QueueSourceType queueSource,
      String portEnv) {
    this.value = value;
    this.port = port;
    this.readinessPath = readinessPath;
    this.countings = countings;
    this.queueSource = queueSource;
    this.portEnv = portEnv;
  }

  @Override
  public String value() {
    return value;
  }

  /** The port clients use, when {@code spec.server.port} is unset. */
  public int port() {
    return port;
  }

  /** The readiness path, when {@code spec.server.readinessPath} is unset. */
  public String readinessPath() {
    return readinessPath;
  }

  /** The counting used when {@code spec.license.counting} is unset. */
  public CountingMode defaultCounting() {
    return countings.get(0);
  }

  /** Whether the sidecar can count this server's images that way. */
  public boolean canCount(CountingMode counting) {
    return countings.contains(counting);
  }

  /** The queue source used when {@code spec.autoscaling.queue.source} is unset. */
  public QueueSourceType defaultQueueSource() {
    return queueSource;
  }

  /** Whether the autoscaler can read this server's queue that way: only ComfyUI has its queue. */
  public boolean hasQueue(QueueSourceType source) {
    return source != QueueSourceType.COMFYUI || this == CUSTOM || this == COMFYUI;
  }

  /** The server's own environment variable for its listening port, if it reads one. */
  public Optional<String> portEnv() {
    return Optional.ofNullable(portEnv);
  }

  @Override
  public String toString() {
    return value;
  }
}
