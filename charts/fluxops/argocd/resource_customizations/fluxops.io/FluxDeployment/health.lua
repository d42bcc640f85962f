-- Argo CD health check for FluxOps' FluxDeployment (fluxops.io).
--
-- Reads what the operator writes: status.observedGeneration, status.conditions (Ready,
-- Progressing, GPUAvailable, LicenseConfigured, Metering, ModelCached) and spec.paused. Without a health check Argo CD
-- calls a FluxDeployment Healthy as soon as it exists, even while its pods wait for GPUs.
--
-- Lua 5.1 only: the language Argo CD runs. The README ("GitOps with Argo CD") says how to install
-- it; examples/argocd/argocd-cm.yaml carries this same text, and a test keeps the two equal.

local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function is(c, status, reason)
  return c ~= nil and c.status == status and (reason == nil or c.reason == reason)
end

local function describe(c)
  local reason = c.reason or c.type
  if c.message == nil or c.message == "" then
    return reason
  end
  return reason .. ": " .. c.message
end

if obj.spec ~= nil and obj.spec.paused == true then
  hs.status = "Suspended"
  hs.message = "spec.paused is true: the operator changes nothing until it is false"
  return hs
end

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report a status"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

local ready = condition("Ready")
local progressing = condition("Progressing")
local gpu = condition("GPUAvailable")
local license = condition("LicenseConfigured")
local metering = condition("Metering")
local cache = condition("ModelCached")

-- What someone has to fix comes first: a rejected spec, a missing licence Secret, a key BFL
-- refuses or reports it rejects, a sidecar that cannot keep its journal, pods that no GPU node can
-- take, a rollout past its deadline, an error the operator keeps retrying. Reports that fail for
-- a while (BFL slow or down) are not here: the sidecars keep the images and retry.
local problems = {
  { ready, "False", "InvalidSpec" },
  { progressing, "False", "InvalidSpec" },
  { license, "False", nil },
  { ready, "False", "LicenseNotConfigured" },
  { metering, "False", "KeyRefused" },
  { metering, "False", "ReportRejected" },
  { metering, "False", "JournalUnwritable" },
  { gpu, "False", nil },
  { progressing, "False", "ProgressDeadlineExceeded" },
  { ready, "False", "ReconcileError" },
}
for _, problem in ipairs(problems) do
  if is(problem[1], problem[2], problem[3]) then
    hs.status = "Degraded"
    hs.message = describe(problem[1])
    return hs
  end
end

-- The model cache: a download under way (Downloading) or a loader pod about to start (Pending)
-- is progress; every other ModelCached=False needs a person: a licence to accept on Hugging
-- Face, a token Secret, a repo or revision name, a bigger claim, egress to the Hub.
if cache ~= nil and cache.status == "False" and cache.reason ~= "Downloading"
    and cache.reason ~= "Pending" then
  hs.status = "Degraded"
  hs.message = describe(cache)
  return hs
end

if is(ready, "True", nil) then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end

hs.status = "Progressing"
if is(cache, "False", nil) then
  -- How far the weights are: what the pods wait for.
  hs.message = describe(cache)
elseif ready ~= nil then
  hs.message = describe(ready)
elseif progressing ~= nil then
  hs.message = describe(progressing)
else
  hs.message = "Waiting for the operator to report readiness"
end
return hs
