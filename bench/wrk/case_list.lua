-- case_list.lua — wrk scenario: the case list, GET /api/v1/cases, as a case
-- worker pages it.
--
--   AWDA_TOKEN=... wrk -t2 -c16 -d15s -s bench/wrk/case_list.lua http://127.0.0.1:8081
--
-- A page of fifty: the newest cases (40%), the cases at one stage (40%:
-- registered, counselled, consented, eligible, ready), or the cases of a
-- person whose name begins with a few letters (20%: "moh", "fat", "ama",
-- "عبد", "tes"). Prints the RESULT line of common.lua at the end.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local C = dofile(dir .. "common.lua")

local STAGES = { "registered", "counselled", "consented", "eligible", "ready" }
local NAMES = { "moh", "fat", "ama", C.urlencode("عبد"), "tes" }

local headers

function init(args)
  headers = { ["Authorization"] = "Bearer " .. C.token(), ["Accept"] = "application/json" }
end

function request()
  local r, path = math.random(), "/api/v1/cases?limit=50"
  if r < 0.4 then
    path = path .. "&stage=" .. STAGES[math.random(#STAGES)]
  elseif r < 0.6 then
    path = path .. "&q=" .. NAMES[math.random(#NAMES)]
  end
  return wrk.format("GET", path, headers)
end

C.install("case_list")
