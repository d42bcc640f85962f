package io.fluxops.operator.workload;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fluxops.common.FluxModel;
import io.fluxops.common.GpuType;
import io.fluxops.operator.api.ApiEnum;
import io.fluxops.operator.api.AutoscalingSpec;
import io.fluxops.operator.api.CountingMode;
import io.fluxops.operator.api.FluxDeploymentSpec;
import io.fluxops.operator.api.GpuTypeName;
import io.fluxops.operator.api.HuggingFaceNames;
import io.fluxops.operator.api.LicenseSpec;
import io.fluxops.operator.api.ModelName;
import io.fluxops.operator.api.QueueSourceType;
import io.fluxops.operator.api.QueueSpec;
import io.fluxops.operator.api.RedisKeyType;
import io.fluxops.operator.api.SchemaLimits;
import io.fluxops.operator.api.ServerApi;
import io.fluxops.operator.api.SpecRules;
import io.fluxops.operator.api.TensorRtMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a FluxDeployment spec against the CRD's schema and CEL rules. A real API server rejects
 * such specs before the operator sees them; this catches the rest (API servers without CEL, CRDs
 * older than the operator, the test mock server) with the same messages.
 */
public final class SpecValidator {

  private static final Pattern REDIS_ADDRESS = Pattern.compile("^[^:\\s]+:[0-9]{1,5}$");
  private static final Pattern HTTP_URL = Pattern.compile("^https?://.+");

  private SpecValidator() {}

  /** The outcome: a validated spec, or the problems a user must fix. */
  public sealed interface Result permits Valid, Invalid {}

  public record Valid(ValidatedSpec spec) implements Result {}

  /**
   * @param problems each says what is wrong and what to change
   */
  public record Invalid(List<String> problems) implements Result {
    public String message() {
      return String.join("; ", problems);
    }
  }

  public static Result validate(FluxDeploymentSpec spec) {
    if (spec == null) {
      return new Invalid(List.of("spec is required: set spec.model, spec.gpu and spec.server"));
    }
    List<String> problems = new ArrayList<>(SchemaLimits.violations(spec, "spec"));
    Optional<FluxModel> model =
        parseRequired(ModelName.class, spec.getModel(), "spec.model", problems)
            .map(ModelName::model);
    Optional<GpuType> gpu = checkGpu(spec, problems);
    TensorRtMode tensorRt = checkTensorRt(spec, gpu, problems);
    checkReplicas(spec, problems);
    ServerApi api = checkApi(spec, problems);
    QueueSourceType queueSource = checkAutoscaling(spec.getAutoscaling(), api, problems);
    CountingMode counting = checkLicense(spec, model, api, problems);
    boolean proxied = model.map(FluxModel::metered).orElse(false) && counting == CountingMode.PROXY;
    int servingPort = checkServer(spec, api, proxied, problems);
    model.ifPresent(m -> checkModelCache(spec, m, problems));
    if (!problems.isEmpty()) {
      return new Invalid(List.copyOf(problems));
    }
    String readinessPath =
        spec.getServer().getReadinessPath() == null
            ? api.readinessPath()
            : spec.getServer().getReadinessPath();
    return new Valid(
        new ValidatedSpec(
            spec,
            model.orElseThrow(),
            gpu.orElseThrow(),
            tensorRt,
            model.orElseThrow().metered() ? counting : null,
            queueSource,
            api,
            servingPort,
            readinessPath));
  }

  private static ServerApi checkApi(FluxDeploymentSpec spec, List<String> problems) {
    if (spec.getServer() == null) {
      return ServerApi.CUSTOM;
    }
    return parseOptional(ServerApi.class, spec.getServer().getApi(), "spec.server.api", problems)
        .orElse(ServerApi.CUSTOM);
  }

  private static Optional<GpuType> checkGpu(FluxDeploymentSpec spec, List<String> problems) {
    if (spec.getGpu() == null) {
      problems.add("spec.gpu is required: set spec.gpu.type to rtx-4090 or blackwell");
      return Optional.empty();
    }
    return parseRequired(GpuTypeName.class, spec.getGpu().getType(), "spec.gpu.type", problems)
        .map(GpuTypeName::type);
  }

