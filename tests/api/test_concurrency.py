"""Optimistic concurrency: ETag / If-Match on PATCH; merge patch; events."""
import threading

from harness import (test, request, admin, assert_problem, case_body, person,
                     create_case, get_case, main)


def patch(cid, body, if_match=None, token=None):
    headers = {}
    if if_match is not None:
        headers["If-Match"] = if_match
    return request("PATCH", "/api/v1/cases/" + cid, body,
                   token=token or admin(), headers=headers)


@test
def get_has_etag_of_version():
    c = create_case()
    st, h, g = get_case(c["id"])
    assert st == 200
    assert h.get("ETag") == '"1"', h.get("ETag")


@test
def patch_without_if_match_is_428_and_changes_nothing():
    c = create_case()
    r = patch(c["id"], {"notes": "no if-match"})
    assert_problem(r, 428, "precondition-required")
    st, h, g = get_case(c["id"])
    assert g == c


@test
def patch_with_stale_version_is_412_and_changes_nothing():
    c = create_case()
    st, _, p = patch(c["id"], {"notes": "first edit"}, '"1"')
    assert st == 200, (st, p)
    r = patch(c["id"], {"notes": "edit based on version 1"}, '"1"')
    assert_problem(r, 412, "precondition-failed")
    r = patch(c["id"], {"notes": "edit based on a future version"}, '"7"')
    assert_problem(r, 412, "precondition-failed")
    st, h, g = get_case(c["id"])
    assert g["notes"] == "first edit"
    assert g["version"] == 2
    assert h.get("ETag") == '"2"'


@test
def patch_with_right_version_updates_and_increments():
    c = create_case()
    st, h, p = patch(c["id"], {"notes": "counselling booked"}, '"1"')
    assert st == 200, (st, p)
    assert p["version"] == 2
    assert h.get("ETag") == '"2"', h.get("ETag")
    assert p["notes"] == "counselling booked"
    assert p["id"] == c["id"] and p["number"] == c["number"]
    assert p["created_at"] == c["created_at"]
    assert p["updated_at"] >= c["updated_at"]
    st, h, g = get_case(c["id"])
    assert g == p
    assert h.get("ETag") == '"2"'


# If-Match by the letter of RFC 9110 (§13.1.1): "*" matches any current
# version; a list of entity-tags matches when one of them is, by the strong
# comparison, the ETag of the case; any other well-formed entity-tag is a
# failed precondition (412); only a value that is not "*" nor a list of
# entity-tags is malformed (400).

def _unchanged(c):
    st, h, g = get_case(c["id"])
    assert st == 200 and g == c and h.get("ETag") == '"%d"' % c["version"], g


@test
def if_match_with_a_tag_that_is_not_current_is_412():
    c = create_case()
    for value in ('"stale-0"', 'W/"1"', '"01"', '""', '"2"', 'W/"1", "7"',
                  '"stale-0", W/"1", "2"', ' , "9" ,, ', '"one"'):
        r = patch(c["id"], {"notes": "should not land"}, value)
        assert_problem(r, 412, "precondition-failed")
    _unchanged(c)


@test
def if_match_weak_tag_never_matches_even_the_current_version():
    """If-Match uses the strong comparison: W/"1" is not "1"."""
    c = create_case()
    r = patch(c["id"], {"notes": "weak"}, 'W/"1"')
    assert_problem(r, 412, "precondition-failed")
    _unchanged(c)


@test
def if_match_list_with_the_current_tag_updates():
    c = create_case()
    st, h, p = patch(c["id"], {"notes": "from a list"}, '"stale-0", W/"1", "1"')
    assert st == 200, (st, p)
    assert p["version"] == 2 and p["notes"] == "from a list"
    assert h.get("ETag") == '"2"'
    st, _, p = patch(c["id"], {"notes": "again"}, '"5" , "2"')
    assert st == 200 and p["version"] == 3, (st, p)


@test
def if_match_star_matches_any_existing_case():
    c = create_case()
    st, _, p = patch(c["id"], {"notes": "first"}, '"1"')
    assert st == 200, (st, p)
    st, h, p = patch(c["id"], {"notes": "star"}, "*")
    assert st == 200, (st, p)
    assert p["version"] == 3 and p["notes"] == "star"
    r = patch("0190f5c8-0000-7000-8000-00000000000a", {"notes": "x"}, "*")
    assert_problem(r, 404, "not-found")


@test
def if_match_that_is_not_an_entity_tag_list_is_400():
    c = create_case()
    for value in ("1", "W/1", '"1', "*, \"1\"", 'w/"1"', '"1" "2"', "", "**",
                  '"1";"2"'):
        r = patch(c["id"], {"notes": "malformed"}, value)
        assert_problem(r, 400, "bad-request", fields=["If-Match"])
    _unchanged(c)


@test
def merge_patch_null_removes_optional_field():
    c = create_case(case_body(project="Mali psychosocial"))
    st, _, p = patch(c["id"], {"project": None,
                               "destination_admin_area": "Kassala"}, '"1"')
    assert st == 200, (st, p)
    assert p["project"] is None
    assert p["destination_admin_area"] == "Kassala"
    assert p["members"] == c["members"]
    assert p["notes"] == c["notes"]


