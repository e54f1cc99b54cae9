#!/usr/bin/env python3
"""importgen.py — the input files of the import benchmark (issue 13): a
spreadsheet export of registrations as a field office keeps it, one row per
person, households joined by a household key column, names in Arabic script
and in Latin letters.

    bench/importgen.py --rows 100000 [--out bench/out/import-100k.csv]
    bench/importgen.py --rows 1000000 --seed 7

Writes the CSV (UTF-8 with a byte-order mark, `,` separated, quoted where
needed, as spreadsheet programs export) in the columns of the committed
example data/import/spreadsheet.csv, and beside it (same name,
.mapping.json) that example's mapping, data/import/spreadsheet.mapping.json,
with --office as the office.

The rows
  - Households of 1 to 6 (mostly one traveller, some families), one
    `household` key per household, the head first; spouse and children share the
    household's family or father's name as bench/gen composes them.
  - Names from the demo dataset's pools (data/demo/names.json: Arabic form
    first, then Latin spellings). Sudanese, Egyptian and Syrian households
    are written in Arabic script for --arabic-share of them (`name` in
    Arabic, `name_latin` filled for half of those), the others in Latin
    letters with a spelling drawn among the pool's variants.
  - sex as the forms write it: m / f, or ذكر / أنثى in Arabic rows;
    relationship head / wife / husband / son / daughter; birth DD/MM/YYYY
    or the year alone; nationality; a phone for most adults; a passport
    number for ~60%; languages and vulnerabilities as select-multiple
    answers (space separated).
  - --dup-share of the households (0.5% by default) are a second
    registration of an earlier principal (another spelling of each word,
    or the other script): what the import flags as possible duplicates.
Seeded (--seed): the same arguments give the same file.
"""
import argparse
import csv
import json
import os
import random
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# nationality: (pools male, female, family), style, Arabic-script share,
# phone prefix, passport prefix and digits, destination areas
NATS = {
    "SDN": (("SDN.male", "AR.male"), ("SDN.female", "AR.female"), ("EGY.family", "AR.family"),
            "sudan", 85, "+2499", "P", 8, ("Khartoum", "North Darfur", "Kassala", "Gedaref")),
    "EGY": (("EGY.male", "AR.male"), ("EGY.female", "AR.female"), ("EGY.family", "AR.family"),
            "arab", 80, "+2010", "A", 8, ("Cairo", "Alexandria", "Giza", "Asyut")),
    "SYR": (("AR.male", "EGY.male"), ("AR.female", "EGY.female"), ("AR.family",),
            "arab", 85, "+9639", "N", 9, ("Damascus", "Aleppo", "Homs", "Idleb")),
    "MLI": (("MLI.male", "MLI.more.male"), ("MLI.female", "MLI.more.female"),
            ("MLI.family", "MLI.more.family"), "family", 0, "+2237", "AA", 7,
            ("Bamako", "Kayes", "Sikasso", "Mopti")),
    "GIN": (("GIN.male", "GIN.more.male"), ("GIN.female", "GIN.more.female"),
            ("GIN.family", "GIN.more.family"), "family", 0, "+2246", "R", 7,
            ("Conakry", "Kankan", "Labé", "Kindia")),
    "BFA": (("BFA.male",), ("BFA.female",), ("BFA.family",), "family", 0, "+2267", "B", 7,
            ("Centre", "Hauts-Bassins", "Nord", "Sahel")),
    "NER": (("NER.male",), ("NER.female",), ("NER.family",), "family", 0, "+2279", "10PC", 5,
            ("Niamey", "Agadez", "Zinder", "Tahoua")),
    "NGA": (("NGA.male", "NGA.more.male"), ("NGA.female", "NGA.more.female"),
            ("NGA.family", "NGA.more.family"), "family", 0, "+23480", "A", 8,
            ("Lagos", "Kano", "Edo", "Oyo")),
}
NAT_WEIGHTS = {"SDN": 25, "EGY": 10, "SYR": 12, "MLI": 20, "GIN": 13, "BFA": 8, "NER": 6,
               "NGA": 6}
