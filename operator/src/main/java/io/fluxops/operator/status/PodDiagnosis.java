package io.fluxops.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fluxops.operator.workload.PodLayout;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads what is wrong with a FluxDeployment's pods from their status and events, as a kubelet and
 * scheduler report it. The operator never reads Secrets: a missing licence Secret is seen here.
 *
 * @param unschedulable the scheduler's message for a pod that found no node, e.g. {@code "0/4 nodes
 *     are available: 4 Insufficient nvidia.com/gpu."}
 * @param licenseProblem what the kubelet said when it could not give the sidecar its key
 * @param meteringStarted whether a metering sidecar has started (so the key was mounted)
 * @param waitingForVolumes pods whose containers have not been created yet: their events may
 *     explain why
 */
public record PodDiagnosis(
    Optional<String> unschedulable,
    Optional<String> licenseProblem,
    boolean meteringStarted,
    List<String> waitingForVolumes) {

  static final String CONFIG_ERROR = "CreateContainerConfigError";
  static final String FAILED_MOUNT = "FailedMount";

  /** Diagnoses pods, with the events of those {@link #waitingForVolumes} (may be empty). */
  public static PodDiagnosis of(Collection<Pod> pods, Collection<Event> events) {
    List<Pod> live =
        pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    return new PodDiagnosis(
        live.stream().map(PodDiagnosis::unschedulableMessage).flatMap(Optional::stream).findFirst(),
        licenseProblem(live, events),
        live.stream().flatMap(PodDiagnosis::containerStatuses).anyMatch(PodDiagnosis::meteringUp),
        live.stream()
            .filter(PodDiagnosis::waitingForVolumes)
            .map(p -> p.getMetadata().getName())
            .toList());
  }

  /** How the scheduler's refusal reads as a condition reason. */
  public static String unschedulableReason(String message) {
    if (message.contains("nvidia.com/gpu")) {
      return "InsufficientGPU";
    }
    if (message.contains("affinity") || message.contains("selector")) {
      return "NoMatchingGPUNode";
    }
    return "Unschedulable";
  }

  /** The scheduler's message for a pod it could not place, if it could not. */
  public static Optional<String> unschedulableMessage(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .filter(c -> "Unschedulable".equals(c.getReason()))
        .map(PodCondition::getMessage)
        .findFirst();
  }

  private static Optional<String> licenseProblem(List<Pod> pods, Collection<Event> events) {
    Optional<String> fromStatus =
        pods.stream()
            .flatMap(PodDiagnosis::containerStatuses)
            .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
            .filter(s -> CONFIG_ERROR.equals(s.getState().getWaiting().getReason()))
            .map(s -> s.getState().getWaiting().getMessage())
            .filter(m -> m != null && m.toLowerCase().contains("secret"))
            .findFirst();
    if (fromStatus.isPresent()) {
      return fromStatus;
    }
    return events.stream()
        .filter(e -> FAILED_MOUNT.equals(e.getReason()))
        .map(Event::getMessage)
        .filter(m -> m != null && m.contains("\"" + PodLayout.LICENSE_VOLUME + "\""))
        .findFirst();
  }

  private static boolean waitingForVolumes(Pod pod) {
    return pod.getStatus() != null
        && "Pending".equals(pod.getStatus().getPhase())
        && unschedulableMessage(pod).isEmpty()
        && containerStatuses(pod)
            .noneMatch(s -> s.getState() != null && s.getState().getWaiting() == null);
  }

  private static boolean meteringUp(ContainerStatus s) {
    return PodLayout.METERING_CONTAINER.equals(s.getName())
        && s.getState() != null
        && (s.getState().getRunning() != null || s.getState().getTerminated() != null);
  }

  private static Stream<ContainerStatus> containerStatuses(Pod pod) {
    if (pod.getStatus() == null) {
      return Stream.empty();
    }
    return Stream.concat(
        nullSafe(pod.getStatus().getInitContainerStatuses()),
        nullSafe(pod.getStatus().getContainerStatuses()));
  }

  private static Stream<ContainerStatus> nullSafe(List<ContainerStatus> statuses) {
    return statuses == null ? Stream.empty() : statuses.stream();
  }
}
