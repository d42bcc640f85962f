package io.fluxops.loader.hub;

import java.util.Optional;

/**
 * One file of a revision, as the Hub's model info lists it ({@code siblings} with {@code
 * blobs=true}).
 *
 * @param path the {@code rfilename}, relative to the repo's root
 * @param size bytes of the file itself (for an LFS file: the content, not the pointer)
 * @param sha256 for an LFS file, the content's sha256 ({@code lfs.sha256}); empty for a file kept
 *     in git
 * @param blobId the git object id ({@code blobId}): for a file kept in git, the checksum the Hub's
 *     ETag gives; for an LFS file, the pointer's
 */
public record RepoFile(String path, long size, Optional<String> sha256, Optional<String> blobId) {
  /** The etag the Hub's resolve will give, hence the blob's name, when the listing tells it. */
  public Optional<String> expectedEtag() {
    return sha256.isPresent() ? sha256 : blobId;
  }
}
