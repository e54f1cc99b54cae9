-- Migration 14: an office's name in Arabic and in French, beside its name
-- (in English or the local form). Both optional: the interface shows the
-- one of its language and falls back to name.
ALTER TABLE offices ADD COLUMN name_ar TEXT;
ALTER TABLE offices ADD COLUMN name_fr TEXT;
