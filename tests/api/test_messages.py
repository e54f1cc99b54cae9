"""Answers in the user's language (issue 9).

The same 422, 409 and 403 in English (no Accept-Language), French
(Accept-Language: fr-FR) and Arabic (a user whose saved language is ar):
titles, details, field messages and requirement sentences translated by
the catalogue of src/text/messages/, codes and field paths untouched,
the person's name kept as the parameter inside the Arabic sentence, and
Content-Language saying which. An Accept-Language naming none of our
languages gives English; q-values decide between them.
"""
from harness import (test, shared, request, admin, assert_problem, case_body,
                     main)
from journey_util import Journey

FR = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


def bad_case():
    body = case_body()
    body["members"][0]["person"]["date_of_birth"] = "2001-02-30"
    body["members"][0]["person"]["dob_precision"] = "exact"
    return body


def user_with_language(lang, roles=("registration",)):
    srv = shared()
    name, tok = srv.make_user(list(roles), ["EG-CAI"])
    st, _, data = request("PATCH", "/api/v1/me", {"language": lang}, token=tok)
    assert st == 200, (st, data)
    return tok


def lang_of(resp):
    return resp[1].get("Content-Language")


@test
def validation_in_three_languages():
    tok = admin()
    en = request("POST", "/api/v1/cases", bad_case(), token=tok)
    fr = request("POST", "/api/v1/cases", bad_case(), token=tok, headers=FR)
    ar = request("POST", "/api/v1/cases", bad_case(),
                 token=user_with_language("ar"))
    pen = assert_problem(en, 422, "validation")
    pfr = assert_problem(fr, 422, "validation")
    par = assert_problem(ar, 422, "validation")
    assert (lang_of(en), lang_of(fr), lang_of(ar)) == ("en", "fr", "ar"), \
        (lang_of(en), lang_of(fr), lang_of(ar))
    assert pen["title"] == "The case is not valid", pen
    assert pfr["title"] == "Le dossier n'est pas valide", pfr
    assert par["title"] == "الملف غير صالح", par
    assert pfr["detail"] == "1 champ demande votre attention", pfr
    assert par["detail"] == "حقل واحد يحتاج إلى مراجعة", par
    field = "members[0].person.date_of_birth"
    e_en = [e for e in pen["errors"] if e["field"] == field][0]
    e_fr = [e for e in pfr["errors"] if e["field"] == field][0]
    e_ar = [e for e in par["errors"] if e["field"] == field][0]
    # codes and field paths stay as they are
    assert e_en["code"] == e_fr["code"] == e_ar["code"] == "date-invalid"
    assert "this date does not exist" in e_en["message"], e_en
    assert "cette date n'existe pas" in e_fr["message"], e_fr
    assert "هذا التاريخ غير موجود" in e_ar["message"], e_ar
    assert "this date" not in e_ar["message"], e_ar


@test
def requirements_in_arabic_keep_the_name():
    j = Journey()
    name = j.display(0)
    j.counsel_all()
    j.step("counsel")
    counsellor = j.tok("counsellor")
    en = request("POST", "/api/v1/cases/%s/transitions" % j.id,
                 {"event": "consent"}, token=counsellor)
    fr = request("POST", "/api/v1/cases/%s/transitions" % j.id,
                 {"event": "consent"}, token=counsellor,
                 headers={"Accept-Language": "ar;q=0.2, fr-CA;q=0.8"})
    pen = assert_problem(en, 409, "requirements-unmet")
    pfr = assert_problem(fr, 409, "requirements-unmet")
    assert lang_of(fr) == "fr", lang_of(fr)
    assert pfr["title"] == "Le dossier n'est pas prêt pour cette étape", pfr
    assert "no consent to return is recorded for " + name in \
        [r["message"] for r in pen["requirements"]], pen
    assert "aucun consentement au retour n'est enregistré pour " + name in \
        [r["message"] for r in pfr["requirements"]], pfr
    # the counsellor saves Arabic: the same answer in Arabic, the name inside
    st, _, _ = request("PATCH", "/api/v1/me", {"language": "ar"}, token=counsellor)
    assert st == 200
    try:
        ar = request("POST", "/api/v1/cases/%s/transitions" % j.id,
                     {"event": "consent"}, token=counsellor, headers=FR)
        par = assert_problem(ar, 409, "requirements-unmet")
        assert lang_of(ar) == "ar", lang_of(ar)  # the saved language wins
        assert par["title"] == "الملف غير جاهز لهذه الخطوة", par
        msgs = [r["message"] for r in par["requirements"]]
        assert "لا توجد موافقة على العودة مسجّلة لـ" + name in msgs, msgs
        codes = sorted(r["code"] for r in par["requirements"])
        assert codes == sorted(r["code"] for r in pen["requirements"])
        # readiness answers too
        st, h, rd = request("GET", "/api/v1/cases/%s/readiness" % j.id,
                            token=counsellor)
        assert st == 200 and h.get("Content-Language") == "ar", (st, dict(h))
        step = [s for s in rd["next"] if s["event"] == "consent"][0]
        assert "لا توجد موافقة على العودة مسجّلة لـ" + name in \
            [r["message"] for r in step["requirements"]], step
    finally:
        request("PATCH", "/api/v1/me", {"language": "en"}, token=counsellor)


@test
def forbidden_in_three_languages():
    srv = shared()
    _, tok = srv.make_user(["registration"], ["EG-CAI"])
    en = request("GET", "/api/v1/users", token=tok)
    fr = request("GET", "/api/v1/users", token=tok, headers=FR)
    pen = assert_problem(en, 403, "forbidden")
    pfr = assert_problem(fr, 403, "forbidden")
    assert pen["title"] == "Not allowed" and pfr["title"] == "Non autorisé"
    perm = pen["detail"][len("your role does not allow this ("):-1]
    assert pfr["detail"] == "votre rôle ne le permet pas (%s)" % perm, pfr
    ar = request("GET", "/api/v1/users", token=user_with_language("ar"))
    par = assert_problem(ar, 403, "forbidden")
    assert par["title"] == "غير مسموح", par
    assert par["detail"] == "لا يسمح دورك بهذا (%s)" % perm, par


@test
def unknown_language_is_english():
    for h in ("de-DE,de;q=0.9", "*;q=0.5, xx", "fr;q=0", "fr;q=2", "x" * 400 + ",fr"):
        r = request("GET", "/api/v1/nothing-here", headers={"Accept-Language": h})
        p = assert_problem(r, 404, "not-found")
        assert p["title"] == "Not found", (h, p)
        assert lang_of(r) == "en", (h, lang_of(r))
    r = request("GET", "/api/v1/nothing-here", headers={"Accept-Language": "ar"})
    assert assert_problem(r, 404, "not-found")["title"] == "غير موجود"
    # before any session: the sign-in answer follows Accept-Language
    r = request("POST", "/api/v1/session", {"username": "nobody-here"},
                headers=FR)
    p = assert_problem(r, 422, "validation")
    assert lang_of(r) == "fr", lang_of(r)
    assert p["title"] == "La connexion n'est pas valide", p
    assert [e["message"] for e in p["errors"]] == [
        "le mot de passe est obligatoire"], p


if __name__ == "__main__":
    main()
