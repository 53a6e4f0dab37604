-- Argo CD health of an AgentgatewayBackend, from its Accepted condition as the agentgateway v1.4.1 controller
-- writes it: False (reason TranslationError: a Secret, a ConfigMap or a Service it names cannot be resolved) means
-- the proxy has no such backend, so every route to it fails -> Degraded with the controller's message.
local hs = {}

local accepted = nil
for _, condition in ipairs((obj.status or {}).conditions or {}) do
  if condition.type == "Accepted" then accepted = condition end
end

if accepted == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the agentgateway controller to accept the backend"
elseif accepted.observedGeneration ~= nil and obj.metadata.generation ~= nil and accepted.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the agentgateway controller to process generation " .. tostring(obj.metadata.generation)
elseif accepted.status == "False" then
  hs.status = "Degraded"
  hs.message = accepted.message or "the backend is not accepted"
else
  hs.status = "Healthy"
  hs.message = accepted.message or "Backend accepted"
end
return hs
