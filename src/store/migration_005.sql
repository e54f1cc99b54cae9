-- Migration 5: accounts — an optional second factor (TOTP) and the
-- interface language each user chose.
--   totp_secret   the shared secret, sealed with the key file (never in
--                 clear); set at enrolment, NULL when there is none
--   totp_enabled  1 once the user confirmed a code from their device
--   totp_step     the last 30-second step a code was accepted for, so one
--                 code cannot be used twice
--   language      'ar', 'fr' or 'en'
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
  CHECK (language IN ('ar', 'fr', 'en'));