  private static TensorRtMode checkTensorRt(
      FluxDeploymentSpec spec, Optional<GpuType> gpu, List<String> problems) {
    if (spec.getTensorRT() == null) {
      return TensorRtMode.DISABLED;
    }
    TensorRtMode mode =
        parseOptional(
                TensorRtMode.class, spec.getTensorRT().getMode(), "spec.tensorRT.mode", problems)
            .orElse(TensorRtMode.DISABLED);
    if (mode == TensorRtMode.FP4 && gpu.isPresent() && !gpu.get().supportsFp4()) {
      problems.add(SpecRules.FP4_NEEDS_BLACKWELL_MESSAGE);
    }
    if (spec.getTensorRT().getEngineCache() != null) {
      checkName(
          spec.getTensorRT().getEngineCache().getClaimName(),
          "spec.tensorRT.engineCache.claimName",
          problems);
    }
    return mode;
  }

  private static void checkReplicas(FluxDeploymentSpec spec, List<String> problems) {
    if (spec.getReplicas() != null) {
      if (spec.getAutoscaling() != null) {
        problems.add(SpecRules.REPLICAS_XOR_AUTOSCALING_MESSAGE);
      }
    }
  }

  private static QueueSourceType checkAutoscaling(
      AutoscalingSpec as, ServerApi api, List<String> problems) {
    if (as == null) {
      return null;
    }
    if (as.getMinReplicas() > as.getMaxReplicas()) {
      problems.add(SpecRules.MIN_NOT_ABOVE_MAX_MESSAGE);
    }
    QueueSourceType source = checkQueue(as.getQueue(), api, problems);
    if (as.getMinReplicas() == 0 && source != null && !source.outsidePods()) {
      problems.add(SpecRules.ZERO_NEEDS_EXTERNAL_QUEUE_MESSAGE);
    }
    return source;
  }

  private static QueueSourceType checkQueue(QueueSpec queue, ServerApi api, List<String> problems) {
    if (queue == null || queue.getSource() == null) {
      return api.defaultQueueSource();
    }
    Optional<QueueSourceType> source =
        parseOptional(
            QueueSourceType.class, queue.getSource(), "spec.autoscaling.queue.source", problems);
    if (source.isPresent() && !api.hasQueue(source.get())) {
      problems.add(SpecRules.COMFYUI_QUEUE_NEEDS_COMFYUI_MESSAGE);
    }
    if (source.orElse(null) == QueueSourceType.PROMETHEUS) {
      var prometheus = queue.getPrometheus();
      if (prometheus == null || blank(prometheus.getUrl()) || blank(prometheus.getQuery())) {
        problems.add(SpecRules.PROMETHEUS_QUEUE_CONFIGURED_MESSAGE);
      } else if (!HTTP_URL.matcher(prometheus.getUrl()).matches()) {
        problems.add(
            "spec.autoscaling.queue.prometheus.url \""
                + prometheus.getUrl()
                + "\" is not an http(s) URL: write it as http://prometheus:9090");
      }
    }
    if (source.orElse(null) == QueueSourceType.REDIS) {
      var redis = queue.getRedis();
      if (redis == null || blank(redis.getAddress()) || blank(redis.getKey())) {
        problems.add(SpecRules.REDIS_QUEUE_CONFIGURED_MESSAGE);
      } else {
        if (!REDIS_ADDRESS.matcher(redis.getAddress()).matches()) {
          problems.add(
              "spec.autoscaling.queue.redis.address \""
                  + redis.getAddress()
                  + "\" is not host:port: write it as redis:6379");
        }
        parseOptional(
            RedisKeyType.class, redis.getType(), "spec.autoscaling.queue.redis.type", problems);
      }
    }
    return source.orElse(null);
  }

