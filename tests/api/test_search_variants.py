"""The search that finds people (GET /api/v1/persons?q=): a person from
any way their name is written — the Arabic article in every form, ة/ه,
the alif and hamza forms, ى/ي, one typo per word, the words in any order —
ranked best first; a person from any tail of their case number's digits;
a person from their phone number in any common format; never a person of
an office the user does not work for; and the keys made for the persons
of a database of the schema before them.

Each test runs its own server (a fresh database), so that a name or a
phone number can only match the persons it registers."""
import sqlite3
import subprocess

from harness import (test, Server, case_body, person, create_case, urlquote,
                     downgrade, migration_version, main)


def search(s, tok, q, limit=50):
    st, _, data = s.request("GET", "/api/v1/persons?limit=%d&q=%s" % (limit, urlquote(q)),
                            token=tok)
    assert st == 200, (q, st, data)
    return [p["id"] for p in data["items"]]


def register(s, tok, name, name_latin=None, phone="+249 900 000 000", office="EG-CAI"):
    """A case of one person; returns (case, person id)."""
    c = create_case(case_body(office=office, members=[{
        "relationship": "principal",
        "person": person(name=name, name_latin=name_latin,
                         contact={"phone": phone, "email": None, "address": None})}]),
        server=s, token=tok)
    return c, c["members"][0]["person_id"]


def fresh():
    s = Server().start()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    return s, s.admin()


@test
def the_mother_is_found_by_every_writing_of_her_name():
    s, tok = fresh()
    try:
        _, mother = register(s, tok, "فاطمة الزهراء")
        _, other = register(s, tok, "فاطمة حسن")
        _, fatoumata = register(s, tok, "Fatoumata Zara")
        for q in ("Fatima Zahra", "Fatima Al Zahraa", "Fatimah az-Zahra", "فاطمه",
                  "Fatima Elzahra", "فاطمة الزهراء", "فاطمه الزهرا", "Zahra Fatima",
                  "fatima al-zahra", "FATIMA EZ-ZAHRA", "الزهراء"):
            found = search(s, tok, q)
            assert mother in found, (q, found)
            if q != "فاطمه":
                assert other not in found, (q, found)
            assert fatoumata not in found or found.index(mother) < found.index(fatoumata), q
        # "فاطمه" alone finds both Fatimas first; Fatoumata, another name one
        # letter away (ftm / ftmt), only after them, as a typo
        found = search(s, tok, "فاطمه")
        assert set(found[:2]) == {mother, other} and found[2:] == [fatoumata], found
    finally:
        s.stop()


@test
def arabic_letters_written_differently_meet():
    s, tok = fresh()
    try:
        _, ahmed = register(s, tok, "أحمد مصطفى")
        _, ibrahim = register(s, tok, "إبراهيم عيسى")
        _, latin = register(s, tok, "Mohamed Traore", "Mohamed Traore")
        for q, who in (("احمد مصطفي", ahmed), ("Ahmad Moustapha", ahmed),
                       ("Ahmed Mustafa", ahmed), ("ابراهيم عيسي", ibrahim),
                       ("Ebrahim Issa", ibrahim), ("محمد تراوري", latin),
                       ("Muhammad Traoré", latin), ("Traore Mouhamadou", latin)):
            found = search(s, tok, q)
            assert who in found, (q, found)
            assert len(found) == 1, (q, found)
    finally:
        s.stop()


@test
def one_typo_per_word_is_forgiven_two_are_not():
    s, tok = fresh()
    try:
        _, p = register(s, tok, "Coulibaly Souleymane", "Coulibaly Souleymane")
        for q in ("Coulibaly Souleymane",
                  "Kulibali Suleiman",      # spellings
                  "Couliblay Souleymane",   # letters swapped
                  "Coulibal Souleymane",    # a letter left out
                  "Coulibaly Souleymanne",  # one more
                  "Coulibaky Soulezmane",   # a letter mistyped in each word
                  "Souleymane Coulibaly"):  # order
            assert p in search(s, tok, q), q
        for q in ("Cuolibrakey Souleymane", "Coulibaly Diallo"):
            assert p not in search(s, tok, q), q
    finally:
        s.stop()


