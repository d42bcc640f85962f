package io.fluxops.operator.workload;

import io.fluxops.common.ModelLoader;

/**
 * A complete revision on the model cache's claim, the one the inference pods read their weights
 * from. It changes only when a new revision is complete, so the pods roll only then.
 */
public record ServedModel(String repo, String commit, String claimName) {
  /** The revision's directory in a pod that mounts the claim at {@code mountPath}. */
  public String snapshotDir(String mountPath) {
    return ModelLoader.snapshotDir(mountPath, repo, commit);
  }
}
