package io.fluxops.loader.download;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.loader.outcome.Reason;
import org.junit.jupiter.api.Test;

class SpaceCheckTest {
  @Test
  void whatFitsPasses() {
    assertThat(SpaceCheck.check(10, 10, 10, "claim w")).isEmpty();
  }

  @Test
  void aClaimTooSmallSaysByHowMuchToGrowIt() {
    var failure =
        SpaceCheck.check(23_800_000_000L, 10_000_000_000L, 23_900_000_000L, "claim flux-weights");

    assertThat(failure)
        .hasValueSatisfying(
            f -> {
              assertThat(f.reason()).isEqualTo(Reason.CLAIM_FULL);
              assertThat(f.getMessage())
                  .isEqualTo(
                      "claim flux-weights is too small: 23.8 GB are still to download (of 23.9 GB"
                          + " selected) and 10.0 GB are free; grow the PersistentVolumeClaim by at least"
                          + " 13.8 GB (its storage class must allow expansion) or select fewer files with"
                          + " include");
            });
  }
}
