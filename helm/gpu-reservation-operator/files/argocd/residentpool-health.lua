-- Argo CD health check for gpureservation.io/ResidentPool (docs/gitops.md).
-- Healthy: the operator observed this generation, the pool is Active and Ready, and the spec is
-- in force. Progressing: not yet observed. Degraded: expired, released, or a refused change
-- (overdue namespace, change not allowed, no price).
local hs = {}

local function condition(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local status = obj.status
local generation = obj.metadata.generation
if status == nil or status.observedGeneration == nil
    or (generation ~= nil and status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to observe the pool's current spec"
  return hs
end

local ready = condition(status.conditions, "Ready")
local applied = condition(status.conditions, "SpecApplied")
local fees = condition(status.conditions, "FeesComputed")

if applied ~= nil and applied.status == "False" then
  hs.status = "Degraded"
  hs.message = applied.reason .. ": " .. (applied.message or "")
  return hs
end
if fees ~= nil and fees.status == "False" then
  hs.status = "Degraded"
  hs.message = fees.reason .. ": " .. (fees.message or "")
  return hs
end
if status.phase == "Expired" or status.phase == "Released" then
  hs.status = "Degraded"
  hs.message = status.phase .. ": " .. ((ready and ready.message) or "")
  return hs
end
if status.phase == "Active" and ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Active"
  return hs
end
hs.status = "Progressing"
hs.message = "phase " .. (status.phase or "unknown")
return hs
