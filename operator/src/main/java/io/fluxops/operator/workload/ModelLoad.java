package io.fluxops.operator.workload;

import io.fluxops.common.FluxModel;
import io.fluxops.operator.api.FluxDeploymentSpec;
import io.fluxops.operator.api.HuggingFaceSourceSpec;
import io.fluxops.operator.api.ModelCacheSpec;
import io.fluxops.operator.api.TokenSecretRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The load a spec asks for, with its defaults filled in, and the key that names its Job: what
 * changes the key (repo, revision, files, claim, token Secret) is a new load, in a new Job; a load
 * already complete finishes in seconds without a download.
 *
 * @param include the file patterns; never empty (the model's default when the spec has none)
 * @param token the token's Secret, if the spec names one
 */
public record ModelLoad(
    String repo,
    String revision,
    List<String> include,
    Optional<TokenSecretRef> token,
    String claimName,
    String mountPath,
    String key) {

  /** Kubernetes names a Job's pods after it and labels them with its name: 63 characters. */
  private static final int MAX_JOB_NAME = 63;

  private static final String JOB_INFIX = "-model-";

  public ModelLoad {
    include = List.copyOf(include);
  }

  /**
   * The load of a spec with {@code modelCache.source.huggingface}; empty without one. The spec is
   * valid: a model without a default repo (flux-tools) names its repo.
   */
  public static Optional<ModelLoad> of(FluxDeploymentSpec spec, FluxModel model) {
    ModelCacheSpec cache = spec.getModelCache();
    if (cache == null || cache.getSource() == null || cache.getSource().getHuggingface() == null) {
      return Optional.empty();
    }
    HuggingFaceSourceSpec hf = cache.getSource().getHuggingface();
    String repo = hf.getRepo() != null ? hf.getRepo() : model.huggingFaceRepo().orElseThrow();
    List<String> include =
        hf.getInclude() == null || hf.getInclude().isEmpty()
            ? defaultInclude(model, repo)
            : List.copyOf(hf.getInclude());
    String revision = hf.getRevision() == null ? "main" : hf.getRevision();
    Optional<TokenSecretRef> token = Optional.ofNullable(hf.getTokenSecretRef());
    String key =
        key(
            repo,
            revision,
            include,
            cache.getClaimName(),
            token.map(t -> t.getName() + "/" + t.getKey()).orElse(""));
    return Optional.of(
        new ModelLoad(
            repo, revision, include, token, cache.getClaimName(), cache.getMountPath(), key));
  }

  /**
   * What the server loads when the spec lists no files: BFL's single-file checkpoint and its
   * autoencoder, the files BFL's reference code and ComfyUI read, when the repo is the model's own;
   * every file of any other repo.
   */
  static List<String> defaultInclude(FluxModel model, String repo) {
    if (model.huggingFaceRepo().filter(repo::equals).isPresent()) {
      return List.of(model.checkpoint().orElseThrow(), "ae.safetensors");
    }
    return List.of("*");
  }

  /** The loader Job's name: {@code {name}-model-{key}}, the name cut to fit 63 characters. */
  public String jobName(String fluxDeployment) {
    int room = MAX_JOB_NAME - JOB_INFIX.length() - key.length();
    String base =
        fluxDeployment.length() > room ? fluxDeployment.substring(0, room) : fluxDeployment;
    // A name cut after a '-' or '.' would end the prefix with one: DNS labels may not.
    base = base.replaceAll("[-.]+$", "");
    return base + JOB_INFIX + key;
  }

  private static String key(String... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String key(
      String repo, String revision, List<String> include, String claim, String token) {
    return key(repo, revision, String.join("\n", include), claim, token);
  }
}
