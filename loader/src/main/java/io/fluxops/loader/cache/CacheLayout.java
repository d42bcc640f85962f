package io.fluxops.loader.cache;

import io.fluxops.common.ModelLoader;
import java.nio.file.Path;

/**
 * Where the loader writes: the Hugging Face Hub's own cache layout (huggingface_hub's "Understand
 * caching" guide), so that a server running huggingface_hub or diffusers with {@code HF_HUB_CACHE}
 * at the claim and {@code HF_HUB_OFFLINE=1} loads the files by repo id and revision.
 *
 * <pre>
 * {cacheDir}/models--{owner}--{name}/
 *   blobs/{etag}                      file contents, named by sha256 (LFS) or git blob id
 *   blobs/{etag}.incomplete           a download under way; resumed from its length
 *   snapshots/{commit}/{path}         one directory per revision: links to the blobs
 *   refs/{revision}                   the commit a branch or tag was resolved to
 *   fluxops/complete/{commit}.json    FluxOps' record: which files of the commit are verified
 * {cacheDir}/.locks/models--{owner}--{name}/fluxops-loader.lock
 * </pre>
 *
 * A file that two revisions share is one blob, downloaded once.
 */
public record CacheLayout(Path cacheDir, String repo) {
  /** {@code models--owner--name}: huggingface_hub's repo_folder_name for a model. */
  public String repoFolderName() {
    return ModelLoader.repoFolderName(repo);
  }

  public Path repoDir() {
    return cacheDir.resolve(repoFolderName());
  }

  public Path blob(String etag) {
    return repoDir().resolve("blobs").resolve(etag);
  }

  public Path incomplete(String etag) {
    return repoDir().resolve("blobs").resolve(etag + ".incomplete");
  }

  public Path snapshotDir(String commit) {
    return repoDir().resolve("snapshots").resolve(commit);
  }

  public Path snapshotFile(String commit, String path) {
    return snapshotDir(commit).resolve(path);
  }

  public Path ref(String revision) {
    return repoDir().resolve("refs").resolve(revision);
  }

  public Path completionRecord(String commit) {
    return repoDir().resolve("fluxops").resolve("complete").resolve(commit + ".json");
  }

  public Path lockFile() {
    return cacheDir.resolve(".locks").resolve(repoFolderName()).resolve("fluxops-loader.lock");
  }
}
