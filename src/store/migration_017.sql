-- Migration 17: reintegration and money — what the office in the country
-- of origin works with after arrival. Three rooms share this schema:
--   money        (src/store/money.c, ledger.c): programmes, projects,
--                budget lines, the append-only ledger and its totals;
--   plans        (src/store/plans.c): needs assessments, reintegration
--                plans and their items, partners' services;
--   follow-up    (src/store/followup.c): monitoring visits, the
--                sustainability survey, activities.
--
-- Money is integers in minor units with an ISO 4217 currency. An amount in
-- another currency than its budget line's carries the rate it was converted
-- at as a fraction (rate_num / rate_den, both positive integers: 1 EUR =
-- 655.957 XOF is 655957/1000), never a float. Dates are ISO 8601 text,
-- times epoch milliseconds (UTC).

-- ---- money -------------------------------------------------------------

CREATE TABLE programmes (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL UNIQUE,             -- EU-IOM-JI
  name TEXT NOT NULL,
  components TEXT,                       -- JSON array of names
  regions TEXT,                          -- JSON array of names
  countries TEXT,                        -- JSON array of ISO 3166 alpha-3
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A project is what cases name in cases.project (by name).
CREATE TABLE projects (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL UNIQUE,             -- ML-PSS-2026
  name TEXT NOT NULL UNIQUE,
  programme_pk INTEGER REFERENCES programmes(pk),
  donor TEXT NOT NULL,
  currency TEXT NOT NULL,                -- ISO 4217: the currency of its budget lines
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  places TEXT,                           -- JSON array of {country, admin_area, pcode}
  targets TEXT,                          -- JSON object: indicator -> target (integer)
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE budget_lines (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  project_pk INTEGER NOT NULL REFERENCES projects(pk),
  code TEXT NOT NULL,                    -- 2.1
  name TEXT NOT NULL,                    -- Psychosocial support
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),  -- in the project's currency
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (project_pk, code)
);

-- The ledger is append-only: corrections are reversing entries (kind
-- 'reversal', reverses_pk the entry reversed, the same amount), never
-- edits or deletions; the triggers below refuse both. amount_minor is in
-- the budget line's currency and always positive; the kind says its sign
-- (a reversal takes back what the entry it reverses added).
--   commitment    an approved plan item (or an activity) commits its budget
--   release       what is left of a commitment when its item closes
--   disbursement  a payment (tranche, method, proof, recipient, who, when)
--   reversal      takes back one entry of any kind, once
-- A disbursement paid in another currency keeps what was paid
-- (paid_minor, paid_currency) and the recorded rate.
-- The same tranche of the same plan item is paid at most once: the
-- disbursement of (item, tranche) with attempt n is unique, and a new
-- attempt is possible only after the previous one was reversed.
CREATE TABLE ledger (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  budget_line_pk INTEGER NOT NULL REFERENCES budget_lines(pk),
  kind TEXT NOT NULL CHECK (kind IN ('commitment', 'release', 'disbursement', 'reversal')),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  paid_minor INTEGER,
  paid_currency TEXT,
  rate_num INTEGER CHECK (rate_num IS NULL OR rate_num > 0),
  rate_den INTEGER CHECK (rate_den IS NULL OR rate_den > 0),
  case_pk INTEGER REFERENCES cases(pk),
  person_pk INTEGER REFERENCES persons(pk),
  plan_item_pk INTEGER REFERENCES plan_items(pk),
  activity_pk INTEGER REFERENCES activities(pk),
  movement_pk INTEGER REFERENCES movements(pk),   -- a travel allowance
  tranche INTEGER,
  attempt INTEGER,
  method TEXT,           -- cash | mobile_money | bank_transfer | voucher | in_kind_purchase
  proof_reference TEXT,
  recipient TEXT,        -- the returnee, or the supplier paid for an in-kind purchase
  paid_by_pk INTEGER REFERENCES users(pk),
  paid_on TEXT,          -- the date it was paid
  reverses_pk INTEGER UNIQUE REFERENCES ledger(pk),
  reason TEXT,
  created_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk)
);
CREATE INDEX ledger_line ON ledger(budget_line_pk, pk);
CREATE INDEX ledger_case ON ledger(case_pk, pk) WHERE case_pk IS NOT NULL;
CREATE INDEX ledger_item ON ledger(plan_item_pk, pk) WHERE plan_item_pk IS NOT NULL;
CREATE UNIQUE INDEX ledger_one_tranche ON ledger(plan_item_pk, tranche, attempt)
  WHERE kind = 'disbursement' AND plan_item_pk IS NOT NULL;
