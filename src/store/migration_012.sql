-- Migration 12: the addresses each user signed in from successfully, so
-- that sign-in throttling can tell the owner of an account from strangers
-- guessing its password from many addresses (src/app/auth.c). An IPv6
-- address is kept as its /64 network. Rows older than 30 days are deleted
-- by housekeeping; a user keeps at most 16 (the newest).
CREATE TABLE sign_in_addresses (
  user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
  addr TEXT NOT NULL,
  last_at INTEGER NOT NULL,           -- epoch milliseconds of the last success
  PRIMARY KEY (user_pk, addr)
) WITHOUT ROWID;
CREATE INDEX sign_in_addresses_last ON sign_in_addresses(last_at);
