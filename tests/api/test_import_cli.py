"""`awda import` (src/cli/cmd_import.c): the command line's dry run
writes nothing at all and exits 1 on problems, printed by sheet and row;
an import exits 0 and a second one creates nothing; a file or mapping that
cannot be read exits 1 with the reason; without a terminal the progress is
plain lines.

A database of its own (awda init and the demo's offices), the server not
running: the command takes the database's lock."""
import os
import shutil
import sqlite3
import subprocess
import tempfile

from harness import test, main, REPO, binary

EX = os.path.join(REPO, "data", "import")
_db = {}


def db():
    if "path" not in _db:
        d = tempfile.mkdtemp(prefix="awda-import-cli-")
        path = os.path.join(d, "awda.db")
        for args in (["init"], ["demo"]):
            p = subprocess.run([binary()] + args + ["--db", path], capture_output=True,
                               timeout=600)
            assert p.returncode == 0, (args, p.stdout, p.stderr)
        _db["path"], _db["dir"] = path, d
    return _db["path"]


def awda_import(*args):
    p = subprocess.run([binary(), "import"] + list(args) + ["--db", db()],
                       capture_output=True, timeout=600)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def counts():
    c = sqlite3.connect(db(), timeout=30)
    try:
        return tuple(c.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                     for t in ("cases", "persons", "imports", "import_rows", "import_problems"))
    finally:
        c.close()


def bad_csv():
    d = tempfile.mkdtemp(prefix="awda-import-cli-")
    path = os.path.join(d, "bad.csv")
    src = open(os.path.join(EX, "spreadsheet.csv"), encoding="utf-8").read().splitlines()
    rows = [src[0], src[1].replace(",ذكر,", ",x,").replace("أمادو", "Sidi"),
            src[4].replace("1979", "13-1979")]
    open(path, "w", encoding="utf-8").write("\n".join(rows) + "\n")
    return path


@test
def the_dry_run_writes_nothing_and_prints_problems_by_row():
    before = counts()
    rc, out, err = awda_import(bad_csv(), "--mapping",
                               os.path.join(EX, "spreadsheet.mapping.json"), "--dry-run")
    assert rc == 1, (rc, out, err)
    assert "bad:2 sex (sex): sex must be one of" in out, out
    assert "bad:3 birth (date_of_birth): 13-1979 is not a date in the format DD/MM/YYYY" in out, out
    assert counts() == before


@test
def an_import_exits_0_and_a_second_creates_nothing():
    csv_path = os.path.join(EX, "spreadsheet.csv")
    mapping = os.path.join(EX, "spreadsheet.mapping.json")
    rc, out, err = awda_import(csv_path, "--mapping", mapping, "--dry-run")
    assert rc == 0, (rc, out, err)
    before = counts()
    rc, out, err = awda_import(csv_path, "--mapping", mapping)
    assert rc == 0, (rc, out, err)
    assert "3 cases and 6 persons created" in out, out
    # not a terminal: plain progress lines, no carriage returns
    assert "\r" not in err and "import: writing" in err, err
    after = counts()
    assert (after[0] - before[0], after[1] - before[1], after[3] - before[3]) == (3, 6, 6)
    rc, out, err = awda_import(csv_path, "--mapping", mapping, "--office", "EG-CAI")
    assert rc == 0 and "3 already imported" in out, (rc, out)
    assert counts()[:2] == after[:2]


@test
def all_or_nothing_is_the_default_and_valid_rows_skips():
    mapping = os.path.join(EX, "spreadsheet.mapping.json")
    before = counts()
    rc, out, _ = awda_import(bad_csv(), "--mapping", mapping)
    assert rc == 1 and "nothing was imported" in out, out
    assert counts()[:2] == before[:2]
    rc, out, _ = awda_import(bad_csv(), "--mapping", mapping, "--mode", "valid_rows")
    assert rc == 0 and "0 cases and 0 persons created" in out and "2 skipped" in out, out


@test
def unreadable_files_and_mappings_exit_1_with_the_reason():
    mapping = os.path.join(EX, "spreadsheet.mapping.json")
    d = tempfile.mkdtemp(prefix="awda-import-cli-")
    pdf = os.path.join(d, "scan.pdf")
    open(pdf, "wb").write(b"%PDF-1.4\n\x00\x01\x02binary")
    before = counts()
    rc, out, err = awda_import(pdf, "--mapping", mapping)
    assert rc == 1 and "not a spreadsheet" in err, (rc, out, err)
    bad_map = os.path.join(d, "m.json")
    open(bad_map, "w").write('{"person": {"name": "no such column"}}')
    rc, out, err = awda_import(os.path.join(EX, "spreadsheet.csv"), "--mapping", bad_map,
                               "--office", "EG-CAI")
    assert rc == 1 and "there is no column no such column in the sheet spreadsheet" in err, err
    rc, out, err = awda_import(os.path.join(EX, "spreadsheet.csv"), "--mapping", mapping,
                               "--office", "XX-NOP")
    assert rc == 1 and "XX-NOP" in err, err
    rc, out, err = awda_import(os.path.join(EX, "spreadsheet.csv"))
    assert rc == 2 and "Usage: awda import" in out, (rc, out)
    assert counts() == before
    shutil.rmtree(d)


if __name__ == "__main__":
    main()