  private static CountingMode checkLicense(
      FluxDeploymentSpec spec, Optional<FluxModel> model, ServerApi api, List<String> problems) {
    LicenseSpec license = spec.getLicense();
    if (license == null) {
      if (model.isPresent() && model.get().metered()) {
        problems.add(SpecRules.LICENSE_REQUIRED_MESSAGE);
      }
      return null;
    }
    if (license.getSecretRef() == null) {
      problems.add(
          "spec.license.secretRef is required: name the Secret (and key, default api-key) that"
              + " holds your BFL API key");
    } else {
      checkName(license.getSecretRef().getName(), "spec.license.secretRef.name", problems);
      if (blank(license.getSecretRef().getKey())) {
        problems.add("spec.license.secretRef.key must not be empty: the default is api-key");
      }
    }
    if (license.getUsageEndpoint() != null
        && !HTTP_URL.matcher(license.getUsageEndpoint()).matches()) {
      problems.add(
          "spec.license.usageEndpoint \""
              + license.getUsageEndpoint()
              + "\" is not an http(s) URL: leave it unset for "
              + LicenseSpec.BFL_USAGE_ENDPOINT);
    }
    Optional<CountingMode> counting =
        parseOptional(CountingMode.class, license.getCounting(), "spec.license.counting", problems);
    if (counting.isPresent() && !api.canCount(counting.get())) {
      problems.add(
          switch (counting.get()) {
            case PROXY -> SpecRules.PROXY_NEEDS_KNOWN_API_MESSAGE;
            case COMFYUI -> SpecRules.COMFYUI_COUNTING_NEEDS_COMFYUI_MESSAGE;
            case RELAY, METRIC -> SpecRules.KNOWN_SERVERS_DO_NOT_REPORT_MESSAGE;
          });
    }
    return counting.orElse(api.defaultCounting());
  }

  private static void checkModelCache(
      FluxDeploymentSpec spec, FluxModel model, List<String> problems) {
    var cache = spec.getModelCache();
    if (cache == null || cache.getSource() == null) {
      return;
    }
    var hf = cache.getSource().getHuggingface();
    if (hf == null) {
      problems.add(
          "spec.modelCache.source.huggingface is required: the Hugging Face repo to fill the"
              + " claim from");
      return;
    }
    if (hf.getRepo() == null && model.huggingFaceRepo().isEmpty()) {
      problems.add(SpecRules.CACHE_REPO_FOR_TOOLS_MESSAGE);
    }
    if (hf.getRepo() != null
        && (!HuggingFaceNames.REPO.matcher(hf.getRepo()).matches()
            || hf.getRepo().contains("--")
            || hf.getRepo().contains(".."))) {
      problems.add(
          "spec.modelCache.source.huggingface.repo \""
              + hf.getRepo()
              + "\" is not a Hugging Face repo id: owner/name of letters, digits, '-', '_', '.'"
              + " (no '--' or '..'), such as black-forest-labs/FLUX.1-dev");
    }
    if (hf.getRevision() != null
        && (!HuggingFaceNames.REVISION.matcher(hf.getRevision()).matches()
            || hf.getRevision().contains(".."))) {
      problems.add(
          "spec.modelCache.source.huggingface.revision \""
              + hf.getRevision()
              + "\" is not a branch, tag or commit: letters, digits, '.', '_', '-', '/'");
    }
    for (String pattern : hf.getInclude() == null ? List.<String>of() : hf.getInclude()) {
      if (pattern == null || !HuggingFaceNames.INCLUDE.matcher(pattern).matches()) {
        problems.add(
            "spec.modelCache.source.huggingface.include has \""
                + pattern
                + "\": a pattern may not be empty or hold a comma or a control character");
      }
    }
    var token = hf.getTokenSecretRef();
    if (token != null) {
      checkName(
          token.getName(), "spec.modelCache.source.huggingface.tokenSecretRef.name", problems);
      if (spec.getLicense() != null
          && spec.getLicense().getSecretRef() != null
          && token.getName() != null
          && token.getName().equals(spec.getLicense().getSecretRef().getName())) {
        problems.add(SpecRules.TOKEN_APART_FROM_LICENSE_MESSAGE);
      }
      for (EnvVar env : spec.getServer() == null ? List.<EnvVar>of() : spec.getServer().getEnv()) {
        var from = env.getValueFrom();
        if (from != null
            && from.getSecretKeyRef() != null
            && token.getName() != null
            && token.getName().equals(from.getSecretKeyRef().getName())) {
          problems.add(
              "spec.server.env "
                  + env.getName()
                  + " reads the Hugging Face token's Secret "
                  + token.getName()
                  + ": only the loader Job holds the token; the server reads the weights from"
                  + " the claim");
        }
      }
    }
  }