@test
def patch_members_updates_person_and_lists_changed_paths():
    c = create_case()
    members = c["members"]
    members[0]["person"]["name_latin"] = "Mohamed Abdallah"
    st, _, p = patch(c["id"], {"notes": "new note", "members": members},
                     '"1"')
    assert st == 200, (st, p)
    assert p["members"][0]["person_id"] == c["members"][0]["person_id"]
    assert p["members"][0]["person"]["name_latin"] == "Mohamed Abdallah"
    st, _, ev = request("GET", "/api/v1/cases/%s/events" % c["id"],
                        token=admin())
    assert st == 200
    kinds = [e["kind"] for e in ev["items"]]
    assert kinds == ["created", "updated"], kinds
    changed = ev["items"][1]["data"]["changed"]
    assert sorted(changed) == ["members[0].person.name_latin", "notes"], \
        changed


@test
def patch_members_adds_a_member():
    c = create_case()
    members = c["members"] + [{"relationship": "spouse",
                               "person": person(sex="female")}]
    st, _, p = patch(c["id"], {"members": members}, '"1"')
    assert st == 200, (st, p)
    assert len(p["members"]) == 2
    assert p["members"][0]["person_id"] == c["members"][0]["person_id"]
    assert p["members"][1]["relationship"] == "spouse"


@test
def invalid_patch_is_422_and_changes_nothing():
    c = create_case()
    for body, field in (({"origin_country": "XYZ"}, "origin_country"),
                        ({"notes": "x" * 20001}, "notes"),
                        ({"members": []}, "members"),
                        ({"office": None}, "office"),
                        ({"office": "ZZ-NOP"}, "office"),
                        ({"assigned_to": "no-such-user"}, "assigned_to"),
                        ({"hair": "long"}, "hair")):
        r = patch(c["id"], body, '"1"')
        assert_problem(r, 422, "validation", fields=[field])
    st, h, g = get_case(c["id"])
    assert g == c, "an invalid PATCH changed the case"
    st, _, ev = request("GET", "/api/v1/cases/%s/events" % c["id"],
                        token=admin())
    assert [e["kind"] for e in ev["items"]] == ["created"]


@test
def patch_members_cross_field_rules_still_apply():
    c = create_case()
    two = c["members"] + [{"relationship": "principal", "person": person()}]
    none = [dict(c["members"][0], relationship="spouse")]
    twice = c["members"] + [{"relationship": "spouse",
                             "person_id": c["members"][0]["person_id"]}]
    for members, fields in ((two, ["members", "members[1].relationship"]),
                            (none, ["members"]),
                            (twice, ["members[1].person_id", "members[1]",
                                     "members"])):
        r = patch(c["id"], {"members": members}, '"1"')
        assert_problem(r, 422, "validation", fields=fields)
    st, _, g = get_case(c["id"])
    assert g == c


@test
def patch_server_owned_fields_ignored():
    c = create_case()
    st, _, p = patch(c["id"], {"version": 99, "stage": "departed",
                               "number": "XX", "notes": "n"}, '"1"')
    assert st == 200, (st, p)
    assert p["version"] == 2 and p["stage"] == "registered"
    assert p["number"] == c["number"]


@test
def patch_unknown_case_is_404():
    r = patch("0193a5b0-1234-7abc-8def-0123456789ab", {"notes": "x"}, '"1"')
    assert_problem(r, 404, "not-found")


@test
def two_simultaneous_edits_of_one_version_one_wins():
    c = create_case()
    results = []
    barrier = threading.Barrier(6)

    def worker(i):
        barrier.wait()
        results.append((i, patch(c["id"], {"notes": "edit %d" % i}, '"1"')))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [(i, r) for i, r in results if r[0] == 200]
    stale = [(i, r) for i, r in results if r[0] == 412]
    assert len(ok) == 1, [(i, r[0]) for i, r in results]
    assert len(stale) == 5, [(i, r[0]) for i, r in results]
    st, _, g = get_case(c["id"])
    assert g["version"] == 2
    assert g["notes"] == "edit %d" % ok[0][0]


@test
def concurrent_read_modify_write_loses_no_update():
    """Four editors each add five words to the notes, re-reading on 412:
    every word must be there, and there is one event per version."""
    c = create_case(case_body(notes=""))
    errors = []

    def editor(n):
        for k in range(5):
            word = "w%d_%d" % (n, k)
            for _ in range(200):
                st, h, g = get_case(c["id"])
                r = patch(c["id"], {"notes": (g["notes"] + " " + word)
                                    .strip()}, h.get("ETag"))
                if r[0] == 200:
                    break
                if r[0] != 412:
                    errors.append(r[:1] + (r[2],))
                    return
            else:
                errors.append("gave up on " + word)

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    st, _, g = get_case(c["id"])
    words = g["notes"].split()
    assert sorted(words) == sorted("w%d_%d" % (n, k) for n in range(4)
                                   for k in range(5)), words
    assert g["version"] == 21, g["version"]
    st, _, ev = request("GET", "/api/v1/cases/%s/events" % c["id"],
                        token=admin())
    assert len(ev["items"]) == 21, len(ev["items"])
    ids = [e["id"] for e in ev["items"]]
    assert ids == sorted(ids), "events are not oldest first"


if __name__ == "__main__":
    main()
