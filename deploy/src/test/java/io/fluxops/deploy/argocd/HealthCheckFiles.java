package io.fluxops.deploy.argocd;

import io.fluxops.deploy.support.RepoFiles;

/** Where the FluxDeployment health check lives: Argo CD's resource_customizations layout. */
final class HealthCheckFiles {

  static final String DIRECTORY =
      "charts/fluxops/argocd/resource_customizations/fluxops.io/FluxDeployment";
  static final String SCRIPT = DIRECTORY + "/health.lua";
  static final String TESTS = DIRECTORY + "/health_test.yaml";

  private HealthCheckFiles() {}

  static String script() {
    return RepoFiles.read(SCRIPT);
  }
}
