package io.fluxops.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class StoredObjectMatcherTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static DeploymentBuilder desired() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("dev")
        .addToLabels("app.kubernetes.io/managed-by", "fluxops")
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewTemplate()
        .withNewSpec()
        .withServiceAccountName("dev")
        .addNewContainer()
        .withName("inference")
        .withImage("example.com/flux:1")
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/ready")
        .endHttpGet()
        .endReadinessProbe()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  /** What kube-apiserver stores: its defaults added, some equal to values already there. */
  private static DeploymentBuilder stored() {
    return desired()
        .editMetadata()
        .withResourceVersion("426")
        .withGeneration(1L)
        .addToAnnotations("deployment.kubernetes.io/revision", "1")
        .endMetadata()
        .editSpec()
        .withRevisionHistoryLimit(10)
        .editTemplate()
        .editSpec()
        .withServiceAccount("dev")
        .withRestartPolicy("Always")
        .editContainer(0)
        .withImagePullPolicy("IfNotPresent")
        .editReadinessProbe()
        .withSuccessThreshold(1)
        .withFailureThreshold(3)
        .endReadinessProbe()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(1L)
        .endStatus();
  }

  @Test
  void defaultsTheServerAddsMatchEvenWhereTheyEqualAnotherValue() {
    // successThreshold: 1 equals replicas: 1, serviceAccount equals serviceAccountName: a patch
    // library that normalises writes them as copies, which the SDK's matcher took for changes.
    assertThat(StoredObjectMatcher.matches(desired().build(), stored().build(), SERIALIZATION))
        .isTrue();
  }

  @Test
  void aChangedValueTheOperatorSetsDoesNotMatch() {
    Deployment changed =
        stored()
            .editSpec()
            .editTemplate()
            .editSpec()
            .editContainer(0)
            .withImage("example.com/other:2")
            .endContainer()
            .endSpec()
            .endTemplate()
            .withReplicas(3)
            .endSpec()
            .build();
    assertThat(StoredObjectMatcher.matches(desired().build(), changed, SERIALIZATION)).isFalse();
  }

  @Test
  void aRemovedFieldOrLabelDoesNotMatch() {
    Deployment noProbe =
        stored()
            .editSpec()
            .editTemplate()
            .editSpec()
            .editContainer(0)
            .withReadinessProbe(null)
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    assertThat(StoredObjectMatcher.matches(desired().build(), noProbe, SERIALIZATION)).isFalse();
    Deployment noLabel = stored().editMetadata().withLabels(null).endMetadata().build();
    assertThat(StoredObjectMatcher.matches(desired().build(), noLabel, SERIALIZATION)).isFalse();
  }

  @Test
  void labelsAndAnnotationsOthersAddAreKept() {
    Deployment labelled = stored().editMetadata().addToLabels("team", "ml").endMetadata().build();
    assertThat(StoredObjectMatcher.matches(desired().build(), labelled, SERIALIZATION)).isTrue();
  }
}
