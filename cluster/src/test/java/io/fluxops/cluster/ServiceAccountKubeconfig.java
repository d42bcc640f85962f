package io.fluxops.cluster;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A kubeconfig that authenticates as a ServiceAccount with a token from the TokenRequest API, as
 * the kubelet mounts one into a pod: every call made with it goes through RBAC as that account.
 */
final class ServiceAccountKubeconfig {

  private ServiceAccountKubeconfig() {}

  static Path write(KwokCluster cluster, String namespace, String serviceAccount, Path file) {
    TokenRequest request =
        cluster
            .admin()
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(4 * 3600L)
                    .endSpec()
                    .build());
    Config admin = cluster.admin().getConfiguration();
    String user = "system:serviceaccount:" + namespace + ":" + serviceAccount;
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kwok
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: %s
          context: {cluster: kwok, user: %s, namespace: %s}
        current-context: %s
        """
            .formatted(
                admin.getMasterUrl(),
                caData(admin),
                user,
                request.getStatus().getToken(),
                serviceAccount,
                user,
                namespace,
                serviceAccount);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String caData(Config config) {
    if (config.getCaCertData() != null) {
      return config.getCaCertData();
    }
    try {
      return Base64.getEncoder()
          .encodeToString(
              Files.readString(Path.of(config.getCaCertFile())).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster's CA " + config.getCaCertFile(), e);
    }
  }
}