CREATE UNIQUE INDEX ledger_one_allowance ON ledger(movement_pk, person_pk, attempt)
  WHERE kind = 'disbursement' AND movement_pk IS NOT NULL;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- Running totals per budget line, kept by the store in the transaction
-- that appends to the ledger, so that a budget view does not sum a
-- million entries; `awda ledger verify` proves them equal to the sums.
CREATE TABLE budget_line_totals (
  budget_line_pk INTEGER PRIMARY KEY REFERENCES budget_lines(pk),
  committed_minor INTEGER NOT NULL,      -- commitments - releases (- their reversals)
  disbursed_minor INTEGER NOT NULL,      -- disbursements (- their reversals)
  entries INTEGER NOT NULL
);

-- ---- plans ---------------------------------------------------------------

-- Partners: their kind, and the services and places they cover.
ALTER TABLE partners ADD COLUMN kind TEXT;  -- government | ngo | un_agency | private | community_association
CREATE TABLE partner_services (
  partner_pk INTEGER NOT NULL REFERENCES partners(pk),
  service TEXT NOT NULL,                 -- a plan item type
  country TEXT NOT NULL,
  admin_area TEXT NOT NULL DEFAULT '',   -- '' : the whole country
  PRIMARY KEY (partner_pk, service, country, admin_area)
) WITHOUT ROWID;

-- The reception and needs assessment after arrival. Health and
-- psychosocial needs are sealed at rest (src/util/seal.h) like medical
-- detail; the choice says whether the returnee chose their own project.
CREATE TABLE needs_assessments (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  case_pk INTEGER NOT NULL REFERENCES cases(pk),
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  assessed_on TEXT NOT NULL,
  skills TEXT,
  education TEXT,
  work_history TEXT,
  family_situation TEXT,
  housing TEXT,
  health_needs TEXT,                     -- sealed
  psychosocial_needs TEXT,               -- sealed
  project_idea TEXT,
  choice TEXT NOT NULL,                  -- own_project | proposed_option | referral
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk),
  updated_at INTEGER NOT NULL
);
CREATE INDEX needs_assessments_case ON needs_assessments(case_pk);

-- The types of plan item: a value table (dimension; names in three
-- languages), seeded here, extended by an administrator.
CREATE TABLE plan_item_types (
  code TEXT PRIMARY KEY,
  dimension TEXT NOT NULL,               -- economic | social | psychosocial
  name_en TEXT NOT NULL,
  name_fr TEXT NOT NULL,
  name_ar TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
INSERT INTO plan_item_types(code, dimension, name_en, name_fr, name_ar) VALUES
  ('business_start_up', 'economic', 'Business start-up', 'Création d''entreprise', 'إنشاء مشروع'),
  ('business_expansion', 'economic', 'Business expansion', 'Développement d''entreprise', 'توسيع مشروع'),
  ('vocational_training', 'economic', 'Vocational training', 'Formation professionnelle', 'تدريب مهني'),
  ('business_training', 'economic', 'Business training', 'Formation en gestion d''entreprise', 'تدريب على إدارة المشاريع'),
  ('job_placement', 'economic', 'Job placement', 'Placement en emploi', 'التوظيف'),
  ('education', 'social', 'Education', 'Éducation', 'التعليم'),
  ('housing', 'social', 'Housing', 'Logement', 'السكن'),
  ('medical_care', 'social', 'Medical care', 'Soins médicaux', 'الرعاية الطبية'),
  ('legal_help', 'social', 'Legal help', 'Aide juridique', 'المساعدة القانونية'),
  ('family_tracing', 'social', 'Family tracing', 'Recherche familiale', 'البحث عن الأسرة'),
  ('psychosocial_counselling', 'psychosocial', 'Psychosocial counselling', 'Soutien psychosocial', 'الإرشاد النفسي والاجتماعي'),
  ('community_support', 'psychosocial', 'Community support', 'Soutien communautaire', 'الدعم المجتمعي');

-- A plan: individual (one case), collective (several returnees share one
-- project, each with a share) or community (a place, and beneficiaries
-- beyond the returnees counted by sex and age group).
CREATE TABLE plans (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                    -- individual | collective | community
  title TEXT NOT NULL,
  office_pk INTEGER NOT NULL REFERENCES offices(pk),
  country TEXT,                          -- community: the place
  admin_area TEXT,
  pcode TEXT,
  status TEXT NOT NULL,                  -- draft | approved | closed | cancelled
  approved_by_pk INTEGER REFERENCES users(pk),
  approved_at INTEGER,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk),
  updated_at INTEGER NOT NULL
);
-- The returnees of a plan (one for an individual plan); share_bp is their
-- share of a collective project in basis points (10000 = all).
CREATE TABLE plan_members (
  plan_pk INTEGER NOT NULL REFERENCES plans(pk),
  case_pk INTEGER NOT NULL REFERENCES cases(pk),
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  share_bp INTEGER NOT NULL CHECK (share_bp BETWEEN 0 AND 10000),
  PRIMARY KEY (plan_pk, person_pk)
) WITHOUT ROWID;
CREATE INDEX plan_members_case ON plan_members(case_pk);
CREATE TABLE plan_beneficiaries (
  plan_pk INTEGER NOT NULL REFERENCES plans(pk),
  sex TEXT NOT NULL,                     -- female | male
  age_group TEXT NOT NULL,               -- 0-4 | 5-11 | 12-17 | 18-59 | 60+
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (plan_pk, sex, age_group)
) WITHOUT ROWID;

