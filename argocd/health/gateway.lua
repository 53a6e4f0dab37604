-- Argo CD health of a Gateway of class agentgateway, from the status agentgateway v1.4.1 writes
-- (controller/pkg/controller/gw_controller.go, controller/pkg/reports/status.go):
--   Accepted=False (InvalidParameters: its AgentgatewayParameters cannot be applied)  -> Degraded
--   a listener with Accepted=False, ResolvedRefs=False (its certificate Secret is      -> Degraded, naming the
--   missing or invalid), Conflicted=True or Programmed=False with reason Invalid           listener
--   Programmed not yet True (the proxy is starting, an address is being assigned)       -> Progressing
-- The Gateway stays Accepted=True (reason ListenersNotValid) when one listener is broken, so the listeners are read.
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

local conditions = (obj.status or {}).conditions
local accepted = find(conditions, "Accepted")
if accepted == nil or stale(accepted) then
  hs.status = "Progressing"
  hs.message = "Waiting for the agentgateway controller to accept the Gateway"
  return hs
end
if accepted.status == "False" then
  hs.status = "Degraded"
  hs.message = accepted.message or ("Gateway not accepted (" .. (accepted.reason or "no reason") .. ")")
  return hs
end

for _, listener in ipairs(obj.status.listeners or {}) do
  local prefix = "Listener " .. (listener.name or "") .. ": "
  for _, kind in ipairs({ "Accepted", "ResolvedRefs" }) do
    local condition = find(listener.conditions, kind)
    if condition ~= nil and condition.status == "False" then
      hs.status = "Degraded"
      hs.message = prefix .. (condition.message or (kind .. " is False"))
      return hs
    end
  end
  local conflicted = find(listener.conditions, "Conflicted")
  if conflicted ~= nil and conflicted.status == "True" then
    hs.status = "Degraded"
    hs.message = prefix .. (conflicted.message or "conflicts with another listener")
    return hs
  end
  local programmed = find(listener.conditions, "Programmed")
  if programmed ~= nil and programmed.status == "False" and programmed.reason == "Invalid" then
    hs.status = "Degraded"
    hs.message = prefix .. (programmed.message or "invalid")
    return hs
  end
end

local programmed = find(conditions, "Programmed")
if programmed == nil or programmed.status ~= "True" or stale(programmed) then
  hs.status = (programmed ~= nil and programmed.status == "False" and programmed.reason == "Invalid") and "Degraded" or "Progressing"
  hs.message = (programmed and programmed.message) or "Waiting for the proxy to be programmed"
  return hs
end

hs.status = "Healthy"
hs.message = programmed.message or "Gateway programmed"
return hs
