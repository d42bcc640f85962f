package io.fluxops.loader.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoneRangesTest {
  @TempDir Path dir;

  @Test
  void recordedRangesSurviveAndATornLastLineIsIgnored() throws Exception {
    Path partial = Files.createFile(dir.resolve("x.incomplete"));
    try (DoneRanges done = DoneRanges.open(partial, 1000)) {
      Files.write(partial, new byte[300]); // segments written in any order, then recorded
      done.record(0, 99);
      done.record(200, 299);
    }
    Files.writeString(
        DoneRanges.record(partial), "100-19", java.nio.file.StandardOpenOption.APPEND);

    try (DoneRanges done = DoneRanges.open(partial, 1000)) {
      assertThat(done.bytes()).isEqualTo(200);
      assertThat(done.contiguousEnd(0)).isEqualTo(100);
      assertThat(done.missing(0, 999))
          .containsExactly(new long[] {100, 199}, new long[] {300, 999});
    }
  }

  @Test
  void aRangeBeyondTheFileOnDiskIsNotTrusted() throws Exception {
    Path partial = Files.write(dir.resolve("x.incomplete"), new byte[150]);
    Files.writeString(DoneRanges.record(partial), "0-99\n100-199\n");

    try (DoneRanges done = DoneRanges.open(partial, 1000)) {
      assertThat(done.contiguousEnd(0)).isEqualTo(100);
    }
  }

  @Test
  void aPartialFileWithoutARecordWasWrittenFrontToBack() throws Exception {
    Path partial = Files.write(dir.resolve("x.incomplete"), new byte[420]);

    try (DoneRanges done = DoneRanges.open(partial, 1000)) {
      assertThat(done.missing(0, 999)).containsExactly(new long[] {420, 999});
    }
  }

  @Test
  void adjacentRangesMerge() throws Exception {
    Path partial = Files.write(dir.resolve("x.incomplete"), new byte[1000]);
    try (DoneRanges done = DoneRanges.open(partial, 1000)) {
      done.record(500, 999);
      done.record(0, 249);
      done.record(250, 499);
      assertThat(done.contiguousEnd(0)).isEqualTo(1000);
      assertThat(done.missing(0, 999)).isEmpty();
    }
  }
}
