-- dupeval.lua — wrk scenario of bench/dupeval.py: the possible duplicates
-- of labelled persons, GET /api/v1/persons/{id}/duplicates?limit=10.
--
--   AWDA_TOKEN=... AWDA_DUP_IDS=bench/out/dupeval-ids.txt \
--     wrk -t2 -c8 -d10s --latency -s bench/dupeval.lua http://127.0.0.1:PORT
--
-- The ids file holds one person id per line (the probes dupeval.py
-- queried); each thread walks it from its own random start. The token and
-- the RESULT line come from bench/wrk/common.lua.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local C = dofile(dir .. "wrk/common.lua")

local ids = {}
local path = os.getenv("AWDA_DUP_IDS") or "bench/out/dupeval-ids.txt"
local s = C.read_file(path)
if not s then
  io.stderr:write("no ids file: " .. path .. "\n")
  os.exit(1)
end
for line in s:gmatch("[^\n]+") do ids[#ids + 1] = line end
local token = C.token()
local pos = 1

init = function(args)
  pos = math.random(#ids)
end

request = function()
  pos = pos % #ids + 1
  return wrk.format("GET", "/api/v1/persons/" .. ids[pos] .. "/duplicates?limit=10",
    { ["Authorization"] = "Bearer " .. token })
end

C.install("duplicates")
