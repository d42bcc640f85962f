package io.fluxops.loader.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fluxops.loader.outcome.LoadFailure;
import io.fluxops.loader.outcome.Reason;
import io.fluxops.loader.standin.StandInHub;
import io.fluxops.loader.support.FluxRepo;
import io.fluxops.loader.support.TestLoads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the loader says for each refusal the Hub documents: what is wrong and what to do. */
class HubErrorsTest {
  @TempDir Path dir;
  Path cache;
  StandInHub hub;

  @BeforeEach
  void start() throws IOException {
    cache = Files.createDirectories(dir.resolve("cache"));
    hub = StandInHub.start();
    FluxRepo.publish(hub);
    hub.gate(FluxRepo.REPO);
    hub.token("hf_accepted", FluxRepo.REPO);
    hub.token("hf_not_accepted");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void aGatedRepoWithoutATokenSaysToGiveOne() {
    assertFails(
        loads(),
        Reason.GATED_NO_TOKEN,
        m ->
            assertThat(m)
                .contains(
                    FluxRepo.REPO + " is gated and no token was given",
                    "401",
                    "tokenSecretRef",
                    hub.endpoint() + "/" + FluxRepo.REPO));
  }

  @Test
  void aTokenWhoseAccountDidNotAcceptTheLicenceSaysSoAndWhere() throws IOException {
    assertFails(
        loads()
            .set("FLUXOPS_HF_TOKEN_FILE", token("hf_not_accepted"))
            .set("FLUXOPS_HF_TOKEN_SECRET", "hf-token"),
        Reason.LICENCE_NOT_ACCEPTED,
        m ->
            assertThat(m)
                .startsWith(
                    "the account of the token in Secret hf-token has not accepted the licence of "
                        + FluxRepo.REPO
                        + " on Hugging Face (the Hub answered 403)")
                .contains("accept it at " + hub.endpoint() + "/" + FluxRepo.REPO)
                .doesNotContain("hf_not_accepted"));
  }

  @Test
  void aTokenWhoseAccountAcceptedLoads() throws Exception {
    assertThat(loads().set("FLUXOPS_HF_TOKEN_FILE", token("hf_accepted")).run().files())
        .isEqualTo(FluxRepo.files().size());
  }

  @Test
  void anInvalidTokenSaysToCreateANewOne() throws IOException {
    assertFails(
        loads().set("FLUXOPS_HF_TOKEN_FILE", token("hf_revoked")),
        Reason.TOKEN_REJECTED,
        m -> assertThat(m).contains("invalid credentials (401)", "/settings/tokens"));
  }

  @Test
  void anUnknownRepoSaysToCheckTheName() {
    assertFails(
        TestLoads.of(hub, cache, "black-forest-labs/FLUX.1-devv"),
        Reason.REPO_NOT_FOUND,
        m ->
            assertThat(m)
                .contains(
                    "repository black-forest-labs/FLUX.1-devv does not exist on Hugging Face",
                    "spec.modelCache.source.huggingface.repo"));
  }

  @Test
  void anUnknownRepoWithATokenIsANotFoundToo() throws IOException {
    assertFails(
        TestLoads.of(hub, cache, "acme/nothing").set("FLUXOPS_HF_TOKEN_FILE", token("hf_accepted")),
        Reason.REPO_NOT_FOUND,
        m -> assertThat(m).contains("(404)", "the token cannot read it"));
  }

  @Test
  void anUnknownRevisionSaysToNameABranchTagOrCommit() throws IOException {
    assertFails(
        loads().set("FLUXOPS_HF_REVISION", "v9").set("FLUXOPS_HF_TOKEN_FILE", token("hf_accepted")),
        Reason.REVISION_NOT_FOUND,
        m ->
            assertThat(m)
                .contains(
                    "revision 'v9' does not exist in " + FluxRepo.REPO,
                    "spec.modelCache.source.huggingface.revision"));
  }

  @Test
  void everyRefusalNeedsAPersonButANetworkFailureMayPass() {
    for (Reason reason : Reason.values()) {
      boolean transientReason = reason == Reason.HUB_UNREACHABLE || reason == Reason.STORAGE_ERROR;
      assertThat(reason.permanent()).as(reason.name()).isEqualTo(!transientReason);
    }
  }

  private TestLoads loads() {
    return TestLoads.of(hub, cache, FluxRepo.REPO);
  }

  private String token(String value) throws IOException {
    Path file = dir.resolve("token-" + value);
    Files.writeString(file, value);
    return file.toString();
  }

  private static void assertFails(TestLoads loads, Reason reason, Consumer<String> message) {
    assertThatThrownBy(loads::run)
        .isInstanceOfSatisfying(
            LoadFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo(reason);
              message.accept(f.getMessage());
            });
  }
}
