package io.fluxops.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fluxops.operator.api.FluxDeployment;
import io.fluxops.operator.api.FluxDeploymentStatus;
import io.fluxops.operator.status.Conditions.Status;
import io.fluxops.operator.workload.Labels;
import io.fluxops.operator.workload.ValidatedSpec;
import java.util.Optional;

/**
 * The workload's part of a FluxDeployment's status, derived from what the cluster shows: replicas,
 * the selector, and the Ready, Progressing, GPUAvailable and LicenseConfigured conditions. Pure; it
 * writes into the reconcile's {@link StatusAggregator}, which the other parts write into too.
 */
public final class StatusComputer {

  private StatusComputer() {}

  /** The status of a spec that breaks a rule: nothing is changed until it is fixed. */
  public static void invalid(StatusAggregator status, String message) {
    status
        .condition(ConditionType.READY, Status.FALSE, "InvalidSpec", message)
        .condition(
            ConditionType.PROGRESSING, Status.FALSE, "InvalidSpec", "fix the spec to proceed");
  }

  /**
   * The status of a valid spec.
   *
   * @param desired replicas the operator asks the Deployment for
   * @param deployment the inference Deployment, if it exists yet
   */
  public static void observed(
      StatusAggregator aggregator,
      FluxDeployment fd,
      ValidatedSpec spec,
      int desired,
      Optional<Deployment> deployment,
      PodDiagnosis pods) {
    FluxDeploymentStatus status = aggregator.fields();
    int replicas = deployment.map(StatusComputer::replicas).orElse(0);
    int ready = deployment.map(StatusComputer::readyReplicas).orElse(0);
    status.setReplicas(replicas);
    status.setReadyReplicas(ready);
    status.setReady(ready + "/" + replicas);
    status.setDesiredReplicas(desired);
    status.setSelector(Labels.selectorString(fd));

    setGpuAvailable(aggregator, pods);
    setLicenseConfigured(aggregator, spec, pods);
    setProgressing(aggregator, fd, desired, deployment);
    setReady(aggregator, desired, ready, deployment, pods);
  }

  private static void setGpuAvailable(StatusAggregator conditions, PodDiagnosis pods) {
    pods.unschedulable()
        .ifPresentOrElse(
            message ->
                conditions.condition(
                    ConditionType.GPU_AVAILABLE,
                    Status.FALSE,
                    PodDiagnosis.unschedulableReason(message),
                    message),
            () ->
                conditions.condition(
                    ConditionType.GPU_AVAILABLE,
                    Status.TRUE,
                    "Scheduled",
                    "no pod is waiting for a GPU node"));
  }

  private static void setLicenseConfigured(
      StatusAggregator conditions, ValidatedSpec spec, PodDiagnosis pods) {
    if (!spec.metered()) {
      conditions.condition(
          ConditionType.LICENSE_CONFIGURED,
          Status.TRUE,
          "NotRequired",
          spec.model().slug() + " is Apache-2.0: no licence key and no usage reporting");
    } else if (pods.licenseProblem().isPresent()) {
      var ref = spec.spec().getLicense().getSecretRef();
      conditions.condition(
          ConditionType.LICENSE_CONFIGURED,
          Status.FALSE,
          "SecretNotFound",
          "the metering sidecar cannot get the licence key: create Secret "
              + ref.getName()
              + " with key "
              + ref.getKey()
              + " in this namespace (kubelet: "
              + pods.licenseProblem().get()
              + ")");
    } else if (pods.meteringStarted()) {
      conditions.condition(
          ConditionType.LICENSE_CONFIGURED,
          Status.TRUE,
          "SecretMounted",
          "the metering sidecar has the licence key");
    } else {
      conditions.condition(
          ConditionType.LICENSE_CONFIGURED,
          Status.UNKNOWN,
          "WaitingForPods",
          "no metering sidecar has started yet");
    }
  }

  private static void setProgressing(
      StatusAggregator conditions,
      FluxDeployment fd,
      int desired,
      Optional<Deployment> deployment) {
    if (fd.getSpec().isPaused()) {
      conditions.condition(
          ConditionType.PROGRESSING,
          Status.FALSE,
          "Paused",
          "spec.paused is true: the operator changes nothing until it is false");
      return;
    }
    if (deployment.isEmpty()) {
      conditions.condition(
          ConditionType.PROGRESSING, Status.TRUE, "Creating", "creating the inference Deployment");
      return;
    }
    Deployment d = deployment.get();
    Optional<DeploymentCondition> stalled =
        deploymentCondition(d, "Progressing")
            .filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()));
    if (stalled.isPresent()) {
      conditions.condition(
          ConditionType.PROGRESSING,
          Status.FALSE,
          "ProgressDeadlineExceeded",
          stalled.get().getMessage());
    } else if (rolledOut(d, desired)) {
      conditions.condition(
          ConditionType.PROGRESSING,
          Status.FALSE,
          "RolloutComplete",
          desired + " replicas updated and ready");
    } else {
      conditions.condition(
          ConditionType.PROGRESSING,
          Status.TRUE,
          "RollingOut",
          updatedReplicas(d)
              + " of "
              + desired
              + " replicas updated, "
              + readyReplicas(d)
              + " ready");
    }
  }

  private static void setReady(
      StatusAggregator conditions,
      int desired,
      int ready,
      Optional<Deployment> deployment,
      PodDiagnosis pods) {
    if (deployment.isPresent() && desired == 0 && replicas(deployment.get()) == 0) {
      conditions.condition(
          ConditionType.READY, Status.TRUE, "ScaledToZero", "no replicas wanted: scaled to zero");
    } else if (deployment.isPresent() && ready >= desired && rolledOut(deployment.get(), desired)) {
      conditions.condition(
          ConditionType.READY, Status.TRUE, "AllReplicasReady", ready + "/" + desired + " ready");
    } else if (pods.licenseProblem().isPresent()) {
      conditions.condition(
          ConditionType.READY,
          Status.FALSE,
          "LicenseNotConfigured",
          "pods cannot start without the licence Secret: see LicenseConfigured");
    } else if (pods.unschedulable().isPresent()) {
      conditions.condition(
          ConditionType.READY,
          Status.FALSE,
          "GPUUnavailable",
          "pods are waiting for GPU nodes: see GPUAvailable");
    } else {
      conditions.condition(
          ConditionType.READY, Status.FALSE, "ReplicasNotReady", ready + "/" + desired + " ready");
    }
  }

  private static boolean rolledOut(Deployment d, int desired) {
    long observed =
        d.getStatus() == null || d.getStatus().getObservedGeneration() == null
            ? 0
            : d.getStatus().getObservedGeneration();
    long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
    return observed >= generation
        && updatedReplicas(d) >= desired
        && readyReplicas(d) >= desired
        && replicas(d) == desired;
  }

  private static Optional<DeploymentCondition> deploymentCondition(Deployment d, String type) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static int replicas(Deployment d) {
    return d.getStatus() == null || d.getStatus().getReplicas() == null
        ? 0
        : d.getStatus().getReplicas();
  }

  private static int readyReplicas(Deployment d) {
    return d.getStatus() == null || d.getStatus().getReadyReplicas() == null
        ? 0
        : d.getStatus().getReadyReplicas();
  }

  private static int updatedReplicas(Deployment d) {
    return d.getStatus() == null || d.getStatus().getUpdatedReplicas() == null
        ? 0
        : d.getStatus().getUpdatedReplicas();
  }
}
