{{/* The release's full name, the name of every namespaced object of the operator. */}}
{{- define "fluxops.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "fluxops.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every object of the release, whatever it is. */}}
{{- define "fluxops.commonLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: fluxops
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Labels of the operator's own objects. */}}
{{- define "fluxops.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}-operator
{{ include "fluxops.commonLabels" . }}
{{- end -}}

{{- define "fluxops.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "fluxops.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: name the existing ServiceAccount to run the operator as, or set serviceAccount.create=true" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "fluxops.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "fluxops.meteringImage" -}}
{{- printf "%s:%s" .Values.meteringImage.repository (.Values.meteringImage.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "fluxops.loaderImage" -}}
{{- printf "%s:%s" .Values.loaderImage.repository (.Values.loaderImage.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
The name of the Lease the operator takes (OperatorConfig.LEASE_NAME in the operator; a test
checks the two agree).
*/}}
{{- define "fluxops.leaseName" -}}
fluxops-operator
{{- end -}}

{{/*
Everything the operator does with the Kubernetes API, for the ClusterRole or for each watched
namespace's Role. The one place these rules are written; deploy/.../RbacTest lists which code
makes each call and fails when the chart grants anything else.
*/}}
{{- define "fluxops.operatorRules" -}}
# The FluxDeployments: the controller's informer.
- apiGroups: ["fluxops.io"]
  resources: ["fluxdeployments"]
  verbs: ["list", "watch"]
# Status, written as a JSON patch of the status subresource.
- apiGroups: ["fluxops.io"]
  resources: ["fluxdeployments/status"]
  verbs: ["patch"]
# The owned objects carry blockOwnerDeletion: clusters that enforce owner-reference permissions
# (OpenShift, and any with the OwnerReferencesPermissionEnforcement admission plugin) require
# this on the owner.
- apiGroups: ["fluxops.io"]
  resources: ["fluxdeployments/finalizers"]
  verbs: ["update"]
# What the operator creates per FluxDeployment: informers, create, and update (PUT).
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "update"]
- apiGroups: [""]
  resources: ["services", "serviceaccounts"]
  verbs: ["list", "watch", "create", "update"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "update"]
# The NetworkPolicy of each FluxDeployment counted by proxy: its informer, create, update, and
# delete when the spec leaves proxy counting.
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["list", "watch", "create", "update", "delete"]
# The model cache's loader Jobs: their informer, create, and delete of a superseded load's Job.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create", "delete"]
# The inference pods, read to explain why they wait (GPU, licence Secret).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
# Events of pods stuck before their containers start.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["list"]
{{- end -}}
