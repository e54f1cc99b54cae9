-- Migration 28: the audit log moves to a file of its own, beside the
-- database (its name followed by -audit), attached as "alog" by every
-- connection (conn.c). Commits of audit records then leave the main
-- file's WAL alone, so readers keep their page caches while only reads
-- come (bench/RESULTS.md, "the audit log in a file of its own").
--
-- The step before this migration (store_audit_move_out, audit.c) has
-- created alog.audit, copied every record into it and committed that
-- file. The chain is unchanged: the same rows, pks and hashes.
DROP TABLE main.audit;
