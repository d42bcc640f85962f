package io.fluxops.tools.simulate;

/** When a simulated pod has to build a TensorRT engine before it serves. */
public enum EngineBuild {
  /** Never: no TensorRT, or every engine is already cached. */
  NEVER,
  /** The first pod builds and writes the shared engine cache; later pods load from it. */
  FIRST_POD,
  /** Every pod builds: there is no engine cache volume. */
  EVERY_POD
}