# The columns of data/import/spreadsheet.csv, in its order.
COLUMNS = ("household", "name", "name_latin", "sex", "birth", "nationality", "relationship",
           "phone", "passport", "languages", "vulnerabilities", "origin", "destination", "area")
LANGS = {"SDN": ("ar", "ar en"), "EGY": ("ar", "ar en"), "SYR": ("ar", "ar ku"),
         "MLI": ("bm fr", "bm", "ff bm"), "GIN": ("ff fr", "sus fr", "man fr"),
         "BFA": ("mos fr", "dyu fr"), "NER": ("ha fr", "dje fr"), "NGA": ("en ha", "yo en")}


class Pools:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            pools = json.load(f)["pools"]
        self.cache = {}
        self.pools = pools

    def get(self, names):
        key = tuple(names)
        if key not in self.cache:
            out = []
            for n in names:
                for e in self.pools[n]:
                    out.append((e, []) if isinstance(e, str) else (e[0], e[1:]))
            self.cache[key] = out
        return self.cache[key]


def arabic(word):
    return "\u0600" <= word[0] <= "\u06ff"


class Person:
    """Words as (written form, Latin spellings) pairs."""

    def __init__(self, words, female, dob, nat):
        self.words, self.female, self.dob, self.nat = words, female, dob, nat


def spell(rng, word, first_most=True):
    w, lats = word
    if not lats:
        return w
    if first_most and rng.random() < 0.6:
        return lats[0]
    return rng.choice(lats)


def render(rng, p, in_arabic, first_most=True):
    """(name, name_latin) of p as a row writes it."""
    if in_arabic and all(arabic(w) for w, _ in p.words):
        name = " ".join(w for w, _ in p.words)
        latin = " ".join(spell(rng, wd, first_most) for wd in p.words) \
            if rng.random() < 0.5 else ""
        return name, latin
    name = " ".join(spell(rng, wd, first_most) for wd in p.words)
    return name, ""


def dob(rng, age, year=2025):
    """A date of birth as the sheet writes it: DD/MM/YYYY, or the year
    alone for a quarter of people (the mapping reads it as precision
    year)."""
    y = year - max(age, 0)
    if rng.random() < 0.75:
        return "%02d/%02d/%04d" % (rng.randint(1, 28), rng.randint(1, 12), y)
    return "%04d" % y


def relationship(rng, rel, female):
    if rel == "principal":
        return "head"
    if rel == "spouse":
        return "wife" if female else "husband"
    return "daughter" if female else "son"


