-- post_case.lua — wrk scenario: register a household, POST /api/v1/cases.
--
--   AWDA_TOKEN=... wrk -t2 -c64 -d15s -s bench/wrk/post_case.lua http://127.0.0.1:8081
--
-- Every request is a new household at office EG-CAI (Cairo): a principal
-- applicant, sometimes a spouse and children (1–5 members, about 1.7 on
-- average like the generated data), Sudanese, Ethiopian, Eritrean or
-- Syrian, names in Arabic script with a Latin form or Latin only, dates
-- of birth, languages, a phone, sometimes a passport. Each request carries
-- a unique Idempotency-Key (run nonce, thread, counter), so every answer
-- is a real registration; a 201 means the server acknowledged it (and, by
-- awda's contract, made it durable). The body is rebuilt per request.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local C = dofile(dir .. "common.lua")

local AR_M = {
  {"محمد", "Mohamed"}, {"أحمد", "Ahmed"}, {"عثمان", "Osman"}, {"عمر", "Omar"}, {"علي", "Ali"},
  {"حسن", "Hassan"}, {"إبراهيم", "Ibrahim"}, {"يوسف", "Yousif"}, {"آدم", "Adam"},
  {"موسى", "Musa"}, {"خالد", "Khalid"}, {"الصادق", "Elsadig"}, {"بابكر", "Babiker"},
  {"عبد الله", "Abdallah"}, {"عبد الرحمن", "Abdelrahman"}, {"حامد", "Hamid"},
}
local AR_F = {
  {"فاطمة", "Fatima"}, {"عائشة", "Aisha"}, {"آمنة", "Amna"}, {"خديجة", "Khadija"},
  {"زينب", "Zeinab"}, {"مريم", "Mariam"}, {"حواء", "Hawa"}, {"سامية", "Samia"},
  {"منى", "Mona"}, {"نور", "Nour"},
}
local NATS = {
  { code = "SDN", arabic = true, area = {"Khartoum", "SD01"}, phone = "+2499", langs = '["ar"]' },
  { code = "SYR", arabic = true, area = {"Aleppo", "SY02"}, phone = "+9639", langs = '["ar"]' },
  { code = "ETH", arabic = false, area = {"Oromia", "ET04"}, phone = "+2519", langs = '["am","en"]',
    m = {"Abebe", "Dawit", "Tesfaye", "Solomon", "Girma", "Kebede", "Abdi"},
    f = {"Tigist", "Mekdes", "Hiwot", "Selam", "Almaz", "Chaltu"} },
  { code = "ERI", arabic = false, area = {"Anseba", "ER02"}, phone = "+2917", langs = '["ti","ar"]',
    m = {"Tesfay", "Yonas", "Filmon", "Mehari", "Kidane", "Habtom"},
    f = {"Semhar", "Helen", "Senait", "Luwam", "Winta", "Rahwa"} },
}

local headers, nonce, counter, year

function init(args)
  headers = {
    ["Authorization"] = "Bearer " .. C.token(),
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  nonce = string.format("%x%04x", os.time(), math.random(0, 0xffff))
  counter = 0
  year = tonumber(os.date("!%Y"))
end

local function digits(n)
  local t = {}
  for i = 1, n do t[i] = tostring(math.random(0, 9)) end
  return table.concat(t)
end

-- {name, name_latin} for someone of nationality n.
local function person_name(n, female, father)
  if n.arabic then
    local g = C.pick(female and AR_F or AR_M)
    local f1 = father or C.pick(AR_M)
    local f2 = C.pick(AR_M)
    local lat = g[2] .. " " .. f1[2] .. " " .. f2[2]
    if math.random() < 0.8 then
      return g[1] .. " " .. f1[1] .. " " .. f2[1], lat, g
    end
    return lat, lat, g
  end
  local g = C.pick(female and n.f or n.m)
  local f1 = father or C.pick(n.m)
  local nm = g .. " " .. (type(f1) == "table" and f1[1] or f1)
  return nm, nm, { g, g }
end

local function person_json(n, rel, female, age, father)
  local name, latin, given = person_name(n, female, father)
  local dob = string.format("%04d-%02d-%02d", year - age, math.random(1, 12), math.random(1, 28))
  local parts = {
    string.format('{"relationship":"%s","person":{"name":"%s","name_latin":"%s","sex":"%s",' ..
      '"date_of_birth":"%s","dob_precision":"exact","nationality":"%s","languages":%s',
      rel, name, latin, female and "female" or "male", dob, n.code, n.langs),
  }
  if age >= 18 then
    parts[#parts + 1] = string.format(',"contact":{"phone":"%s%s"}', n.phone, digits(8))
  end
  if math.random() < 0.6 then
    parts[#parts + 1] = string.format(
      ',"documents":[{"type":"passport","number":"P%s","issuing_country":"%s","expiry":"%04d-%02d-%02d"}]',
      digits(8), n.code, year + math.random(1, 8), math.random(1, 12), math.random(1, 28))
  end
  parts[#parts + 1] = ',"vulnerabilities":[]}}'
  return table.concat(parts), given
end

local function body()
  local n = C.pick(NATS)
  local r = math.random()
  local size = r < 0.62 and 1 or r < 0.78 and 2 or r < 0.89 and 3 or r < 0.96 and 4 or 5
  local principal_female = size > 1 and math.random() < 0.15
  local age = math.random(20, 45)
  local members = {}
  local pj, given = person_json(n, "principal", principal_female, age)
  members[1] = pj
  for i = 2, size do
    if i == 2 and math.random() < 0.8 then
      members[i] = (person_json(n, "spouse", not principal_female, math.max(18, age - math.random(0, 6))))
    else
      local father = (not principal_female) and given or nil
      members[i] = (person_json(n, "child", math.random() < 0.5, math.random(1, math.min(17, age - 18)), father))
    end
  end
  return string.format(
    '{"office":"EG-CAI","origin_country":"%s","destination_country":"%s",' ..
    '"destination_admin_area":"%s","destination_pcode":"%s","project":"EU-IOM Joint Initiative - Horn of Africa",' ..
    '"notes":"Registered in the benchmark; wishes to return.","members":[%s]}',
    n.code, n.code, n.area[1], n.area[2], table.concat(members, ","))
end

function request()
  counter = counter + 1
  headers["Idempotency-Key"] = string.format("bench-%s-%d-%d", nonce, thread_id or 1, counter)
  return wrk.format("POST", "/api/v1/cases", headers, body())
end

C.install("post_case")
