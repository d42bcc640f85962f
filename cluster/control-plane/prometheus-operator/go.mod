// Not built: the cluster tests take the Prometheus Operator's CRDs (ServiceMonitor, PodMonitor,
// PrometheusRule) from this module's source, so the chart's monitoring objects meet the real schemas.
module fluxops.io/tools/control-plane/prometheus-operator

go 1.24.0

require github.com/prometheus-operator/prometheus-operator v0.85.0