@test
def best_matches_come_first():
    s, tok = fresh()
    try:
        # "Hassan" the commoner word, so that "Ahmed" drives the search and
        # finds the persons in the order they were registered: typo,
        # skeleton, exact — the answer must not simply follow it
        for _ in range(5):
            register(s, tok, "Omar Hassan", "Omar Hassan")
        _, typo = register(s, tok, "Ahmed Hasam", "Ahmed Hasam")
        _, skel = register(s, tok, "Ahmed Hasan", "Ahmed Hasan")
        _, exact = register(s, tok, "Ahmed Hassan", "Ahmed Hassan")
        found = search(s, tok, "Ahmed Hassan")
        assert found[:3] == [exact, skel, typo], found
        # a word begun ranks after whole words, before a typo
        _, begun = register(s, tok, "Ahmed Hassanov", "Ahmed Hassanov")
        found = search(s, tok, "Ahmed Hassan")
        assert found.index(exact) < found.index(skel) < found.index(begun) \
            < found.index(typo), found
        # the prefix search still finds a word begun
        assert begun in search(s, tok, "ahm hassano"), found
    finally:
        s.stop()


@test
def a_full_page_of_words_begun_still_gives_way_to_better_matches():
    """Once a page is full, a person found later enters it only by ranking
    before its last member (a better score, or the same score and
    registered earlier), which is told from the index entries of the other
    words' exact and skeleton keys alone. "Tesfom" is commoner than "Yonas"
    here, so the Yonases drive "Yonas Tesfam"; with five to a page, the
    page is full of "Yonas Tesfamariam" (a word begun: the prefix search's
    first five) before the other Yonases are looked at. "Yonas Tesfom"
    (tsfm, the skeleton of "tesfam") must still come first, "Yonis Tesfom"
    (two skeletons: the score of a word begun) before the Tesfamariams
    registered after it and after those registered before it, and no Yonas
    of another name at all."""
    s, tok = fresh()
    try:
        for _ in range(30):  # tsfm: 33 rows; yonas and its skeleton ns: 28
            register(s, tok, "Tesfom Bekele", "Tesfom Bekele")
        _, yonis_first = register(s, tok, "Yonis Tesfom", "Yonis Tesfom")
        begun = [register(s, tok, "Yonas Tesfamariam", "Yonas Tesfamariam")[1]
                 for _ in range(5)]
        others = [register(s, tok, "Yonas Kidane", "Yonas Kidane")[1] for _ in range(4)]
        _, tesfom = register(s, tok, "Yonas Tesfom", "Yonas Tesfom")
        others += [register(s, tok, "Yonas Girma", "Yonas Girma")[1] for _ in range(3)]
        _, yonis_last = register(s, tok, "Yonis Tesfom", "Yonis Tesfom")
        found = search(s, tok, "Yonas Tesfam", limit=5)
        assert found == [tesfom, yonis_first] + begun[:3], found
        found = search(s, tok, "Yonas Tesfam", limit=50)
        assert found == [tesfom, yonis_first] + begun + [yonis_last], found
        assert not set(others) & set(found), found
    finally:
        s.stop()


@test
def a_person_found_later_with_the_score_of_the_last_enters_if_registered_earlier():
    """At equal scores the earlier registered comes first, also for a person
    the search only reaches once the page is full. "Nasr Tesf" (a typo of
    "Yonas", the word "Tesf": 3) was registered before five "Yonis
    Tesfamariam" (another writing, a word begun: 3), which the prefix
    search gives first; it must come before them."""
    s, tok = fresh()
    try:
        _, nasr = register(s, tok, "Nasr Tesf", "Nasr Tesf")
        yonis = [register(s, tok, "Yonis Tesfamariam", "Yonis Tesfamariam")[1]
                 for _ in range(5)]
        assert search(s, tok, "Yonas Tesf", limit=5) == [nasr] + yonis[:4]
        assert search(s, tok, "Yonas Tesf", limit=50) == [nasr] + yonis
    finally:
        s.stop()


