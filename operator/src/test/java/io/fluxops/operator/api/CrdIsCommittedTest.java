package io.fluxops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.operator.testing.Examples;
import org.junit.jupiter.api.Test;

class CrdIsCommittedTest {

  @Test
  void committedCrdEqualsTheOneTheBuildGenerates() {
    String generated = Examples.read(Examples.GENERATED_CRD);
    String committed = Examples.read(Examples.COMMITTED_CRD);
    assertThat(committed)
        .as(
            "crds/ is stale: copy %s to %s and commit it",
            Examples.GENERATED_CRD.toAbsolutePath(), Examples.COMMITTED_CRD)
        .isEqualTo(generated);
  }
}
