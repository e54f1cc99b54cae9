-- common.lua — shared by the awda wrk scripts (get_case, post_case, search).
--
-- Loaded with dofile() from each scenario script (found next to it). It
--   * reads the session token: $AWDA_TOKEN, else the file named by
--     $AWDA_TOKEN_FILE (default bench/out/token.txt);
--   * numbers wrk's threads in setup() and seeds each thread's random
--     generator differently in init();
--   * optionally (AWDA_BENCH_STATUS=1) counts responses per status code, at
--     a small cost in wrk, to show why a scenario fails;
--   * prints, in done(), one parseable line per run:
--       RESULT name=get_case requests=N duration_s=15.00 rps=... ok_rps=...
--              p50_ms=... p95_ms=... p99_ms=... max_ms=... non2xx=N sock_errors=N
--     ok_rps counts only 2xx/3xx answers (wrk's own non-2xx counter).
local M = {}

function M.read_file(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

function M.token()
  local t = os.getenv("AWDA_TOKEN")
  if t and #t > 0 then return t end
  local path = os.getenv("AWDA_TOKEN_FILE") or "bench/out/token.txt"
  local s = M.read_file(path)
  if not s then
    io.stderr:write("no token: set AWDA_TOKEN or AWDA_TOKEN_FILE (" .. path .. ")\n")
    os.exit(1)
  end
  return (s:gsub("%s+", ""))
end

function M.urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- UTF-8 characters of s as a list (so prefixes never cut a character).
function M.utf8_chars(s)
  local t = {}
  for ch in s:gmatch("[%z\1-\127\194-\244][\128-\191]*") do t[#t + 1] = ch end
  return t
end

function M.pick(t) return t[math.random(#t)] end

-- Installs setup/init/done (and response when AWDA_BENCH_STATUS=1) as
-- globals for scenario `name`.
function M.install(name)
  local threads, counter = {}, 0
  local count_status = os.getenv("AWDA_BENCH_STATUS") == "1"

  setup = function(thread)
    counter = counter + 1
    thread:set("thread_id", counter)
    table.insert(threads, thread)
  end

  local user_init = init
  init = function(args)
    thread_id = thread_id or 1
    math.randomseed(os.time() * 1000 + thread_id * 7919 + math.floor(os.clock() * 1e6))
    statuses = {}
    if user_init then user_init(args) end
  end

  if count_status then
    response = function(status, headers, body)
      statuses[status] = (statuses[status] or 0) + 1
      if status >= 400 and not first_error then first_error = body end
    end
  end

  done = function(summary, latency, requests)
    local dur = summary.duration / 1e6
    local e = summary.errors
    local sock = e.connect + e.read + e.write + e.timeout
    local ok = summary.requests - e.status - sock
    if ok < 0 then ok = 0 end
    io.write(string.format(
      "RESULT name=%s requests=%d duration_s=%.2f rps=%.1f ok_rps=%.1f p50_ms=%.3f p95_ms=%.3f " ..
      "p99_ms=%.3f max_ms=%.3f non2xx=%d sock_errors=%d\n",
      name, summary.requests, dur, summary.requests / dur, ok / dur,
      latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, e.status, sock))
    if count_status then
      local merged, first = {}, nil
      for _, t in ipairs(threads) do
        local st = t:get("statuses")
        if st then for k, v in pairs(st) do merged[k] = (merged[k] or 0) + v end end
        first = first or t:get("first_error")
      end
      local parts = {}
      for k, v in pairs(merged) do parts[#parts + 1] = k .. ":" .. v end
      table.sort(parts)
      io.write("STATUS name=" .. name .. " " .. table.concat(parts, " ") .. "\n")
      if first then io.write("FIRST_ERROR " .. tostring(first):sub(1, 300) .. "\n") end
    end
  end
end

return M
