package io.fluxops.loader.cache;

import io.fluxops.loader.hub.RepoFile;
import io.fluxops.loader.hub.RepoPaths;
import io.fluxops.loader.json.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the loader knows to be complete for one commit: the commit's full file list (so that a later
 * run can tell, without the network, what a set of patterns selects) and the files whose bytes were
 * verified against the Hub's checksum and linked into the snapshot. Written atomically after the
 * last link, so a record on disk never names a file that is not there.
 *
 * @param verified path to etag (sha256 or git blob id) of each verified file
 */
public record CompletionRecord(
    String repo, String commit, List<RepoFile> listing, Map<String, String> verified) {
  private static final int FORMAT = 1;

  public CompletionRecord {
    listing = List.copyOf(listing);
    verified = Map.copyOf(verified);
  }

  /** This record with more verified files. */
  public CompletionRecord plus(Map<String, String> more) {
    Map<String, String> all = new TreeMap<>(verified);
    all.putAll(more);
    return new CompletionRecord(repo, commit, listing, all);
  }

  /** Whether every one of {@code files} is verified. */
  public boolean covers(List<RepoFile> files) {
    return files.stream().allMatch(f -> verified.containsKey(f.path()));
  }

  /** Reads the record of {@code commit}; empty when there is none or it is unreadable. */
  public static Optional<CompletionRecord> read(CacheLayout layout, String commit) {
    Path file = layout.completionRecord(commit);
    try {
      Map<String, Object> json = JsonText.object(Files.readString(file, StandardCharsets.UTF_8));
      return parse(json, layout.repo(), commit);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // A record this loader cannot read counts as absent: the files are checked again.
      return Optional.empty();
    }
  }

  /** Writes the record atomically. */
  public void write(CacheLayout layout) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("repo", repo);
    json.put("commit", commit);
    List<Object> files = new ArrayList<>();
    for (RepoFile file : listing) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("path", file.path());
      entry.put("size", file.size());
      file.sha256().ifPresent(sha -> entry.put("sha256", sha));
      file.blobId().ifPresent(id -> entry.put("blobId", id));
      files.add(entry);
    }
    json.put("listing", files);
    json.put("verified", new TreeMap<>(verified));
    AtomicFiles.write(
        layout.completionRecord(commit), JsonText.write(json).getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<CompletionRecord> parse(
      Map<String, Object> json, String repo, String commit) {
    if (JsonText.whole(json, "format").orElse(0L) != FORMAT
        || !repo.equals(JsonText.string(json, "repo").orElse(""))
        || !commit.equals(JsonText.string(json, "commit").orElse(""))) {
      return Optional.empty();
    }
    List<RepoFile> listing = new ArrayList<>();
    for (Object item : JsonText.array(json, "listing").orElse(List.of())) {
      if (!(item instanceof Map<?, ?>)) {
        return Optional.empty();
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = (Map<String, Object>) item;
      Optional<String> path = JsonText.string(entry, "path").filter(RepoPaths::isSafe);
      Optional<Long> size = JsonText.whole(entry, "size");
      if (path.isEmpty() || size.isEmpty()) {
        return Optional.empty();
      }
      listing.add(
          new RepoFile(
              path.get(),
              size.get(),
              JsonText.string(entry, "sha256"),
              JsonText.string(entry, "blobId")));
    }
    Map<String, String> verified = new TreeMap<>();
    for (Map.Entry<String, Object> entry :
        JsonText.object(json, "verified").orElse(Map.of()).entrySet()) {
      if (!(entry.getValue() instanceof String etag)) {
        return Optional.empty();
      }
      verified.put(entry.getKey(), etag);
    }
    return Optional.of(new CompletionRecord(repo, commit, listing, verified));
  }
}
