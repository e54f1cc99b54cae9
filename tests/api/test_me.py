"""GET /api/v1/me: the signed-in user and what they may do.

The web interface shows what a user may do from this answer, never from
the names of roles, so it must say exactly what the server enforces:

  * "permissions": the permissions the user's roles hold, in the order of
    the permission table — asserted word for word for a case worker, an
    administrator, a donor and a partner, and for every role equal to the
    table `awda permissions --json` prints (docs/DATA-PROTECTION.md);
  * "recordable" and "events": the record kinds the user may add and the
    journey events they may take, as the record-kind and journey-step
    tables of `awda permissions --markdown` say, role by role;
  * GET /api/v1/session carries the same user."""
import json
import subprocess

from harness import test, shared, request, binary, main

REGISTRATION = ["case.read", "case.create", "case.update", "person.read", "office.read",
                "restriction.read", "partner.read", "movement.read", "plan.read",
                "project.read", "followup.read", "person.duplicates", "duplicate.review",
                "import.run"]
ADMIN = ["case.read", "case.create", "case.update", "person.read", "office.read",
         "office.manage", "user.manage", "restriction.read", "audit.read", "person.dossier",
         "statistics.read", "case.export", "export.names", "partner.read", "partner.manage",
         "movement.read", "plan.read", "project.read", "project.manage", "followup.read",
         "person.duplicates", "duplicate.review"]
DONOR = ["office.read", "statistics.read", "reintegration.report"]
PARTNER = ["office.read", "referral.read"]


def _me(roles):
    s = shared()
    s.ensure_office("EG-CAI", "Cairo", "EGY")
    name, tok = s.make_user(roles, ["EG-CAI"])
    st, _, me = request("GET", "/api/v1/me", token=tok)
    assert st == 200, (st, me)
    assert me["username"] == name and me["roles"] == roles, me
    return me, tok


def _tables():
    """{table's first heading: {row: [roles with "yes"]}} from the Markdown
    the server's own functions print (awda permissions --markdown)."""
    out = subprocess.run([binary(), "permissions", "--markdown"], capture_output=True,
                         check=True, text=True).stdout.splitlines()
    tables, rows, roles = {}, None, []
    for i, line in enumerate(out):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            rows = None
        elif i + 1 < len(out) and out[i + 1].startswith("|---"):
            rows, roles = tables.setdefault(cells[0], {}), cells[1:]
        elif rows is not None and not line.startswith("|---"):
            rows[cells[0]] = [r for r, c in zip(roles, cells[1:]) if c == "yes"]
    return tables


@test
def the_permissions_of_four_roles_word_for_word():
    for roles, want in ((["registration"], REGISTRATION), (["admin"], ADMIN),
                        (["donor"], DONOR), (["partner"], PARTNER)):
        me, _ = _me(roles)
        assert me["permissions"] == want, (roles, me["permissions"])


@test
def every_role_holds_what_the_permission_table_says():
    table = _tables()["permission"]  # in the table's order (--json sorts)
    t = json.loads(subprocess.run([binary(), "permissions", "--json"], capture_output=True,
                                  check=True).stdout)
    assert table == t["permissions"], (table, t["permissions"])
    roles = sorted({r for rs in table.values() for r in rs})
    assert len(roles) >= 10, roles
    for role in roles:
        me, _ = _me([role])
        want = [p for p, rs in table.items() if role in rs]
        assert me["permissions"] == want, (role, me["permissions"], want)
    # two roles: the union, in the table's order
    me, _ = _me(["medical", "donor"])
    want = [p for p, rs in table.items() if "medical" in rs or "donor" in rs]
    assert me["permissions"] == want, me["permissions"]


@test
def record_kinds_and_events_follow_the_journey_tables():
    tables = _tables()
    kinds, steps = tables["record kind"], tables["journey step"]
    assert kinds and steps, tables
    for role in ("registration", "counsellor", "medical", "manager", "admin", "donor"):
        me, _ = _me([role])
        assert me["recordable"] == [k for k, rs in kinds.items() if role in rs], (role, me)
        assert me["events"] == [e for e, rs in steps.items() if role in rs], (role, me)
    me, _ = _me(["donor"])
    assert me["recordable"] == [] and me["events"] == [], me


@test
def the_session_probe_carries_the_same_user():
    me, tok = _me(["counsellor"])
    st, _, d = request("GET", "/api/v1/session", token=tok)
    assert st == 200 and d == {"signed_in": True, "user": me}, (st, d, me)


@test
def me_needs_a_session():
    st, _, d = request("GET", "/api/v1/me")
    assert st == 401, (st, d)


if __name__ == "__main__":
    main()
