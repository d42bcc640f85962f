package io.fluxops.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDiagnosisTest {

  @Test
  void readsTheSchedulersMessageOfAnUnschedulablePod() {
    Pod pod =
        pod("p1")
            .withNewStatus()
            .withPhase("Pending")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/2 nodes are available: 2 Insufficient nvidia.com/gpu.")
            .endCondition()
            .endStatus()
            .build();

    PodDiagnosis diagnosis = PodDiagnosis.of(List.of(pod), List.of());

    assertThat(diagnosis.unschedulable())
        .contains("0/2 nodes are available: 2 Insufficient nvidia.com/gpu.");
    assertThat(PodDiagnosis.unschedulableReason(diagnosis.unschedulable().get()))
        .isEqualTo("InsufficientGPU");
    assertThat(diagnosis.waitingForVolumes()).isEmpty();
  }

  @Test
  void classifiesAffinityMismatchAsNoMatchingGpuNode() {
    assertThat(
            PodDiagnosis.unschedulableReason(
                "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."))
        .isEqualTo("NoMatchingGPUNode");
  }

  @Test
  void findsTheLicenceVolumesFailedMountOnlyForTheLicenceVolume() {
    Pod creating =
        pod("p1")
            .withNewStatus()
            .withPhase("Pending")
            .addNewInitContainerStatus()
            .withName("metering")
            .withNewState()
            .withNewWaiting()
            .withReason("PodInitializing")
            .endWaiting()
            .endState()
            .endInitContainerStatus()
            .endStatus()
            .build();
    var otherVolume =
        new EventBuilder()
            .withReason("FailedMount")
            .withMessage("MountVolume.SetUp failed for volume \"model-cache\" : pvc not bound")
            .build();
    var licence =
        new EventBuilder()
            .withReason("FailedMount")
            .withMessage("MountVolume.SetUp failed for volume \"license\" : secret \"k\" not found")
            .build();

    assertThat(PodDiagnosis.of(List.of(creating), List.of()).waitingForVolumes())
        .containsExactly("p1");
    assertThat(PodDiagnosis.of(List.of(creating), List.of(otherVolume)).licenseProblem()).isEmpty();
    assertThat(PodDiagnosis.of(List.of(creating), List.of(otherVolume, licence)).licenseProblem())
        .contains("MountVolume.SetUp failed for volume \"license\" : secret \"k\" not found");
  }

  @Test
  void ignoresPodsThatAreTerminating() {
    Pod leaving =
        pod("p1")
            .editMetadata()
            .withDeletionTimestamp("2026-11-21T10:00:00Z")
            .endMetadata()
            .withNewStatus()
            .withPhase("Pending")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("no GPU")
            .endCondition()
            .endStatus()
            .build();

    assertThat(PodDiagnosis.of(List.of(leaving), List.of()).unschedulable()).isEmpty();
  }

  private static PodBuilder pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata();
  }
}
