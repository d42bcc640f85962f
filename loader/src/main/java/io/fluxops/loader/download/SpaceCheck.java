package io.fluxops.loader.download;

import io.fluxops.common.ByteSizes;
import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Reason;
import java.util.Optional;

/** Whether what is still to come fits on the claim: decided before the first byte is fetched. */
final class SpaceCheck {
  private SpaceCheck() {}

  /**
   * @param needed bytes still to download (the selected files that are not there, less what their
   *     partial downloads already hold)
   * @param usable bytes the file system lets this user write
   */
  static Optional<LoadFailure> check(long needed, long usable, long total, String volume) {
    if (needed <= usable) {
      return Optional.empty();
    }
    return Optional.of(
        new LoadFailure(
            Reason.CLAIM_FULL,
            volume
                + " is too small: "
                + ByteSizes.show(needed)
                + " are still to download (of "
                + ByteSizes.show(total)
                + " selected) and "
                + ByteSizes.show(usable)
                + " are free; grow the PersistentVolumeClaim by at least "
                + ByteSizes.show(needed - usable)
                + " (its storage class must allow expansion) or select fewer files with include"));
  }
}