def vulnerabilities(rng, rel, female, age):
    v = []
    if rel == "spouse" and female and age < 42 and rng.random() < 0.05:
        v.append("pregnant")
    if rng.random() < 0.02:
        v.append("medical_condition")
    if age >= 60:
        v.append("elderly")
    return " ".join(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--out", default=None)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--arabic-share", type=float, default=1.0,
                    help="multiplies each nationality's share of households in Arabic script")
    ap.add_argument("--dup-share", type=float, default=0.005)
    ap.add_argument("--office", default="EG-CAI")
    ap.add_argument("--names", default=os.path.join(ROOT, "data", "demo", "names.json"))
    ap.add_argument("--mapping", default=os.path.join(ROOT, "data", "import",
                                                      "spreadsheet.mapping.json"),
                    help="the example mapping whose columns the file has")
    a = ap.parse_args()
    out = a.out or os.path.join(ROOT, "bench", "out", "import-%dk.csv" % (a.rows // 1000))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    if not os.path.exists(a.mapping):
        sys.exit("importgen: %s is missing (the import module's example mapping)" % a.mapping)
    rng = random.Random(a.seed)
    pools = Pools(a.names)
    nats, weights = list(NAT_WEIGHTS), [NAT_WEIGHTS[n] for n in NAT_WEIGHTS]
    sizes, size_w = (1, 2, 3, 4, 5, 6), (660, 150, 90, 60, 30, 10)
    t0 = time.time()
    rows = hh = dups = arabic_rows = 0
    principals = []  # earlier principals, for the second registrations
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        while rows < a.rows:
            hh += 1
            key = "H-%07d" % hh
            if principals and rng.random() < a.dup_share:
                # A second registration of an earlier principal, alone.
                p, was_arabic = rng.choice(principals)
                name, latin = render(rng, p, not was_arabic and rng.random() < 0.5,
                                     first_most=False)
                nat = NATS[p.nat]
                arabic_rows += arabic(name[0])
                sex = ("أنثى" if p.female else "ذكر") if arabic(name[0]) else \
                    ("f" if p.female else "m")
                w.writerow((key, name, latin, sex, p.dob, p.nat, "head", "", "",
                            rng.choice(LANGS[p.nat]), "", p.nat, p.nat, rng.choice(nat[8])))
                rows += 1
                dups += 1
                continue
            code = rng.choices(nats, weights)[0]
            nat = NATS[code]
            male, female_p, family, style, ar_pct = (pools.get(nat[0]), pools.get(nat[1]),
                                                     pools.get(nat[2]), nat[3], nat[4])
            in_arabic = rng.random() * 100 < ar_pct * a.arabic_share
            size = min(rng.choices(sizes, size_w)[0], a.rows - rows)
            area = rng.choice(nat[8])
            fam = rng.choice(male if style == "sudan" else family)
            father = rng.choice(male)
            members = []
            p_female = rng.random() < (0.22 if size == 1 else 0.1)
            p_age = rng.randint(19, 35) if rng.random() < 0.8 else rng.randint(36, 69)
            given = rng.choice(female_p if p_female else male)
            words = [given, father, fam] if style in ("sudan", "arab") else [given, fam]
            members.append(("principal", Person(words, p_female, dob(rng, p_age), code), p_age))
            for m in range(1, size):
                if m == 1 and rng.random() < 0.8:
                    f2 = not p_female
                    g2 = rng.choice(female_p if f2 else male)
                    w2 = [g2, rng.choice(male), rng.choice(family)] \
                        if style in ("sudan", "arab") else [g2, rng.choice(family)]
                    age2 = max(18, p_age + rng.randint(-7, 5))
                    members.append(("spouse", Person(w2, f2, dob(rng, age2), code), age2))
                else:
                    f2 = rng.random() < 0.5
                    g2 = rng.choice(female_p if f2 else male)
                    dad = father if p_female else given
                    w2 = [g2, dad, fam if style == "arab" else father] \
                        if style in ("sudan", "arab") else [g2, fam]
                    age2 = rng.randint(0, max(0, min(17, p_age - 17)))
                    members.append(("child", Person(w2, f2, dob(rng, age2), code), age2))
            for rel, p, age in members:
                name, latin = render(rng, p, in_arabic)
                ar = arabic(name[0])
                arabic_rows += ar
                sex = ("أنثى" if p.female else "ذكر") if ar else ("f" if p.female else "m")
                phone = ""
                if age >= 18 and rng.random() < 0.85:
                    phone = nat[5] + "".join(rng.choice("0123456789") for _ in range(7))
                passport = ""
                if rng.random() < 0.6:
                    passport = nat[6] + "".join(rng.choice("0123456789") for _ in range(nat[7]))
                w.writerow((key, name, latin, sex, p.dob, code, relationship(rng, rel, p.female),
                            phone, passport, rng.choice(LANGS[code]),
                            vulnerabilities(rng, rel, p.female, age), code, code, area))
                rows += 1
            if len(principals) < 100000:
                principals.append((members[0][1], in_arabic))
            elif rng.random() < 0.1:
                principals[rng.randrange(len(principals))] = (members[0][1], in_arabic)

    # The mapping: data/import/spreadsheet.mapping.json, whose columns these are,
    # with the office asked for.
    with open(a.mapping, encoding="utf-8") as f:
        mapping = json.load(f)
    mapping["office"] = a.office
    mpath = os.path.splitext(out)[0] + ".mapping.json"
    with open(mpath, "w", encoding="utf-8") as f:
        json.dump(mapping, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("importgen: %d rows in %d households (%d second registrations, %.1f%% of rows in "
          "Arabic script) into %s (%.1f MB) and %s in %.1f s" % (
              rows, hh, dups, 100.0 * arabic_rows / max(rows, 1), out,
              os.path.getsize(out) / 1e6, mpath, time.time() - t0))


if __name__ == "__main__":
    sys.exit(main())