CREATE TABLE plan_items (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  plan_pk INTEGER NOT NULL REFERENCES plans(pk),
  type TEXT NOT NULL REFERENCES plan_item_types(code),
  description TEXT,
  budget_minor INTEGER NOT NULL CHECK (budget_minor >= 0),
  currency TEXT NOT NULL,
  modality TEXT NOT NULL,                -- cash | in_kind
  delivery TEXT NOT NULL,                -- direct | referral
  partner_pk INTEGER REFERENCES partners(pk),
  referral_status TEXT,                  -- sent | accepted | completed | declined
  budget_line_pk INTEGER REFERENCES budget_lines(pk),
  evidence TEXT,
  status TEXT NOT NULL,                  -- planned | approved | in_progress | delivered | cancelled
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX plan_items_plan ON plan_items(plan_pk);

-- ---- follow-up -------------------------------------------------------------

CREATE TABLE monitoring_visits (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  case_pk INTEGER NOT NULL REFERENCES cases(pk),
  visited_on TEXT NOT NULL,
  mode TEXT NOT NULL,                    -- in_person | phone
  visitor TEXT NOT NULL,
  findings TEXT,
  item_states TEXT,                      -- JSON: [{item, status, note}]
  created_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk)
);
CREATE INDEX monitoring_visits_case ON monitoring_visits(case_pk, visited_on);

-- The sustainability survey: a versioned instrument (its definition as
-- JSON: questions, answer options and their scores, indicators,
-- dimensions, weights), raw answers kept, scores computed from them in
-- basis points (0..10000 for 0..1) and recomputed when the instrument
-- changes.
CREATE TABLE survey_instruments (
  pk INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (code, version)
);
CREATE TABLE survey_responses (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  case_pk INTEGER NOT NULL REFERENCES cases(pk),
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  instrument_code TEXT NOT NULL,
  round TEXT NOT NULL,                   -- baseline | follow_up
  answered_on TEXT NOT NULL,
  answers TEXT NOT NULL,                 -- JSON: question -> answer option
  scored_version INTEGER,                -- the instrument version of the scores
  economic_bp INTEGER,
  social_bp INTEGER,
  psychosocial_bp INTEGER,
  composite_bp INTEGER,
  created_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk)
);
CREATE INDEX survey_responses_person ON survey_responses(person_pk, answered_on);

CREATE TABLE activities (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,  -- psychosocial_group | training | awareness | community_event | workshop
  title TEXT NOT NULL,
  held_on TEXT NOT NULL,
  office_pk INTEGER NOT NULL REFERENCES offices(pk),
  country TEXT NOT NULL,
  admin_area TEXT,
  pcode TEXT,
  project_pk INTEGER REFERENCES projects(pk),
  budget_line_pk INTEGER REFERENCES budget_lines(pk),
  facilitators TEXT,
  cost_minor INTEGER CHECK (cost_minor IS NULL OR cost_minor >= 0),
  currency TEXT,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by_pk INTEGER REFERENCES users(pk),
  updated_at INTEGER NOT NULL
);
CREATE TABLE activity_participants (
  activity_pk INTEGER NOT NULL REFERENCES activities(pk),
  person_pk INTEGER NOT NULL REFERENCES persons(pk),
  PRIMARY KEY (activity_pk, person_pk)
) WITHOUT ROWID;
CREATE TABLE activity_counts (
  activity_pk INTEGER NOT NULL REFERENCES activities(pk),
  sex TEXT NOT NULL,
  age_group TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (activity_pk, sex, age_group)
) WITHOUT ROWID;
