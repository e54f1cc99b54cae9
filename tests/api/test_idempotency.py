"""Idempotency-Key on POST /api/v1/cases: retries never create twice."""
import sqlite3
import threading

from harness import (test, shared, request, admin, assert_problem, case_body,
                     count_cases, uniq, main)


def post(body, key, token=None):
    return request("POST", "/api/v1/cases", body, token=token or admin(),
                   headers={"Idempotency-Key": key})


@test
def same_key_twice_returns_first_response_and_creates_once():
    body = case_body()
    key = uniq("key-")
    before = count_cases()
    st1, h1, c1 = post(body, key)
    assert st1 == 201, (st1, c1)
    st2, h2, c2 = post(body, key)
    assert st2 == 201, (st2, c2)
    assert c2["id"] == c1["id"]
    assert c2 == c1
    assert h2.get("Location") == h1.get("Location")
    assert count_cases() == before + 1


@test
def replay_returns_the_first_response_even_after_an_edit():
    key = uniq("key-")
    body = case_body()
    st, h, c = post(body, key)
    assert st == 201, (st, c)
    st, _, p = request("PATCH", "/api/v1/cases/" + c["id"], {"notes": "x"},
                       token=admin(), headers={"If-Match": '"1"'})
    assert st == 200, (st, p)
    before = count_cases()
    st2, h2, c2 = post(body, key)
    assert st2 == 201, (st2, c2)
    assert c2["id"] == c["id"]
    assert c2 == c, "the replay should be the first response"
    assert count_cases() == before


@test
def same_key_different_body_is_422_reused():
    key = uniq("key-")
    body = case_body()
    st, _, c = post(body, key)
    assert st == 201, (st, c)
    before = count_cases()
    other = dict(body, notes="a different body")
    r = post(other, key)
    data = assert_problem(r, 422)
    assert data["type"].endswith("idempotency-key-reused"), data["type"]
    assert count_cases() == before


@test
def a_kept_answer_that_cannot_be_opened_is_an_error_not_a_second_case():
    """The answer is kept sealed; if it cannot be opened (altered on
    disk), a retry gets a 500 problem saying so, not an empty 201 body,
    and the case is not made again."""
    key = uniq("key-")
    body = case_body()
    st, _, c = post(body, key)
    assert st == 201, (st, c)
    db = sqlite3.connect(shared().db, timeout=30)
    try:
        (kept,) = db.execute("SELECT body FROM idempotency WHERE key=?", (key,)).fetchone()
        assert not kept.startswith("{"), "the kept answer should be sealed"
        # the same sealed text under another key's associated data: it
        # cannot be opened for this key
        other = uniq("key-")
        st, _, _ = post(case_body(), other)
        assert st == 201
        (foreign,) = db.execute("SELECT body FROM idempotency WHERE key=?",
                                (other,)).fetchone()
        with db:
            db.execute("UPDATE idempotency SET body=? WHERE key=?", (foreign, key))
    finally:
        db.close()
    before = count_cases()
    r = post(body, key)
    data = assert_problem(r, 500)
    assert "cannot be read" in data.get("detail", "") + data.get("title", ""), data
    assert count_cases() == before


@test
def different_keys_create_two_cases():
    body = case_body()
    before = count_cases()
    st1, _, c1 = post(body, uniq("key-"))
    st2, _, c2 = post(body, uniq("key-"))
    assert (st1, st2) == (201, 201)
    assert c1["id"] != c2["id"]
    assert count_cases() == before + 2


@test
def same_key_by_another_user_is_independent():
    s = shared()
    _, tok = s.make_user(["registration"], ["EG-CAI"])
    key = uniq("key-")
    body = case_body()
    before = count_cases()
    st1, _, c1 = post(body, key)
    st2, _, c2 = post(body, key, token=tok)
    assert (st1, st2) == (201, 201), (st1, st2, c2)
    assert c1["id"] != c2["id"]
    assert count_cases() == before + 2


@test
def failed_request_replays_its_error_or_revalidates():
    # a 422 with a key creates nothing; retrying it still creates nothing
    key = uniq("key-")
    body = case_body(origin_country="XYZ")
    before = count_cases()
    r1 = post(body, key)
    assert_problem(r1, 422, "validation")
    r2 = post(body, key)
    assert_problem(r2, 422, "validation")
    assert count_cases() == before


@test
def ten_concurrent_requests_with_one_key_create_one_case():
    key = uniq("key-")
    body = case_body()
    before = count_cases()
    barrier = threading.Barrier(10)
    results = []
    lock = threading.Lock()

    def worker():
        barrier.wait()
        r = post(body, key)
        with lock:
            results.append(r)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r[0] for r in results)
    assert len(results) == 10
    assert all(st in (201, 409) for st in statuses), statuses
    ids = {r[2]["id"] for r in results if r[0] == 201}
    assert len(ids) == 1, "different cases for one key: %r" % ids
    for r in results:
        if r[0] == 409:
            assert_problem(r, 409, "conflict")
    assert count_cases() == before + 1, "expected exactly one new case"


@test
def invalid_idempotency_keys_are_rejected():
    before = count_cases()
    for key in ("k" * 129, "", "has space", "tab\there", "ключ"):
        try:
            r = post(case_body(), key)
        except ValueError:      # http.client refuses to send some values
            continue
        assert r[0] in (400, 422), (key[:20], r[0], r[2])
        assert_problem(r, r[0])
    # the longest allowed key works
    st, _, c = post(case_body(), "k" * 128)
    assert st == 201, (st, c)
    assert count_cases() == before + 1


if __name__ == "__main__":
    main()
