"""Travel allowances from movements in the ledger (src/app/ledger.c,
app_ledger_allowance, called by the allowance use case of
src/app/movement_care.c): an allowance recorded with the id of a budget
line in the line's currency is committed to it; recorded again, what it
committed and did not pay is released and the new amount committed; it
is paid once through the line's disbursements (movement + person), never
beyond the allowance; a reversed payment may be paid again. An allowance
whose budget line is free text, or in another currency, commits nothing
until it is paid (at the rate recorded then)."""
from harness import test, main
from test_movements import req
from test_movement_care import booked, care
import test_money as tm


def allowance(m, j, amount, currency="USD", line=None):
    st, _, a = req("PUT", care(m["id"], "/passengers/" + j.pid() + "/allowance"),
                   {"amount_minor": amount, "currency": currency,
                    "budget_line": line})
    return st, a


@test
def test_ledger_travel_allowance_committed_then_paid_once():
    proj = tm.project(lines=(("4.1", "Travel allowances", 20000),))
    line = tm.line_id(proj, "4.1")
    m, j = booked()
    st, a = allowance(m, j, 15000, line=line)
    assert st == 200, (st, a)
    l = tm.the_line(tm.budget(proj), "4.1")
    assert l["committed_minor"] == 15000 and l["disbursed_minor"] == 0, l
    # recorded again: the new amount replaces the old commitment
    st, a = allowance(m, j, 12000, line=line)
    assert st == 200, (st, a)
    l = tm.the_line(tm.budget(proj), "4.1")
    assert l["committed_minor"] == 12000, l
    # beyond what the line has left: refused with the numbers, nothing changes
    st, a = allowance(m, j, 20001, line=line)
    assert st == 409, (st, a)
    assert a["detail"] == "USD 200.01 to commit, USD 200.00 left on line 4.1", a
    assert tm.the_line(tm.budget(proj), "4.1")["committed_minor"] == 12000
    # paid: never beyond the allowance, once
    body = dict(movement=m["id"], person=j.pid())
    st, h, d = tm.fin("POST", "/api/v1/budget-lines/%s/disbursements" % line,
                      tm.pay_body(12001, **body))
    assert st == 409 and d["detail"] == ("USD 120.01 asked, the travel "
                                         "allowance is USD 120.00"), d
    paid = tm.pay(line, 12000, **body)
    assert paid["movement_id"] == m["id"] and paid["person_id"] == j.pid()
    st, h, d = tm.fin("POST", "/api/v1/budget-lines/%s/disbursements" % line,
                      tm.pay_body(12000, **body))
    assert st == 409, (st, d)
    l = tm.the_line(tm.budget(proj), "4.1")
    assert l["committed_minor"] == 12000 and l["disbursed_minor"] == 12000, l
    st, h, rev = tm.fin("POST", "/api/v1/ledger/%s/reversal" % paid["id"],
                        {"reason": "paid twice by mistake at the airport"})
    assert st == 201, (st, rev)
    again = tm.pay(line, 12000, **body)
    assert again["attempt"] == 2


@test
def test_ledger_allowance_without_a_line_commits_nothing():
    proj = tm.project(lines=(("4.1", "Travel allowances", 20000),))
    line = tm.line_id(proj, "4.1")
    m, j = booked()
    st, a = allowance(m, j, 50000, "XOF", "EUTF-MLI-2.1")
    assert st == 200, (st, a)
    st, a = allowance(m, j, 50000, "XOF", line)  # another currency: at payment
    assert st == 200, (st, a)
    assert tm.the_line(tm.budget(proj), "4.1")["committed_minor"] == 0
    # paid in XOF at 1 USD = 625 XOF: USD 80.00, committed then paid
    e = tm.pay(line, 50000, currency="XOF", rate={"num": 625, "den": 1},
               movement=m["id"], person=j.pid())
    assert e["amount_minor"] == 8000, e
    l = tm.the_line(tm.budget(proj), "4.1")
    assert l["committed_minor"] == 8000 and l["disbursed_minor"] == 8000, l


if __name__ == "__main__":
    main()
