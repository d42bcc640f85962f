package io.fluxops.loader.download;

import io.fluxops.common.ByteSizes;
import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Reason;
import java.io.IOException;

/** What an I/O error on the claim means for the person who owns it. */
final class DiskErrors {
  private DiskErrors() {}

  /** Whether {@code e} is the kernel saying the volume or the quota is full. */
  static boolean isFull(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null
          && (message.contains("No space left on device")
              || message.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }

  static LoadFailure failure(IOException e, String volume, String doing, long stillNeeded) {
    if (isFull(e)) {
      return new LoadFailure(
          Reason.CLAIM_FULL,
          volume
              + " is full ("
              + e.getMessage()
              + ") while "
              + doing
              + "; "
              + ByteSizes.show(stillNeeded)
              + " are still to come: grow the PersistentVolumeClaim (its storage class must allow"
              + " expansion) or select fewer files with include",
          e);
    }
    return new LoadFailure(
        Reason.STORAGE_ERROR, "cannot write to " + volume + " while " + doing + ": " + e, e);
  }
}
