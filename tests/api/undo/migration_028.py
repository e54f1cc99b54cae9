"""The undo of migration_028.sql (the audit log in a file of its own): the
table audit back in the main file, as migration 3 made it, with every
record of the audit file, which is left empty. ATTACH cannot run inside a
transaction: downgrade() runs this first, before any other undo."""


def undo(db):
    if db.in_transaction:
        db.commit()
    main_file = [r[2] for r in db.execute("PRAGMA database_list") if r[1] == "main"][0]
    if "alog" not in [r[1] for r in db.execute("PRAGMA database_list")]:
        db.execute("ATTACH DATABASE ? AS alog", (main_file + "-audit",))
    for sql in [
            "CREATE TABLE main.audit (pk INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
            " user_pk INTEGER, username TEXT, addr TEXT, method TEXT NOT NULL,"
            " route TEXT NOT NULL, entity_id TEXT, status INTEGER NOT NULL,"
            " prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
            "CREATE INDEX main.audit_entity ON audit(entity_id, pk)",
            "CREATE INDEX main.audit_user ON audit(user_pk, pk)",
            "CREATE TRIGGER main.audit_no_update BEFORE UPDATE ON audit"
            " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            "CREATE TRIGGER main.audit_no_delete BEFORE DELETE ON audit"
            " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            "INSERT INTO main.audit SELECT * FROM alog.audit ORDER BY pk",
            "DROP TABLE alog.audit"]:
        db.execute(sql)
