-- readiness.lua — wrk scenario: authenticated GET /api/v1/cases/{id}/readiness.
--
--   AWDA_TOKEN=... AWDA_IDS=bench/out/case_ids.txt \
--     wrk -t2 -c64 -d15s -s bench/wrk/readiness.lua http://127.0.0.1:8081
--
-- Each request asks what a case needs for its next steps (the guards run
-- over its snapshot: the case, its records, restrictions and previous
-- returns) for a case chosen uniformly at random from the ids file (one
-- UUID per line, $AWDA_IDS, default bench/out/case_ids.txt), with
-- Authorization: Bearer <token> (see common.lua for where the token comes
-- from). Prints the RESULT line of common.lua at the end.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local C = dofile(dir .. "common.lua")

local ids, headers

function init(args)
  local path = os.getenv("AWDA_IDS") or "bench/out/case_ids.txt"
  ids = {}
  local f = io.open(path, "r")
  if not f then
    io.stderr:write("cannot read ids file " .. path .. "\n")
    os.exit(1)
  end
  for line in f:lines() do
    if #line >= 36 then ids[#ids + 1] = line:sub(1, 36) end
  end
  f:close()
  if #ids == 0 then
    io.stderr:write("no ids in " .. path .. "\n")
    os.exit(1)
  end
  headers = { ["Authorization"] = "Bearer " .. C.token(), ["Accept"] = "application/json" }
end

function request()
  return wrk.format("GET", "/api/v1/cases/" .. ids[math.random(#ids)] .. "/readiness", headers)
end

C.install("readiness")
