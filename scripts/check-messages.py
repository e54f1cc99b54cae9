#!/usr/bin/env python3
"""check-messages.py — every message the server can show has fr and ar.

Extracts every English message literal from the C sources: the format
argument of app_fail, app_invalid, awda_error_add, awda_error_add_code,
problem, problem_ex, queue_problem, refuse, malformed, the requirement
sentences of the journey guards (add, finding), the titles of the CODES
table of api.c, titles written into r->title, and "message" members packed
directly. An argument that is a variable is followed back to the snprintf
that wrote it in the same function. Adjacent literals are joined and both
branches of a ?: are taken.

Then reads the catalogue, one file of rows per module in src/text/messages/
(rows of three literals: English template, French, Arabic; every file but
field_words.inc makes MESSAGES[], which src/text/messages.c includes through
the list the Makefile generates), and fails, listing each message that
has no row, a row without French or Arabic, or a row whose French or
Arabic does not use the parameters of the English template ({1}, {2}…
for its printf conversions, each exactly once; {n-} leaves parameter n
out on purpose, e.g. an English plural ending).

The words of every field of every field table (the eleventh member of an
awda_field_t initialiser, anywhere under src/), the kinds of value
type_words() returns and the conditions when_words() writes reach the
messages as %s parameters; awda_msg_translate writes them in the user's
language when each has a row in src/text/messages/field_words.inc
(FIELD_WORDS[]), or is a row of MESSAGES[] without parameters. A field's
words without such a row fail the check too.

The rows it prints for missing messages are ready to paste, each under
the file it belongs in: the file of the module whose source writes the
message (MODULE_OF below: src/app/visits.c and src/http/api_visits.c write
into visits.inc, a new file for a new module), or common.inc when sources
of several modules write it; each row with the place that writes it.

  scripts/check-messages.py            check (exit 1 on any problem)
  scripts/check-messages.py --list     also print every message found
"""
import fnmatch
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SOURCES = ["src/app", "src/core", "src/http"]
CATALOGUE = "src/text/messages"  # one file of rows per module
FIELD_WORDS = "field_words.inc"  # the rows of FIELD_WORDS[]; every other file's are MESSAGES[]'s

# The module of a source file, whose file of rows holds the messages it
# writes: the first pattern that matches, else the file's own name without
# ".c" and "api_" (src/app/visits.c and src/http/api_visits.c write into
# visits.inc). A message written by files of several modules, or by the
# runners every use case shares (src/app/app.c), goes to common.inc.
MODULE_OF = [
    ("src/app/app.c", "common"),
    ("src/app/case_*.c", "cases"),
    ("src/app/household.c", "cases"),
    ("src/app/dossier.c", "cases"),
    ("src/app/dashboard.c", "cases"),
    ("src/app/export.c", "cases"),
    ("src/core/entities.c", "cases"),
    ("src/http/api_reports.c", "cases"),
    ("src/core/guards.c", "journey"),
    ("src/core/snapshot.c", "journey"),
    ("src/app/movement_passengers.c", "movements"),
    ("src/app/movement_travel.c", "movements"),
    ("src/app/manifest.c", "movement_care"),
    ("src/app/plan_shared.c", "plans"),
    ("src/app/needs.c", "plans"),
    ("src/app/plan_items.c", "plans"),
    ("src/app/partner*.c", "plans"),
    ("src/app/ledger.c", "money"),
    ("src/app/monitoring.c", "followup"),
    ("src/app/activities.c", "followup"),
    ("src/app/survey.c", "followup"),
    ("src/app/import_*.c", "imports"),
    ("src/app/sheet.c", "imports"),
    ("src/import/*.c", "imports"),
    ("src/app/dup_*.c", "duplicates"),
    ("src/app/authz.c", "auth"),
    ("src/app/second_factor.c", "auth"),
    ("src/app/throttle.c", "auth"),
    ("src/http/api_session.c", "auth"),
    ("src/app/audit.c", "admin"),
    ("src/app/retention.c", "admin"),
    ("src/http/api_audit.c", "admin"),
    ("src/http/api_system.c", "admin"),
    ("src/core/field.c", "fields"),
    ("src/http/*.c", "http"),  # the HTTP face itself: answer.c, http.c, router.c, hygiene.c...
]


