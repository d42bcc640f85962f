package io.fluxops.metering.config;

import java.util.Locale;
import java.util.Set;

/**
 * The inference server APIs whose successful responses the proxy counts images in. Each knows which
 * requests generate images; everything else passes through uncounted.
 */
public enum ServerApi {
  /**
   * NVIDIA's visual GenAI NIMs (FLUX.1-dev, Kontext, ...): {@code POST /v1/infer} answers {@code
   * {"artifacts": [{"base64", "finishReason", "seed"}]}} (docs.nvidia.com/nim/visual-genai, API
   * reference); an artifact counts when its finish reason is {@code SUCCESS}, the one value that
   * documents a delivered image.
   */
  NIM(Set.of("/v1/infer")),
  /**
   * OpenAI-style image APIs (vLLM-Omni, SGLang diffusion, NIM's compatible endpoints): {@code POST
   * /v1/images/generations} and {@code /v1/images/edits} answer {@code {"data": [{"b64_json" |
   * "url"}]}}, one entry per image.
   */
  OPENAI(Set.of("/v1/images/generations", "/v1/images/edits"));

  private final Set<String> generatingPaths;

  ServerApi(Set<String> generatingPaths) {
    this.generatingPaths = generatingPaths;
  }

  /** Whether a request generates images, so that its successful response is counted. */
  public boolean generates(String method, String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return method.equals("POST") && generatingPaths.contains(trimmed);
  }

  /** The value as written in {@code FLUXOPS_SERVER_API}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
