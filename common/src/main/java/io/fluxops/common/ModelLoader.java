package io.fluxops.common;

import java.util.List;

/**
 * What the operator and the model loader (loader/) must agree on: the environment the loader Job
 * sets, the loader's status port, what its exit codes mean, and where in the claim a revision
 * lands. The loader defines the meaning of each variable (its Setting enum); the names live here so
 * that the operator, which builds the Job, cannot spell one differently.
 */
public final class ModelLoader {

  /** The loader's {@code /status} port in its pod: the operator reads progress there. */
  public static final int PORT = 9471;

  /** The name of the loader's container in the Job's pod. */
  public static final String CONTAINER = "loader";

  public static final String ENV_ENDPOINT = "FLUXOPS_HF_ENDPOINT";
  public static final String ENV_REPO = "FLUXOPS_HF_REPO";
  public static final String ENV_REVISION = "FLUXOPS_HF_REVISION";
  public static final String ENV_INCLUDE = "FLUXOPS_HF_INCLUDE";
  public static final String ENV_TOKEN_FILE = "FLUXOPS_HF_TOKEN_FILE";
  public static final String ENV_TOKEN_SECRET = "FLUXOPS_HF_TOKEN_SECRET";
  public static final String ENV_CACHE_DIR = "FLUXOPS_CACHE_DIR";
  public static final String ENV_CLAIM_NAME = "FLUXOPS_CLAIM_NAME";
  public static final String ENV_LISTEN_PORT = "FLUXOPS_LISTEN_PORT";

  /** Exit code: the revision is complete on the claim. */
  public static final int EXIT_COMPLETE = 0;

  /** Exit code: a bug; another pod may pass. */
  public static final int EXIT_BUG = 1;

  /** Exit code: a setting a person must fix; another pod cannot pass. */
  public static final int EXIT_CONFIGURATION = 2;

  /** Exit code: a refusal only a person can fix (licence, names, space); do not retry. */
  public static final int EXIT_NEEDS_A_PERSON = 3;

  /** Exit code: a failure that may pass (the network, the Hub); worth another pod. */
  public static final int EXIT_MAY_PASS = 4;

  /** The exit codes after which the Job must stop trying (its podFailurePolicy). */
  public static final List<Integer> EXITS_THAT_NEED_A_PERSON =
      List.of(EXIT_CONFIGURATION, EXIT_NEEDS_A_PERSON);

  private ModelLoader() {}

  /**
   * {@code models--owner--name}: the folder of a model repo in the Hugging Face Hub's cache layout
   * (huggingface_hub's repo_folder_name), which the loader writes and servers read.
   */
  public static String repoFolderName(String repo) {
    return "models--" + repo.replace("/", "--");
  }

  /**
   * The directory of one revision under the cache root: {@code
   * {root}/models--owner--name/snapshots/{commit}}.
   */
  public static String snapshotDir(String root, String repo, String commit) {
    String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    return base + "/" + repoFolderName(repo) + "/snapshots/" + commit;
  }
}
