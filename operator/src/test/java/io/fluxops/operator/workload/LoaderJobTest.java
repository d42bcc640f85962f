package io.fluxops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fluxops.common.FluxModel;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.HuggingFaceSourceSpec;
import io.fluxops.operator.api.ModelSourceSpec;
import io.fluxops.operator.api.TokenSecretRef;
import io.fluxops.operator.testing.Examples;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoaderJobTest {
  private static FluxDeployment withSource(String revision) {
    FluxDeployment fd = Examples.load("flux-1-dev-rtx-4090.yaml", "flux");
    fd.getMetadata().setUid("6f1c2a4e-0000-4000-8000-000000000001");
    HuggingFaceSourceSpec hf = new HuggingFaceSourceSpec();
    hf.setRevision(revision);
    TokenSecretRef token = new TokenSecretRef();
    token.setName("hf-token");
    hf.setTokenSecretRef(token);
    ModelSourceSpec source = new ModelSourceSpec();
    source.setHuggingface(hf);
    if (fd.getSpec().getModelCache() == null) {
      var cache = new io.fluxops.operator.api.ModelCacheSpec();
      cache.setClaimName("flux-weights");
      fd.getSpec().setModelCache(cache);
    }
    fd.getSpec().getModelCache().setSource(source);
    return fd;
  }

  private static Job job(FluxDeployment fd) {
    ValidatedSpec spec = ((SpecValidator.Valid) SpecValidator.validate(fd.getSpec())).spec();
    ModelLoad load = ModelLoad.of(fd.getSpec(), FluxModel.FLUX_1_DEV).orElseThrow();
    return LoaderJob.build(
        fd, spec, load, "ghcr.io/fluxops/fluxops-loader:0.1.0", "https://huggingface.co");
  }

  @Test
  void theLoaderPodIsRestrictedAndTheOnlyOneWithTheToken() {
    FluxDeployment fd = withSource("main");
    PodSpec pod = job(fd).getSpec().getTemplate().getSpec();
    Container loader = pod.getContainers().get(0);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(loader.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(loader.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(loader.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("hf-token");
              assertThat(v.getSecret().getItems())
                  .singleElement()
                  .satisfies(i -> assertThat(i.getKey()).isEqualTo("token"));
            });
    assertThat(loader.getEnv()).noneMatch(e -> e.getValueFrom() != null);
    assertThat(loader.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");

    ValidatedSpec spec = ((SpecValidator.Valid) SpecValidator.validate(fd.getSpec())).spec();
    PodSpec inference =
        PodTemplateFactory.build(fd, spec, "m", java.util.Optional.empty()).getSpec();
    assertThat(inference.getVolumes())
        .noneMatch(v -> v.getSecret() != null && "hf-token".equals(v.getSecret().getSecretName()));
  }

  @Test
  void onlyFailuresANewPodCannotFixFailTheJobAtOnce() {
    var rules = job(withSource("main")).getSpec().getPodFailurePolicy().getRules();
    assertThat(rules.get(0).getAction()).isEqualTo("FailJob");
    assertThat(rules.get(0).getOnExitCodes().getValues()).containsExactly(2, 3);
    assertThat(rules.get(1).getAction()).isEqualTo("Ignore");
    assertThat(job(withSource("main")).getSpec().getTemplate().getSpec().getRestartPolicy())
        .isEqualTo("Never");
  }

  @Test
  void aNewRevisionIsANewJobAndTheSameRevisionTheSameOne() {
    String main = job(withSource("main")).getMetadata().getName();
    assertThat(job(withSource("main")).getMetadata().getName()).isEqualTo(main);
    assertThat(job(withSource("v1.1")).getMetadata().getName())
        .isNotEqualTo(main)
        .startsWith("dev-4090-model-");
  }

  @Test
  void theDefaultFilesAreWhatBflsReferenceCodeAndComfyUiLoad() {
    ModelLoad load = ModelLoad.of(withSource("main").getSpec(), FluxModel.FLUX_1_DEV).orElseThrow();
    assertThat(load.repo()).isEqualTo("black-forest-labs/FLUX.1-dev");
    assertThat(load.include()).containsExactly("flux1-dev.safetensors", "ae.safetensors");
  }

  @Test
  void aLongNameIsCutToAJobNameKubernetesAccepts() {
    ModelLoad load =
        new ModelLoad("r", "main", List.of("*"), java.util.Optional.empty(), "c", "/m", "0123abcd");
    String name = load.jobName("a".repeat(47) + "-" + "b".repeat(40));
    assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-model-0123abcd").doesNotContain("--");
  }
}
