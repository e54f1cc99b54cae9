"""schema_undo.py — a database of an earlier schema, for the tests of a
migration: downgrade() undoes the migrations after a version with the
files of tests/api/undo/ (see below). harness re-exports downgrade,
migration_files, migration_version, undo_steps, audit_file, audit_db."""
import importlib.util
import os
import sqlite3

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

# ---- a database of an earlier schema ------------------------------------
#
# A migration is tested on a populated database of the schema before it.
# The test populates a current database through the API, then undoes every
# migration after the one it wants (newest first) and sets user_version;
# the server migrates it again on start. The undo of migration_NNN.sql is
# a file of its own in tests/api/undo/: migration_NNN.sql (statements, one
# per line ending in ";"), or migration_NNN.py with undo(db) for what SQL
# alone on the main file cannot do. A new migration adds its undo file
# there (no list to edit): downgrade() refuses to guess.
UNDO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "undo")


def undo_steps(version):
    """The steps undoing migration number version: SQL statements, or a
    function of the connection; None when it has no undo file."""
    base = os.path.join(UNDO_DIR, "migration_%03d" % version)
    if os.path.exists(base + ".py"):
        spec = importlib.util.spec_from_file_location("undo_%03d" % version, base + ".py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return [mod.undo]
    if not os.path.exists(base + ".sql"):
        return None
    steps, cur = [], ""
    with open(base + ".sql") as f:
        for line in f:
            if not cur and line.startswith("--"):
                continue
            cur += line
            if sqlite3.complete_statement(cur):
                steps.append(cur.strip())
                cur = ""
    assert not cur.strip(), "%s.sql ends inside a statement" % base
    return steps


def audit_file(db_path):
    """The audit log's file of the database at db_path (migration 28)."""
    return db_path + "-audit"


def audit_db(db_path, timeout=30):
    """A plain sqlite3 connection on the audit log of the database at
    db_path, where the table audit lives from migration 28 on."""
    return sqlite3.connect(audit_file(db_path), timeout=timeout)


def migration_files():
    """The migrations in the order the server runs them (the list the
    build generates, scripts/gen-migrations.sh): schema.sql, then the
    numbered files migration_002.sql, ... in order."""
    store = os.path.join(REPO, "src", "store")
    return ["schema.sql"] + sorted(f for f in os.listdir(store)
                                   if f.startswith("migration_") and f.endswith(".sql"))


def migration_version(sql_marker):
    """The schema version (1-based position in the list of migrations) of
    the one migration file whose SQL contains sql_marker."""
    store = os.path.join(REPO, "src", "store")
    mine = [f for f in os.listdir(store) if f.startswith("migration_") and f.endswith(".sql")
            and sql_marker in open(os.path.join(store, f)).read()]
    assert len(mine) == 1, mine
    return migration_files().index(mine[0]) + 1


def downgrade(db, version):
    """Undoes, on the open sqlite3 connection db, every migration after
    version (newest first) and sets user_version = version."""
    latest = len(migration_files())
    for v in range(latest, version, -1):
        steps = undo_steps(v)
        assert steps, "migration %d has no undo in tests/api/undo/" % v
        for sql in steps:
            if callable(sql):
                sql(db)
            else:
                db.execute(sql)
    db.execute("PRAGMA user_version=%d" % version)
