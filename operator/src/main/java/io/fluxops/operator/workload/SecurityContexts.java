package io.fluxops.operator.workload;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/** The Kubernetes "restricted" Pod Security Standard, as far as each container allows. */
final class SecurityContexts {

  private SecurityContexts() {}

  /** Non-root with the default seccomp profile; volumes group-owned so both users can write. */
  static PodSecurityContext pod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(PodLayout.RUN_AS_USER)
        .withRunAsGroup(PodLayout.RUN_AS_USER)
        .withFsGroup(PodLayout.RUN_AS_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /**
   * No privilege escalation and no capabilities. The inference server keeps a writable root
   * filesystem because model servers write caches in many places; the sidecar does not need one.
   */
  static SecurityContext container(boolean readOnlyRootFilesystem) {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(readOnlyRootFilesystem)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .addToDrop("ALL")
        .endCapabilities()
        .build();
  }
}
