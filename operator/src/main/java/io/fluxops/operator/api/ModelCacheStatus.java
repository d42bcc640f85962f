package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * How far the model cache is for the spec's revision, and which complete revision the inference
 * pods run on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelCacheStatus {

  @JsonPropertyDescription(
      "Pending (the loader pod is not running yet), Downloading, Ready (complete on the claim)"
          + " or Failed (see the ModelCached condition for what to do).")
  private String phase;

  @JsonPropertyDescription("The repository being loaded.")
  private String repo;

  @JsonPropertyDescription("The revision of spec.modelCache.source this status is about.")
  private String revision;

  @JsonPropertyDescription("The commit that revision resolved to, once the loader knows it.")
  private String commit;

  @JsonPropertyDescription("Bytes of the selected files on the claim and verified or arriving.")
  private Long bytesDone;

  @JsonPropertyDescription("Bytes of all the selected files.")
  private Long bytesTotal;

  @JsonPropertyDescription("The loader Job.")
  private String job;

  @JsonPropertyDescription(
      "The complete revision the inference pods run on (its commit); it changes, and the pods"
          + " roll, only when a new revision is complete.")
  private String servedCommit;

  @JsonPropertyDescription("The repository of servedCommit.")
  private String servedRepo;

  @JsonPropertyDescription("The claim servedCommit is on.")
  private String servedClaim;

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getRepo() {
    return repo;
  }

  public void setRepo(String repo) {
    this.repo = repo;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getCommit() {
    return commit;
  }

  public void setCommit(String commit) {
    this.commit = commit;
  }

  public Long getBytesDone() {
    return bytesDone;
  }

  public void setBytesDone(Long bytesDone) {
    this.bytesDone = bytesDone;
  }

  public Long getBytesTotal() {
    return bytesTotal;
  }

  public void setBytesTotal(Long bytesTotal) {
    this.bytesTotal = bytesTotal;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getServedCommit() {
    return servedCommit;
  }

  public void setServedCommit(String servedCommit) {
    this.servedCommit = servedCommit;
  }

  public String getServedRepo() {
    return servedRepo;
  }

  public void setServedRepo(String servedRepo) {
    this.servedRepo = servedRepo;
  }

  public String getServedClaim() {
    return servedClaim;
  }

  public void setServedClaim(String servedClaim) {
    this.servedClaim = servedClaim;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelCacheStatus s
        && Objects.equals(phase, s.phase)
        && Objects.equals(repo, s.repo)
        && Objects.equals(revision, s.revision)
        && Objects.equals(commit, s.commit)
        && Objects.equals(bytesDone, s.bytesDone)
        && Objects.equals(bytesTotal, s.bytesTotal)
        && Objects.equals(job, s.job)
        && Objects.equals(servedCommit, s.servedCommit)
        && Objects.equals(servedRepo, s.servedRepo)
        && Objects.equals(servedClaim, s.servedClaim);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, repo, revision, commit, job, servedCommit);
  }
}