  /** Checks spec.server; answers the serving port, the spec's or the preset's. */
  private static int checkServer(
      FluxDeploymentSpec spec, ServerApi api, boolean proxied, List<String> problems) {
    var server = spec.getServer();
    if (server == null || blank(server.getImage())) {
      problems.add("spec.server.image is required: the container image of the inference server");
      return api.port();
    }
    int port = server.getPort() == null ? api.port() : server.getPort();
    if (port == PodLayout.METERING_PORT || port == PodLayout.USAGE_PORT) {
      problems.add(
          "spec.server.port "
              + port
              + " is a port of the metering sidecar: choose another port for the server");
    }
    if (proxied && port == PodLayout.UPSTREAM_PORT) {
      problems.add(
          "spec.server.port "
              + port
              + " is where the server itself listens behind the sidecar with counting proxy:"
              + " choose another serving port");
    }
    for (var pullSecret : server.getImagePullSecrets()) {
      checkName(pullSecret.getName(), "spec.server.imagePullSecrets[].name", problems);
    }
    String licenseSecret =
        spec.getLicense() == null || spec.getLicense().getSecretRef() == null
            ? null
            : spec.getLicense().getSecretRef().getName();
    for (EnvVar env : server.getEnv()) {
      checkEnv(env, licenseSecret, problems);
      if (api.portEnv().filter(env.getName()::equals).isPresent()) {
        problems.add(
            "spec.server.env "
                + env.getName()
                + " is set by FluxOps for server.api "
                + api.value()
                + " (to spec.server.port, or to "
                + PodLayout.UPSTREAM_PORT
                + " on 127.0.0.1 behind the sidecar with counting proxy): remove it, and set"
                + " spec.server.port to change the serving port");
      }
    }
    return port;
  }

  private static void checkEnv(EnvVar env, String licenseSecret, List<String> problems) {
    if (PodLayout.RESERVED_ENV.contains(env.getName())) {
      problems.add(
          "spec.server.env "
              + env.getName()
              + " is set by FluxOps: remove it from spec.server.env");
    }
    var from = env.getValueFrom();
    if (licenseSecret != null
        && from != null
        && from.getSecretKeyRef() != null
        && licenseSecret.equals(from.getSecretKeyRef().getName())) {
      problems.add(
          "spec.server.env "
              + env.getName()
              + " reads the licence Secret "
              + licenseSecret
              + ": only the metering sidecar may hold the BFL key; post usage to"
              + " FLUXOPS_USAGE_URL instead");
    }
  }

  private static <E extends Enum<E> & ApiEnum> Optional<E> parseRequired(
      Class<E> type, String value, String field, List<String> problems) {
    if (blank(value)) {
      problems.add(field + " is required: use one of " + ApiEnum.allowed(type));
      return Optional.empty();
    }
    return parseOptional(type, value, field, problems);
  }

  private static <E extends Enum<E> & ApiEnum> Optional<E> parseOptional(
      Class<E> type, String value, String field, List<String> problems) {
    if (value == null) {
      return Optional.empty();
    }
    Optional<E> parsed = ApiEnum.parse(type, value);
    if (parsed.isEmpty()) {
      problems.add(
          field + " \"" + value + "\" is not supported: use one of " + ApiEnum.allowed(type));
    }
    return parsed;
  }

  private static void checkName(String name, String field, List<String> problems) {
    if (blank(name)) {
      problems.add(field + " is required");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
