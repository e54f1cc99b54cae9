-- Migration 4: idle expiry of sessions — when each session was last used.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER;
