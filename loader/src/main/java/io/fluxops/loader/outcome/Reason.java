package io.fluxops.loader.outcome;

/**
 * Why a load failed, as the operator's {@code ModelCached} condition names it. A permanent reason
 * needs a person (a licence to accept, a name to correct, a bigger claim); running the loader again
 * cannot help. A transient one may pass by itself.
 */
public enum Reason {
  GATED_NO_TOKEN("GatedRepoNoToken", true),
  LICENCE_NOT_ACCEPTED("LicenceNotAccepted", true),
  TOKEN_REJECTED("TokenRejected", true),
  ACCESS_DENIED("AccessDenied", true),
  REPO_NOT_FOUND("RepoNotFound", true),
  REVISION_NOT_FOUND("RevisionNotFound", true),
  FILE_NOT_FOUND("FileNotFound", true),
  NO_MATCHING_FILES("NoMatchingFiles", true),
  CLAIM_FULL("ClaimFull", true),
  CHECKSUM_MISMATCH("ChecksumMismatch", true),
  UNEXPECTED_RESPONSE("UnexpectedResponse", true),
  HUB_UNREACHABLE("HubUnreachable", false),
  STORAGE_ERROR("StorageError", false);

  private final String conditionReason;
  private final boolean permanent;

  Reason(String conditionReason, boolean permanent) {
    this.conditionReason = conditionReason;
    this.permanent = permanent;
  }

  /** The CamelCase reason of the condition and the termination message. */
  public String conditionReason() {
    return conditionReason;
  }

  /** Whether only a person can make the next run succeed. */
  public boolean permanent() {
    return permanent;
  }
}
