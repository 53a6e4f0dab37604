-- Argo CD health of an AgentgatewayPolicy, from the status the agentgateway v1.4.1 controller writes per ancestor
-- (controller/pkg/agentgateway/plugins/traffic_plugin.go, PolicyConditionMap):
--   Accepted=False (Invalid)          the policy was refused                          -> Degraded
--   Accepted=True, PartiallyValid     part of it was dropped: remote JWKS not fetched, -> Degraded
--                                     a backend not found, a CEL expression invalid.
--                                     A strict JWT rule without its keys refuses every
--                                     token, so "accepted" would hide a total outage.
--   Attached=False (Pending)          its target does not exist or is on no Gateway   -> Healthy, with the message:
--                                     the policy is synced before its routes and the Gateway (sync wave 1), so
--                                     this is every first sync; a missing target shows on the target itself.
local hs = {}

local function find(conditions, kind)
  for _, condition in ipairs(conditions or {}) do
    if condition.type == kind then return condition end
  end
  return nil
end

local function stale(condition)
  return condition.observedGeneration ~= nil and obj.metadata.generation ~= nil and condition.observedGeneration < obj.metadata.generation
end

local function where(ancestor)
  local ref = ancestor.ancestorRef or {}
  if ref.kind == nil then return "" end
  return ref.kind .. " " .. (ref.name or "") .. ": "
end

if obj.status == nil or obj.status.ancestors == nil or #obj.status.ancestors == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the agentgateway controller to report on the policy"
  return hs
end

local pending = nil
for _, ancestor in ipairs(obj.status.ancestors) do
  if ancestor.controllerName == nil or ancestor.controllerName == "agentgateway.dev/agentgateway" then
    local accepted = find(ancestor.conditions, "Accepted")
    if accepted ~= nil and stale(accepted) then
      hs.status = "Progressing"
      hs.message = "Waiting for the agentgateway controller to process generation " .. tostring(obj.metadata.generation)
      return hs
    end
    if accepted ~= nil and accepted.status == "False" then
      hs.status = accepted.reason == "Pending" and "Progressing" or "Degraded"
      hs.message = where(ancestor) .. (accepted.message or "the policy is not accepted")
      return hs
    end
    if accepted ~= nil and accepted.reason == "PartiallyValid" then
      hs.status = "Degraded"
      hs.message = where(ancestor) .. (accepted.message or "part of the policy is invalid")
      return hs
    end
    local attached = find(ancestor.conditions, "Attached")
    if attached ~= nil and attached.status == "False" and pending == nil then
      pending = attached.message or "the policy is not attached"
    end
  end
end

hs.status = "Healthy"
hs.message = pending or "Policy accepted and attached"
return hs
