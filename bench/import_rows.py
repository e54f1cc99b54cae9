#!/usr/bin/env python3
"""import_rows.py — writes a CSV of N person rows in households for the
import benchmark (bench/import_bench.sh), in the columns of
data/import/spreadsheet.mapping.json: households of 1 to 6 persons (a
head, a spouse, children), names typical of North and West Africa and
the Middle East with a share in Arabic script, sexes in the value map's
words, dates of birth as DD/MM/YYYY or a year, select-multiple languages.

  python3 bench/import_rows.py N OUT.csv [SEED]

Deterministic for a seed; the names carry a running number, so every
person is distinct (no row is "already imported")."""
import csv
import random
import sys

MEN = ["Amadou", "Moussa", "Ibrahim", "Ousmane", "Mohamed", "Abdoulaye", "Mamadou", "Seydou",
       "Adama", "Boubacar", "Youssef", "Omar", "Ahmed", "Hassan", "Karim", "Souleymane"]
WOMEN = ["Fatoumata", "Aminata", "Mariam", "Awa", "Kadiatou", "Aïssata", "Fatima", "Khadija",
         "Salimata", "Hawa", "Rokia", "Zeinab", "Mariama", "Nafissatou", "Oumou", "Ramatou"]
FAMILY = ["Konaté", "Traoré", "Coulibaly", "Diallo", "Ouédraogo", "Keïta", "Camara", "Bah",
          "Sow", "Cissé", "Touré", "Sangaré", "Diarra", "Haidara", "Maïga", "Ibrahim"]
AR_MEN = ["محمد", "أحمد", "إبراهيم", "عمر", "يوسف", "حسن", "موسى", "آدم"]
AR_WOMEN = ["فاطمة", "عائشة", "مريم", "خديجة", "زينب", "آمنة", "حواء", "سلمى"]
AR_FAMILY = ["عبد الله", "الحسن", "إبراهيم", "عثمان", "علي", "صالح", "محمود", "يوسف"]
PLACES = [("MLI", "Kayes", "bm fr"), ("GIN", "Labé", "ff fr"), ("BFA", "Centre", "mos fr"),
          ("SDN", "Khartoum", "ar"), ("NER", "Tahoua", "ha fr"), ("SEN", "Dakar", "wo fr")]
HEADER = ["household", "name", "name_latin", "sex", "birth", "nationality", "relationship",
          "phone", "passport", "languages", "vulnerabilities", "origin", "destination", "area"]


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 13)
    rows = 0
    hh = 0
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        while rows < n:
            hh += 1
            size = min(n - rows, rnd.choice([1, 1, 2, 3, 4, 5, 6]))
            country, area, langs = rnd.choice(PLACES)
            arabic = country == "SDN" or rnd.random() < 0.15
            fam = rnd.choice(AR_FAMILY if arabic else FAMILY)
            year = rnd.randint(1960, 2000)
            for i in range(size):
                rows += 1
                male = (i == 0) if i < 2 else rnd.random() < 0.5
                if arabic:
                    given = rnd.choice(AR_MEN if male else AR_WOMEN)
                    sex = "ذكر" if male else "أنثى"
                else:
                    given = rnd.choice(MEN if male else WOMEN)
                    sex = rnd.choice(["m", "homme"]) if male else rnd.choice(["f", "femme"])
                rel = "head" if i == 0 else "wife" if i == 1 else ("son" if male else "daughter")
                by = year + (rnd.randint(-5, 5) if i == 1 else 0) + (rnd.randint(18, 35) if i >= 2 else 0)
                by = min(by, 2025)
                birth = "%02d/%02d/%04d" % (rnd.randint(1, 28), rnd.randint(1, 12), by) \
                    if rnd.random() < 0.7 else str(by)
                name = "%s %s %d" % (given, fam, rows)
                w.writerow(["HH-%07d" % hh, name, "", sex, birth, country, rel,
                            "+223 7%d %06d" % (rnd.randint(0, 9), rows) if i == 0 else "",
                            "P%08d" % rows if i == 0 and rnd.random() < 0.5 else "",
                            langs, "", country, country, area])


if __name__ == "__main__":
    main()
