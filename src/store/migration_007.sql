-- Migration 7: sharing with third parties — the organisation a partner
-- user works for (referrals addressed to it are what they see), and an
-- index for finding the referrals and consents to share of a person.
ALTER TABLE users ADD COLUMN organisation TEXT;
CREATE INDEX case_records_person_kind ON case_records(person_pk, kind);
CREATE INDEX case_records_kind ON case_records(kind, pk);
