-- Argo CD health check for gpureservation.io/CapacityReservation (docs/gitops.md).
-- Healthy: the operator observed this generation and the reservation is Ready (and its capacity
-- is held, where the operator reports it). Progressing: not yet observed. Suspended: past
-- spec.releaseAt (Expired) or outside its live time (Pending): by design, nothing to fix.
-- Degraded: not Ready for another reason (unknown card type or shape), or capacity not held.
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
  hs.message = "waiting for the operator to observe the reservation's current spec"
  return hs
end

local ready = condition(status.conditions, "Ready")
if status.phase == "Expired" or status.phase == "Pending" then
  hs.status = "Suspended"
  hs.message = status.phase .. ": " .. ((ready and ready.message) or "")
  return hs
end
if ready == nil then
  hs.status = "Progressing"
  hs.message = "no Ready condition yet"
  return hs
end
if ready.status ~= "True" then
  hs.status = "Degraded"
  hs.message = (ready.reason or "") .. ": " .. (ready.message or "")
  return hs
end
local held = condition(status.conditions, "CapacityHeld")
if held ~= nil and held.status == "False" then
  hs.status = "Degraded"
  hs.message = (held.reason or "") .. ": " .. (held.message or "")
  return hs
end
hs.status = "Healthy"
hs.message = ready.message or "Active"
return hs
