package io.fluxops.operator.api;

/**
 * The cross-field rules of a FluxDeployment, as CEL for the CRD's {@code x-kubernetes-validations}
 * and as the message a user reads. The operator checks the same rules again in Java (see {@code
 * SpecValidator}) because not every API server it meets runs CEL; both use these messages.
 */
public final class SpecRules {

  public static final String REPLICAS_XOR_AUTOSCALING =
      "!(has(self.replicas) && has(self.autoscaling))";
  public static final String REPLICAS_XOR_AUTOSCALING_MESSAGE =
      "spec.replicas and spec.autoscaling are exclusive: remove spec.replicas to autoscale, or"
          + " remove spec.autoscaling to run a fixed number of replicas";

  public static final String FP4_NEEDS_BLACKWELL =
      "!has(self.tensorRT) || !has(self.tensorRT.mode) || self.tensorRT.mode != 'fp4'"
          + " || self.gpu.type == 'blackwell'";
  public static final String FP4_NEEDS_BLACKWELL_MESSAGE =
      "spec.tensorRT.mode fp4 (NVFP4) runs only on Blackwell GPUs: set spec.gpu.type to"
          + " blackwell, or choose tensorRT.mode fp8 or bf16";

  public static final String LICENSE_REQUIRED =
      "self.model == 'flux-1-schnell' || has(self.license)";
  public static final String LICENSE_REQUIRED_MESSAGE =
      "every model but flux-1-schnell is licensed per image by BFL: set spec.license.secretRef"
          + " to the Secret that holds your BFL API key";

  public static final String MIN_NOT_ABOVE_MAX =
      "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas";
  public static final String MIN_NOT_ABOVE_MAX_MESSAGE =
      "spec.autoscaling.minReplicas must not exceed spec.autoscaling.maxReplicas: lower"
          + " minReplicas or raise maxReplicas";

  public static final String ZERO_NEEDS_EXTERNAL_QUEUE =
      "!has(self.minReplicas) || self.minReplicas > 0 || (has(self.queue) &&"
          + " has(self.queue.source) && self.queue.source in ['prometheus', 'redis'])";
  public static final String ZERO_NEEDS_EXTERNAL_QUEUE_MESSAGE =
      "spec.autoscaling.minReplicas 0 needs a queue that exists without pods: set"
          + " spec.autoscaling.queue.source to prometheus or redis, or set minReplicas to 1 or"
          + " more";

  public static final String PROMETHEUS_QUEUE_CONFIGURED =
      "!has(self.source) || self.source != 'prometheus' || has(self.prometheus)";
  public static final String PROMETHEUS_QUEUE_CONFIGURED_MESSAGE =
      "spec.autoscaling.queue.source prometheus needs spec.autoscaling.queue.prometheus with"
          + " url and query";

  public static final String REDIS_QUEUE_CONFIGURED =
      "!has(self.source) || self.source != 'redis' || has(self.redis)";
  public static final String REDIS_QUEUE_CONFIGURED_MESSAGE =
      "spec.autoscaling.queue.source redis needs spec.autoscaling.queue.redis with address and"
          + " key";

  public static final String CACHE_REPO_FOR_TOOLS =
      "self.model != 'flux-tools' || !has(self.modelCache) || !has(self.modelCache.source)"
          + " || has(self.modelCache.source.huggingface.repo)";
  public static final String CACHE_REPO_FOR_TOOLS_MESSAGE =
      "flux-tools spans four Hugging Face repos (black-forest-labs/FLUX.1-Fill-dev, -Canny-dev,"
          + " -Depth-dev, -Redux-dev): set spec.modelCache.source.huggingface.repo to the one"
          + " you serve";

  public static final String TOKEN_APART_FROM_LICENSE =
      "!has(self.license) || !has(self.license.secretRef) || !has(self.modelCache)"
          + " || !has(self.modelCache.source)"
          + " || !has(self.modelCache.source.huggingface.tokenSecretRef)"
          + " || self.modelCache.source.huggingface.tokenSecretRef.name"
          + " != self.license.secretRef.name";
  public static final String TOKEN_APART_FROM_LICENSE_MESSAGE =
      "spec.modelCache.source.huggingface.tokenSecretRef and spec.license.secretRef name the"
          + " same Secret: keep the Hugging Face token and the BFL key in two Secrets, so that"
          + " the loader never mounts the key and the sidecar never the token";

  /** spec.server.api with its CRD default, for rules that sit on the spec. */
  private static final String API = "(has(self.server.api) ? self.server.api : 'custom')";

  private static final String COUNTING_SET = "has(self.license) && has(self.license.counting)";

  public static final String PROXY_NEEDS_KNOWN_API =
      "!("
          + COUNTING_SET
          + ") || self.license.counting != 'proxy' || "
          + API
          + " in ['nim', 'openai']";
  public static final String PROXY_NEEDS_KNOWN_API_MESSAGE =
      "spec.license.counting proxy counts the images in the answers of an API the sidecar knows:"
          + " set spec.server.api to nim or openai, whichever your server speaks; a server that"
          + " posts its own counts uses counting relay, one with an image counter counting metric";

  public static final String COMFYUI_COUNTING_NEEDS_COMFYUI =
      "!(" + COUNTING_SET + ") || self.license.counting != 'comfyui' || " + API + " == 'comfyui'";
  public static final String COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE =
      "spec.license.counting comfyui follows ComfyUI's own history: set spec.server.api to"
          + " comfyui, or remove spec.license.counting to count the way your server's api presets";

  public static final String KNOWN_SERVERS_DO_NOT_REPORT =
      "!("
          + COUNTING_SET
          + ") || !(self.license.counting in ['relay', 'metric']) || "
          + API
          + " == 'custom'";
  public static final String KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE =
      "spec.license.counting relay and metric need a server that reports by itself, and ComfyUI,"
          + " NIMs and OpenAI-style servers neither post usage nor expose an image counter: remove"
          + " spec.license.counting to count the way spec.server.api presets (comfyui, or proxy"
          + " for nim and openai), or set spec.server.api to custom if your server reports itself";

  public static final String COMFYUI_QUEUE_NEEDS_COMFYUI =
      "!has(self.autoscaling) || !has(self.autoscaling.queue) ||"
          + " !has(self.autoscaling.queue.source) || self.autoscaling.queue.source != 'comfyui'"
          + " || "
          + API
          + " in ['custom', 'comfyui']";
  public static final String COMFYUI_QUEUE_NEEDS_COMFYUI_MESSAGE =
      "spec.autoscaling.queue.source comfyui reads ComfyUI's GET /prompt, which nim and openai"
          + " servers do not have: use queue.source pods (the sidecar's count of requests in"
          + " flight), prometheus or redis";

  private SpecRules() {}
}
