package io.fluxops.loader.hub;

import java.util.List;

/**
 * A revision of a model repository: the commit it resolves to, and its files.
 *
 * @param commit the 40-hex commit ({@code sha}); every file is fetched at this commit, so a branch
 *     that moves during the download cannot mix two revisions
 * @param gated whether the Hub says the repo is gated ({@code gated} is "auto" or "manual")
 */
public record RepoListing(String commit, boolean gated, List<RepoFile> files) {
  public RepoListing {
    files = List.copyOf(files);
  }
}
