-- Migration 6: retention — when a case (and with it the personal data of
-- its members) was anonymised. An anonymised case keeps its statistical
-- fields (stage, office, countries, dates, closure reason, sex, year of
-- birth, nationality, vulnerability flags) and nothing that names anyone.
ALTER TABLE cases ADD COLUMN anonymised_at INTEGER;
ALTER TABLE persons ADD COLUMN anonymised_at INTEGER;
CREATE INDEX cases_retention ON cases(stage, updated_at) WHERE anonymised_at IS NULL;
