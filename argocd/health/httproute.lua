-- Argo CD health of an HTTPRoute, from the status agentgateway v1.4.1 writes per parent Gateway
-- (controller/pkg/agentgateway/translator/route_collections.go): Accepted=False (no such listener, not allowed by
-- it, no matching hostname) or ResolvedRefs=False (a backend missing or of a kind it cannot use) -> Degraded with
-- the controller's message. No parent yet (the Gateway is synced by another Application, or not yet) -> Progressing.
local hs = {}

local function find(conditions, kind)
  for _, condition in ipairs(conditions or {}) do
    if condition.type == kind then return condition end
  end
  return nil
end

local function stale(conditions)
  for _, condition in ipairs(conditions or {}) do
    if condition.observedGeneration ~= nil and obj.metadata.generation ~= nil and condition.observedGeneration < obj.metadata.generation then return true end
  end
  return false
end

local parents = {}
for _, parent in ipairs((obj.status or {}).parents or {}) do
  if parent.controllerName == nil or parent.controllerName == "agentgateway.dev/agentgateway" then table.insert(parents, parent) end
end

if #parents == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for a Gateway to accept the route"
  return hs
end

for _, parent in ipairs(parents) do
  local ref = parent.parentRef or {}
  local name = "Gateway " .. (ref.name or "")
  if ref.sectionName ~= nil then name = name .. " listener " .. ref.sectionName end
  if stale(parent.conditions) then
    hs.status = "Progressing"
    hs.message = name .. ": waiting for the controller to process generation " .. tostring(obj.metadata.generation)
    return hs
  end
  for _, kind in ipairs({ "Accepted", "ResolvedRefs" }) do
    local condition = find(parent.conditions, kind)
    if condition ~= nil and condition.status == "False" then
      hs.status = "Degraded"
      local message = condition.message
      if message == nil or message == "" then message = kind .. " is False (" .. (condition.reason or "no reason") .. ")" end
      hs.message = name .. ": " .. message
      return hs
    end
  end
  if find(parent.conditions, "Accepted") == nil then
    hs.status = "Progressing"
    hs.message = name .. ": waiting for the route to be accepted"
    return hs
  end
end

hs.status = "Healthy"
hs.message = "Route accepted by its Gateway listeners"
return hs