def module_of(rel):
    for pattern, module in MODULE_OF:
        if fnmatch.fnmatch(rel, pattern):
            if pattern == "src/http/*.c" and os.path.basename(rel).startswith("api_"):
                break
            return module
    name = os.path.basename(rel)[: -len(".c")]
    return name[len("api_") :] if name.startswith("api_") else name


def file_for(places):
    """The file of rows a message written at places ("src/app/x.c:12") belongs in."""
    modules = {module_of(p.split(":")[0]) for p in places}
    return "%s/%s.inc" % (CATALOGUE, modules.pop() if len(modules) == 1 else "common")

# call name -> argument positions (0-based) that are English sentences
CALLS = {
    "app_fail": [2],
    "app_invalid": [2],
    "awda_error_add": [2],
    "awda_error_add_code": [3],
    "problem": [3, 4],
    "problem_ex": [3, 4],
    "api_problem": [3, 4],
    "queue_problem": [3, 4],
    "refuse": [3, 4],
    "malformed": [1],
    "add": [4],  # journey guards (src/core/guards.c)
    "finding": [4],  # household plausibility (src/core/entities.c)
}

CONV = re.compile(r"%(?:[-+ #0]*)(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[sdiuxc]")


def strip_comments(src):
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join("\n" if ch == "\n" else " " for ch in src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i : j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def unescape(s):
    return (
        s.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
    )


LIT = re.compile(r'"((?:[^"\\]|\\.)*)"')


def literals(expr):
    """The sentences an argument expression can be: adjacent literals
    joined; each branch of ?: separately. [] when it has no literal."""
    out, cur, i, depth = [], None, 0, 0
    while i < len(expr):
        if expr[i] in "([":
            depth += 1
        elif expr[i] in ")]":
            depth -= 1
        m = LIT.match(expr, i)
        if m and depth > 0:  # an argument of a call inside (strcmp(x, "depart"))
            i = m.end()
            continue
        if m:
            cur = (cur or "") + unescape(m.group(1))
            i = m.end()
            continue
        if not expr[i].isspace():
            if cur is not None:
                out.append(cur)
            cur = None
        i += 1
    if cur is not None:
        out.append(cur)
    return out


def split_args(src, i):
    """src[i] is '('; returns (args, end index)."""
    depth, args, start, j = 0, [], i + 1, i
    while j < len(src):
        c = src[j]
        if c == '"' or c == "'":
            k = j + 1
            while k < len(src) and src[k] != c:
                k += 2 if src[k] == "\\" else 1
            j = k + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(src[start:j])
                return args, j
        elif c == "," and depth == 1:
            args.append(src[start:j])
            start = j + 1
        j += 1
    return args, j


def line_of(src, i):
    return src.count("\n", 0, i) + 1


def written_into(src, at, var):
    """Formats snprintf'd into var before position at, in the same function."""
    fn_start = src.rfind("\n}", 0, at)
    region = src[fn_start if fn_start >= 0 else 0 : at]
    found = []
    for m in re.finditer(r"\b(?:snprintf|buf_printf)\s*\(\s*&?" + re.escape(var) + r"\b", region):
        args, _ = split_args(region, region.index("(", m.start()))
        fmt_pos = 2 if "snprintf" in m.group(0) else 1
        if len(args) > fmt_pos:
            found += literals(args[fmt_pos])
    return found


def extract():
    found = {}  # message -> [places]
    dynamic = []  # places whose sentence could not be followed
    files = []
    for d in SOURCES:
        for name in sorted(os.listdir(os.path.join(ROOT, d))):
            if name.endswith(".c"):
                files.append(os.path.join(d, name))
    for rel in files:
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            src = strip_comments(f.read())

        def note(msg, i):
            if not CONV.sub("", msg).strip(" .,:;()\"'"):
                return  # only parameters ("%s", "%s %s"): the parts are messages
            found.setdefault(msg, []).append("%s:%d" % (rel, line_of(src, i)))

        for m in re.finditer(r"\b(" + "|".join(CALLS) + r")\s*\(", src):
            name = m.group(1)
            if name == "add" and not rel.endswith("core/guards.c"):
                continue
            before = src[max(0, m.start() - 40) : m.start()]
            if re.search(r"(void|static)\s+$", before) or re.search(r"\w\s+$", before) and not re.search(r"(return|else)\s+$", before):
                continue  # a declaration or definition
            args, _ = split_args(src, m.end() - 1)
            for pos in CALLS[name]:
                if pos >= len(args):
                    continue
                a = args[pos].strip()
                lits = literals(a)
                if not lits and re.fullmatch(r"[A-Za-z_]\w*", a):
                    lits = written_into(src, m.start(), a)
                    if not lits and a not in ("NULL", "title", "detail", "fmt", "why", "msg"):
                        dynamic.append("%s:%d %s(... %s ...)" % (rel, line_of(src, m.start()), name, a))
                for s in lits:
                    note(s, m.start())
        # titles and details written into a result, and sentences written
        # into msg (then packed as a "message"): snprintf's format argument
        for m in re.finditer(r"\bv?snprintf\s*\(\s*(?:(?:r|x->r)->(?:title|detail)|msg)\s*,", src):
            args, _ = split_args(src, src.index("(", m.start()))
            if len(args) > 2:
                for s in literals(args[2]):
                    note(s, m.start())
        for m in re.finditer(r'"message"\s*,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', src):
            for s in literals(m.group(1)):
                note(s, m.start())
        if rel.endswith("http/answer.c"):  # the CODES table
            for m in re.finditer(r"\{APP_\w+,\s*\d+,\s*\"[^\"]*\",\s*(\"[^\"]*\")\}", src):
                note(literals(m.group(1))[0], m.start())
        if rel.endswith("app/records.c"):  # the title of each record kind
            for m in re.finditer(r"snprintf\s*\(\s*title\s*,[^,]*,\s*(\"(?:[^\"\\]|\\.)*\")", src):
                note(literals(m.group(1))[0], m.start())
    return found, dynamic


FIELD_INIT = re.compile(r'\{\s*"[a-z_0-9]+"\s*,\s*FT_[A-Z_]+\s*,')
WORDS_ARG = 10  # awda_field_t: name, type, flags, min, max, values, sub, sens, hxl, label, words


def extract_field_words():
    """The phrases that reach messages as parameters: every field's words,
    what type_words() returns, the formats when_words() writes.
    {phrase: [places]}."""
    found = {}
    for d, _, names in sorted(os.walk(os.path.join(ROOT, "src"))):
        for name in sorted(names):
            if not name.endswith(".c"):
                continue
            path = os.path.join(d, name)
            rel = os.path.relpath(path, ROOT)
            with open(path, encoding="utf-8") as f:
                src = strip_comments(f.read()).replace("\\\n", " \n")
            for m in FIELD_INIT.finditer(src):
                args, _ = split_args("(" + src[m.start() + 1 :], 0)
                if len(args) > WORDS_ARG:
                    for w in literals(args[WORDS_ARG].strip()):
                        found.setdefault(w, []).append("%s:%d" % (rel, line_of(src, m.start())))
            for fn in ("type_words", "when_words"):
                m = re.search(r"\b" + fn + r"\s*\([^;{]*\)\s*\{", src)
                if not m:
                    continue
                end = src.find("\n}", m.end())
                body = src[m.end() : end]
                if fn == "type_words":
                    lits = re.findall(r'return\s+((?:"(?:[^"\\]|\\.)*"\s*)+);', body)
                    lits = [literals(x)[0] for x in lits]
                else:
                    lits = []
                    for sm in re.finditer(r"\bsnprintf\s*\(", body):
                        args, _ = split_args(body, body.index("(", sm.start()))
                        if len(args) > 2:
                            lits += literals(args[2])
                for w in lits:
                    found.setdefault(w, []).append("%s:%d" % (rel, line_of(src, m.start())))
    return found


def catalogue_files(array="MESSAGES"):
    """The files of rows of MESSAGES[] (every file of CATALOGUE but
    FIELD_WORDS, in the order the Makefile includes them) or of FIELD_WORDS[]."""
    names = sorted(n for n in os.listdir(os.path.join(ROOT, CATALOGUE)) if n.endswith(".inc"))
    if array == "FIELD_WORDS":
        return [CATALOGUE + "/" + FIELD_WORDS]
    return [CATALOGUE + "/" + n for n in names if n != FIELD_WORDS]


def catalogue(array="MESSAGES", where=None):
    """The rows of array, {english: [french, arabic]}, from all its files;
    where, when given, gets {english: file}."""
    rows = {}
    for rel in catalogue_files(array):
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            body = strip_comments(f.read())
        j = 0
        while True:
            k = body.find("{", j)
            if k < 0:
                break
            # rows are {"en", "fr", "ar"}: split on the row's braces by hand
            depth, q = 0, k
            while q < len(body):
                c = body[q]
                if c == '"':
                    r = q + 1
                    while body[r] != '"':
                        r += 2 if body[r] == "\\" else 1
                    q = r + 1
                    continue
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                    if depth == 0:
                        break
                q += 1
            parts = []
            for a in split_args("(" + body[k + 1 : q] + ")", 0)[0]:
                lits = literals(a.strip())
                parts.append(lits[0] if lits else None)
            if parts and parts[0] is not None:
                rows[parts[0]] = parts[1:]
                if where is not None:
                    where[parts[0]] = rel
            j = q + 1
    return rows


def c_literal(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    found, dynamic = extract()
    where = {}
    rows = catalogue(where=where)
    words = extract_field_words()
    word_rows = catalogue("FIELD_WORDS")
    listing = "--list" in sys.argv
    if listing:
        for msg in sorted(found):
            print("%-60s %s" % (c_literal(msg), found[msg][0]))
    problems = []
    missing = []
    missing_words = []
    for msg in sorted(found):
        if msg not in rows:
            missing.append(msg)
            continue
        n = len(CONV.findall(msg))
        want = sorted("{%d}" % (k + 1) for k in range(n))
        tr = rows[msg] + [None] * (2 - len(rows[msg]))
        for lang, t in zip(("fr", "ar"), tr[:2]):
            if not t:
                problems.append("%s: no %s translation (%s; the row is in %s)"
                                % (c_literal(msg), lang, found[msg][0], where[msg]))
                continue
            got = sorted(re.sub(r"-", "", g) for g in re.findall(r"\{\d+-?\}", t))
            if got != want or CONV.search(t):
                problems.append(
                    "%s: the %s translation uses %s, the English has %d parameter(s) (%s; the row is in %s)"
                    % (c_literal(msg), lang, got or "none", n, found[msg][0], where[msg])
                )
    for w in sorted(words):
        if w in word_rows or (w in rows and not CONV.search(w)):
            continue
        missing_words.append(w)
    # the rows of the field words have their parameters like the others
    for w, tr in sorted(word_rows.items()):
        n = len(CONV.findall(w))
        want = sorted("{%d}" % (k + 1) for k in range(n))
        tr = tr + [None] * (2 - len(tr))
        for lang, t in zip(("fr", "ar"), tr[:2]):
            got = sorted(re.sub(r"-", "", g) for g in re.findall(r"\{\d+-?\}", t or ""))
            if not t or got != want or CONV.search(t):
                problems.append("field words %s: the %s translation is missing or uses %s, "
                                "the English has %d parameter(s) (the row is in %s)"
                                % (c_literal(w), lang, got or "none", n, catalogue_files("FIELD_WORDS")[0]))
    print("check-messages: %d messages found in the sources, %d rows in %d files of %s"
          % (len(found), len(rows), len(catalogue_files()), CATALOGUE))
    print("check-messages: %d field words found in the sources, %d rows of field words"
          % (len(words), len(word_rows)))
    if dynamic:
        print("sentences built elsewhere (not checked here):")
        for d in dynamic:
            print("  " + d)
    for p in problems:
        print("BAD " + p)
    if missing:
        print("%d message(s) without a row; add each to the file of the module that writes it"
              " (common.inc when several do):" % len(missing))
        by_file = {}
        for msg in missing:
            by_file.setdefault(file_for(found[msg]), []).append(msg)
        for rel in sorted(by_file):
            print("  %s%s:" % (rel, "" if os.path.exists(os.path.join(ROOT, rel)) else " (a new file)"))
            for msg in by_file[rel]:
                print("    /* %s */" % ", ".join(found[msg][:3]))
                print("    {%s," % c_literal(msg))
                print('     "",')
                print('     ""},')
    if missing_words:
        print("%d field word(s) without a row; add to FIELD_WORDS[] in %s:"
              % (len(missing_words), catalogue_files("FIELD_WORDS")[0]))
        for w in missing_words:
            print("    /* %s */" % ", ".join(words[w][:3]))
            print("    {%s," % c_literal(w))
            print('     "",')
            print('     ""},')
    ok = not missing and not problems and not missing_words
    print("check-messages: %s" % ("every message has fr and ar" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
