-- search.lua — wrk scenario: name search, GET /api/v1/persons?q=...
--
--   AWDA_TOKEN=... wrk -t2 -c64 -d15s -s bench/wrk/search.lua http://127.0.0.1:8081
--
-- Queries are what a case worker types: a given name or its first letters
-- ("moh", "Fatou", "Ouédr"), sometimes followed by the first letters of a
-- father's or family name of the same naming tradition ("ahmed ab",
-- "amadou tra"), in Latin script (70%) or Arabic script (30%: "محمد",
-- "عبد ال", "فاطمة عث"). Names come from the same regions as the
-- generated data (bench/names.h). Queries are percent-encoded UTF-8.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local C = dofile(dir .. "common.lua")

-- Name groups: a two-word query takes both words from one group (given
-- name + father's or family name, as people are actually called).
local GROUPS = {
  { -- Sudanese, Egyptian, Syrian names in Latin script
    first = { "Mohamed", "Muhammad", "Ahmed", "Mahmoud", "Mostafa", "Abdallah", "Abdelrahman",
      "Osman", "Omar", "Ali", "Hassan", "Hussein", "Ibrahim", "Yousif", "Adam", "Ishag", "Musa",
      "Khalid", "Elsadig", "Fatima", "Aisha", "Amna", "Khadija", "Zeinab", "Mariam", "Hawa",
      "Samia", "Mona", "Nour", "Yasmin" },
    second = { "Mohamed", "Ahmed", "Osman", "Hassan", "Ibrahim", "Abdallah", "Adam", "Musa",
      "Eltayeb", "Babiker", "Bashir", "Hamid", "Ali", "Haddad", "Khalil", "Darwish", "Abdelaziz",
      "Nasreldin", "Elsayed" },
  },
  { -- the same names in Arabic script
    arabic = true,
    first = { "محمد", "أحمد", "محمود", "مصطفى", "عبد الله", "عبد الرحمن", "عثمان", "عمر", "علي",
      "حسن", "حسين", "إبراهيم", "يوسف", "آدم", "موسى", "خالد", "فاطمة", "عائشة", "آمنة",
      "خديجة", "زينب", "مريم", "حواء", "منى", "نور" },
    second = { "محمد", "أحمد", "عثمان", "حسن", "إبراهيم", "عبد الله", "آدم", "موسى", "الطيب",
      "بابكر", "بشير", "حامد", "علي", "حداد", "خليل" },
  },
  { -- Ethiopian and Eritrean
    first = { "Tesfaye", "Abebe", "Dawit", "Solomon", "Tigist", "Mekdes", "Hiwot", "Yonas",
      "Filmon", "Semhar", "Helen", "Mehari" },
    second = { "Bekele", "Haile", "Girma", "Kebede", "Tadesse", "Alemu", "Tesfay", "Kidane",
      "Tekle", "Berhane", "Yemane", "Habtom" },
  },
  { -- Malian, Guinean, Burkinabe, Nigerien (with and without accents)
    first = { "Amadou", "Moussa", "Oumar", "Bakary", "Seydou", "Fatoumata", "Aminata", "Mamadou",
      "Ibrahima", "Kadiatou", "Mariama", "Boukary", "Salif", "Issoufou", "Hadiza", "Abdoulaye" },
    second = { "Traoré", "Traore", "Keïta", "Keita", "Coulibaly", "Diarra", "Diallo", "Barry",
      "Camara", "Ouédraogo", "Ouedraogo", "Sawadogo", "Kaboré", "Garba", "Abdou", "Touré", "Cissé" },
  },
}
local WEIGHTS = { 0.40, 0.30, 0.12, 0.18 } -- Latin Arab, Arabic script, Horn, West Africa

local headers

function init(args)
  headers = { ["Authorization"] = "Bearer " .. C.token(), ["Accept"] = "application/json" }
end

-- First n (>= min) characters of a word.
local function prefix(word, min)
  local ch = C.utf8_chars(word)
  if #ch <= min then return word end
  local n = math.random(min, #ch)
  return table.concat(ch, "", 1, n)
end

local function query()
  local r, g = math.random(), nil
  for i, w in ipairs(WEIGHTS) do
    if r < w then g = GROUPS[i] break end
    r = r - w
  end
  g = g or GROUPS[1]
  local q
  if math.random() < 0.6 then
    q = prefix(C.pick(math.random() < 0.7 and g.first or g.second), 3)
  else
    q = C.pick(g.first) .. " " .. prefix(C.pick(g.second), 2)
  end
  if not g.arabic and math.random() < 0.5 then q = q:lower() end
  return q
end

function request()
  return wrk.format("GET", "/api/v1/persons?q=" .. C.urlencode(query()), headers)
end

C.install("search")
