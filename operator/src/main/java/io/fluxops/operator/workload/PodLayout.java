package io.fluxops.operator.workload;

import java.util.Set;

/** Names and paths inside an inference pod that other parts (sidecar, docs, tests) rely on. */
public final class PodLayout {

  public static final String INFERENCE_CONTAINER = "inference";
  public static final String METERING_CONTAINER = "metering";

  public static final String HTTP_PORT_NAME = "http";
  public static final String METERING_PORT_NAME = "metering";
  public static final int METERING_PORT = io.fluxops.common.MeteringSidecar.PORT;

  /**
   * The sidecar's usage endpoint, on 127.0.0.1 only: only the pod's own containers reach it. Not a
   * container port, since nothing outside the pod may use it.
   */
  public static final int USAGE_PORT = io.fluxops.common.MeteringSidecar.USAGE_PORT;

  /** With counting proxy, the server's port on the pod's loopback, behind the sidecar. */
  public static final int UPSTREAM_PORT = io.fluxops.common.MeteringSidecar.UPSTREAM_PORT;

  /** Where the licence key file appears in the sidecar, and only there. */
  public static final String LICENSE_DIR = "/var/run/secrets/fluxops/license";

  public static final String LICENSE_FILE_NAME = "api-key";
  public static final String JOURNAL_DIR = "/var/lib/fluxops/journal";
  public static final String TENSORRT_ENGINE_DIR = "/var/cache/fluxops/trt-engines";
  public static final String TMP_DIR = "/tmp";

  public static final String LICENSE_VOLUME = "license";
  public static final String JOURNAL_VOLUME = "metering-journal";
  public static final String METERING_TMP_VOLUME = "metering-tmp";
  public static final String INFERENCE_TMP_VOLUME = "tmp";
  public static final String ENGINE_CACHE_VOLUME = "trt-engines";
  public static final String MODEL_CACHE_VOLUME = "model-cache";

  /** The unprivileged user and group both containers run as. */
  public static final long RUN_AS_USER = 65532L;

  // Environment the inference container gets from FluxOps.
  public static final String ENV_USAGE_URL = "FLUXOPS_USAGE_URL";
  public static final String ENV_MODEL = "FLUXOPS_MODEL";
  public static final String ENV_GPU_TYPE = "FLUXOPS_GPU_TYPE";
  public static final String ENV_SERVER_HOST = "FLUXOPS_SERVER_HOST";
  public static final String ENV_SERVER_PORT = "FLUXOPS_SERVER_PORT";
  public static final String ENV_TRT_MODE = "FLUXOPS_TENSORRT_MODE";
  public static final String ENV_TRT_ENGINE_DIR = "TRT_ENGINE_DIR";
  public static final String ENV_TRT_TRANSFORMER_PRECISION = "TRT_TRANSFORMER_PRECISION";
  public static final String ENV_TRT_T5_PRECISION = "TRT_T5_PRECISION";
  public static final String ENV_TRT_TIMING_CACHE = "TRT_TIMING_CACHE_FILE";

  /** With spec.modelCache.source: the complete revision's directory. */
  public static final String ENV_MODEL_DIR = "FLUXOPS_MODEL_DIR";

  public static final String ENV_HF_HUB_CACHE = "HF_HUB_CACHE";
  public static final String ENV_HF_HUB_OFFLINE = "HF_HUB_OFFLINE";

  /** Names a user may not set in spec.server.env, because FluxOps sets them. */
  public static final Set<String> RESERVED_ENV =
      Set.of(
          ENV_USAGE_URL,
          ENV_MODEL,
          ENV_GPU_TYPE,
          ENV_SERVER_HOST,
          ENV_SERVER_PORT,
          ENV_TRT_MODE,
          ENV_TRT_ENGINE_DIR,
          ENV_TRT_TRANSFORMER_PRECISION,
          ENV_TRT_T5_PRECISION,
          ENV_TRT_TIMING_CACHE,
          ENV_MODEL_DIR);

  private PodLayout() {}
}