@test
def the_case_number_is_found_from_any_tail_of_its_digits():
    s, tok = fresh()
    try:
        cases = [register(s, tok, "Abebe Kebede")[0] for _ in range(12)]
        c, pid = cases[10], cases[10]["members"][0]["person_id"]
        number = c["number"]  # EG-CAI-2026-000011
        seq = int(number.rsplit("-", 1)[1])
        year = number.split("-")[2]
        digits = year + number.rsplit("-", 1)[1]
        for q in (str(seq), "%06d" % seq, "0%d" % seq, digits, digits[-7:], digits[1:],
                  " %d " % seq):
            found = search(s, tok, q)
            assert found[:1] == [pid], (q, found, number)
        # another case's tail is another person
        assert search(s, tok, "1")[:1] == [cases[0]["members"][0]["person_id"]]
        # a number no case has
        assert search(s, tok, "999") == []
        assert search(s, tok, "0") == []
        assert search(s, tok, "1" + digits) == []
    finally:
        s.stop()


@test
def a_person_is_found_from_their_phone_in_any_format():
    s, tok = fresh()
    try:
        _, p = register(s, tok, "Habtom Tesfay", phone="+20 100 123 4567")
        _, q2 = register(s, tok, "Dawit Yonas", phone="01001234567")
        _, other = register(s, tok, "Semhar Luwam", phone="+20 100 765 4321")
        for q in ("+20 100 123 4567", "00201001234567", "01001234567", "1001234567",
                  "(+20) 100-123-4567", "1234567", "201001234567"):
            found = search(s, tok, q)
            assert p in found and q2 in found, (q, found)
            assert other not in found, (q, found)
        # six digits are not a phone number; another country code's
        # number with the same last nine digits is the same line here
        assert p not in search(s, tok, "234567")
        assert p not in search(s, tok, "+20 100 123 4568")
        assert p not in search(s, tok, "+20 109 123 4567")
    finally:
        s.stop()


@test
def a_person_of_another_office_is_not_found():
    s, tok = fresh()
    try:
        s.ensure_office("ML-BKO", "Bamako", "MLI")
        c, here = register(s, tok, "Fatimah az-Zahra", phone="+20 111 222 3333")
        c2, there = register(s, tok, "Fatima Zahra", phone="+223 111 222 3333",
                             office="ML-BKO")
        _, cairo = s.make_user(["counsellor"], ["EG-CAI"])
        _, bamako = s.make_user(["counsellor"], ["ML-BKO"])
        for q in ("فاطمة الزهراء", "Fatma Zahra", "Fatima Zahar"):
            assert search(s, cairo, q) == [here], q
            assert search(s, bamako, q) == [there], q
        assert search(s, cairo, "1112223333") == [here]
        assert search(s, bamako, "1112223333") == [there]
        seq = str(int(c2["number"].rsplit("-", 1)[1]))
        assert there not in search(s, cairo, seq)
        assert here not in search(s, bamako, str(int(c["number"].rsplit("-", 1)[1])))
    finally:
        s.stop()


@test
def a_changed_name_or_phone_changes_the_keys():
    s, tok = fresh()
    try:
        c, pid = register(s, tok, "Yonas Dawit", phone="0911000111")
        assert search(s, tok, "Yonas Dawit") == [pid]
        again = person(name="Filmon Tekle", name_latin="Filmon Tekle",
                       contact={"phone": "0922000222", "email": None, "address": None})
        create_case(case_body(members=[{"relationship": "principal", "person_id": pid,
                                        "person": again}]), server=s, token=tok)
        for q in ("Yonas Dawit", "Yonas", "0911000111"):
            assert search(s, tok, q) == [], q
        for q in ("Filmon Tekle", "Filmun Tekla", "0922000222"):
            assert search(s, tok, q) == [pid], q
        # the rows a person costs: few (both names' words, their deletes,
        # the phone), and none of another person
        db = sqlite3.connect(s.db)
        try:
            rows = db.execute("SELECT count(*) FROM person_search_keys k JOIN persons p ON "
                              "p.pk=k.person_pk WHERE p.id=?", (pid,)).fetchone()[0]
        finally:
            db.close()
        assert 5 <= rows <= 30, rows
    finally:
        s.stop()


