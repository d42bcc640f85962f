package io.fluxops.operator.api;

/** Name patterns Kubernetes enforces, repeated in the CRD so a bad name fails at apply time. */
final class Dns {

  /** RFC 1123 subdomain: object names such as Secrets and PersistentVolumeClaims. */
  static final String SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  private Dns() {}
}