@test
def an_anonymised_person_is_found_neither_by_name_nor_by_phone():
    s, tok = fresh()
    try:
        c, pid = register(s, tok, "Berhane Kidane", phone="+251 911 765 432")
        _, counsellor = s.make_user(["counsellor"], ["EG-CAI"])
        st, _, data = s.request("POST", "/api/v1/cases/%s/transitions" % c["id"],
                                {"event": "withdraw", "reason": "went home alone"},
                                token=counsellor)
        assert st == 200, (st, data)
        assert search(s, tok, "Berhani Kidan") == [pid]
        assert search(s, tok, "0911765432") == [pid]
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            db.execute("UPDATE cases SET updated_at = updated_at - ? WHERE id = ?",
                       (3 * 365 * 24 * 3600 * 1000, c["id"]))
            db.commit()
        finally:
            db.close()
        out = subprocess.run([s.bin, "retention", "run", "--db", s.db], capture_output=True,
                             timeout=60)
        assert out.returncode == 0 and b"1 person(s) anonymised" in out.stdout, out
        db = sqlite3.connect(s.db)
        try:
            left = db.execute("SELECT count(*) FROM person_search_keys k JOIN persons p ON "
                              "p.pk=k.person_pk WHERE p.id=?", (pid,)).fetchone()[0]
        finally:
            db.close()
        assert left == 0, left
        s.start()
        tok = s.admin()
        for q in ("Berhane Kidane", "Berhani Kidan", "0911765432", "+251911765432"):
            assert search(s, tok, q) == [], q
    finally:
        s.stop()


def keys_made_again(marker, queries, changed):
    """Registers a mother in Arabic script and a man in Latin script,
    searches queries, takes the database back to the schema before the
    migration whose SQL holds marker (tests/api/undo/), lets the server
    migrate it, and checks every answer and every key are as before.
    changed(keys, old): what the downgrade must have done to the keys."""
    version = migration_version(marker)
    s, tok = fresh()
    try:
        _, mother = register(s, tok, "فاطمة الزهراء", phone="+20 100 123 4567")
        _, latin = register(s, tok, "Moussa Traore", "Moussa Traore")
        before = {q: search(s, tok, q) for q in queries}
        assert mother in before[queries[0]] and latin in before[queries[1]], before
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            keys = sorted(db.execute("SELECT key, person_pk FROM person_search_keys"))
            assert keys
            downgrade(db, version - 1)
            db.commit()
            changed(keys, db)
        finally:
            db.close()
        s.start()  # serve migrates
        tok = s.admin()
        after = {q: search(s, tok, q) for q in queries}
        assert after == before, (before, after)
        s.stop()
        db = sqlite3.connect(s.db)
        try:
            assert db.execute("PRAGMA user_version").fetchone()[0] >= version
            assert sorted(db.execute("SELECT key, person_pk FROM person_search_keys")) == keys
        finally:
            db.close()
    finally:
        s.stop()


@test
def the_keys_are_made_for_a_database_of_the_previous_schema():
    """Migration 20: the keys of the persons stored before it."""
    def dropped(keys, db):
        assert not db.execute("SELECT count(*) FROM sqlite_master WHERE "
                              "name='person_search_keys'").fetchone()[0]
    keys_made_again("-- Migration 20:", ("Fatima Zahra", "Mousa Traorre", "Fatimah az-Zahra",
                                         "Musa Traoré", "01001234567", "1", "2"), dropped)


@test
def keys_of_the_previous_hash_are_made_again():
    """Migration 26: a database whose search keys were made by another
    hash (BLAKE2b-64 before it) finds everyone as before once the server
    has migrated it: every key is made again before the server answers."""
    def other_hash(keys, db):
        old = sorted(db.execute("SELECT key, person_pk FROM person_search_keys"))
        assert len(old) == len(keys) and not set(old) & set(keys)
    keys_made_again("SipHash-2-4", ("Fatimah az-Zahra", "Mousa Traorre", "01001234567",
                                     "فاطمه"), other_hash)

if __name__ == "__main__":
    main()
