"""`awda movement` (src/cli/cmd_movements.c): the command line plans and
flies a movement through the same use cases as the API — create with
legs, add households (a household that is not ready is refused, named,
exit 1), the planning board with each person's blockers, the manifest as
CSV and XLSX, depart refused while a passenger has not reconfirmed (exit
1, nothing changes), then departed and arrived once they have — and the
API sees what the command line did.

The cases are prepared over the API on a server of the test's own, which
is stopped while the commands write (they take the database lock)."""
import datetime
import subprocess

import harness
from harness import Server, test, main
from journey_util import Journey, utcnow, hours_from_now


def local(hours, offset):
    return (utcnow() + datetime.timedelta(hours=hours + offset)).strftime("%Y-%m-%dT%H:%M")


def awda(srv, *args, stdin=None):
    p = subprocess.run([srv.bin, "movement", *args, "--db", srv.db], capture_output=True,
                       timeout=60, input=stdin)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


class OwnServer:
    """A server of the test's own that Journey (which uses the shared
    server) works on while the block runs."""

    def __enter__(self):
        self.srv = Server()
        self.srv.start()
        self.saved = harness._shared
        harness._shared = self.srv
        return self.srv

    def __exit__(self, *exc):
        harness._shared = self.saved
        self.srv.cleanup()


def leg_args(dep):
    return ["--leg", "TMR,ALG,AH 6201,%s,Africa/Algiers,%s,Africa/Algiers"
            % (local(dep, 1), local(dep + 2, 1)),
            "--leg", "ALG,BKO,AH 5002,%s,Africa/Algiers,%s,Africa/Bamako"
            % (local(dep + 3, 1), local(dep + 6, 0))]


@test
def the_command_line_plans_checks_and_flies_a_charter():
    with OwnServer() as srv:
        ready = Journey(office="DZ-TAM")
        ready.to_stage("ready")
        early = Journey(office="DZ-TAM")
        early.to_stage("eligible")
        name = ready.display()
        srv.stop()

        # create: legs in local time, the reference names it from now on
        rc, out, err = awda(srv, "create", "--office", "DZ-TAM", "--receiving-office", "ML-BKO",
                            "--type", "charter", "--reference", "CH-CLI-1", "--carrier",
                            "Air Algerie", "--capacity", "150", *leg_args(2))
        assert rc == 0, (rc, out, err)
        assert b"CH-CLI-1" in out and b"TMR -> ALG" in out and b"planned" in out, out
        mid = out.split()[0].decode()

        # a bad leg is a usage error; a zone ICU does not know is refused on its field
        rc, out, err = awda(srv, "create", "--leg", "TMR,ALG")
        assert rc == 2 and "FROM,TO,NUMBER" in err, (rc, err)
        bad = leg_args(2)
        bad[1] = bad[1].replace("Africa/Algiers", "Africa/Atlantis", 1)
        rc, out, err = awda(srv, "create", "--office", "DZ-TAM", "--receiving-office", "ML-BKO",
                            "--type", "charter", "--reference", "CH-CLI-2", "--carrier", "X",
                            "--capacity", "10", *bad)
        assert rc == 1 and "legs[0].departs_tz" in err, (rc, err)

        # add: the ready household is booked, the other refused with its reason
        # a case is named by its number or its id
        rc, out, err = awda(srv, "add", "CH-CLI-1", "DZ-TAM-1999-999999")
        assert rc == 1 and "no case with the id or number DZ-TAM-1999-999999" in err, (rc, err)
        rc, out, err = awda(srv, "add", "CH-CLI-1", ready.case["number"], early.id)
        assert rc == 1, (rc, out, err)
        assert ("booked   %s" % ready.pid()).encode() in out, out
        assert "refused  %s" % early.pid() in err, err
        assert "case.stage" in err or "household.blocked" in err, err
        assert b"1 of 150 seats taken" in out, out

        # check: the board names the person and what they still need
        rc, out, err = awda(srv, "check", mid)
        assert rc == 0, (rc, err)
        text = out.decode()
        assert name in text.upper(), text
        assert "reconfirmation" in text and "health.pre_embarkation" in text, text
        assert "due      reconfirmation" in text, text
        assert "1 passenger(s), 1 with blockers" in text, text

        # the manifest: CSV to stdout, XLSX to a file
        rc, out, err = awda(srv, "manifest", "CH-CLI-1")
        assert rc == 0, (rc, err)
        assert out.startswith(b"\xef\xbb\xbf") and ready.case["number"].encode() in out, out
        path = srv.tmp + "/manifest.xlsx"
        rc, out, err = awda(srv, "manifest", "CH-CLI-1", "--format", "xlsx", "--output", path)
        assert rc == 0 and "manifest written" in err, (rc, err)
        with open(path, "rb") as f:
            assert f.read(2) == b"PK"
        rc, out, err = awda(srv, "manifest", "CH-CLI-1", "--format", "pdf")
        assert rc == 1 and "format" in err, (rc, err)

        # confirm, then depart refused while the passenger has not reconfirmed
        rc, out, err = awda(srv, "confirm", "CH-CLI-1")
        assert rc == 0 and b"confirmed" in out, (rc, out, err)
        rc, out, err = awda(srv, "depart", "CH-CLI-1", "--at", hours_from_now(0))
        assert rc == 1, (rc, out, err)
        assert "depart refused" in err and "reconfirmation" in err and name in err.upper(), err

        srv.start()
        st, _, m = srv.request("GET", "/api/v1/movements/" + mid, token=ready.tok("operations"))
        assert st == 200 and m["status"] == "confirmed", (st, m)
        assert [p["status"] for p in m["passengers"]] == ["booked"], m
        assert ready.stage() == "booked" and early.stage() == "eligible"
        ready.fill_board()
        srv.stop()

        rc, out, err = awda(srv, "depart", mid, "--at", hours_from_now(0))
        assert rc == 0 and b"departed" in out, (rc, out, err)
        rc, out, err = awda(srv, "arrive", mid, "--at", hours_from_now(0))
        assert rc == 1 and "met_by" in err, (rc, err)
        rc, out, err = awda(srv, "arrive", mid, "--at", hours_from_now(0), "--met-by",
                            "Bamako reception team")
        assert rc == 0 and b"arrived" in out, (rc, out, err)

        srv.start()
        assert ready.stage() == "arrived"
        st, _, m = srv.request("GET", "/api/v1/movements/" + mid, token=ready.tok("operations"))
        assert m["status"] == "arrived", m


@test
def the_command_line_says_what_it_needs():
    srv = Server()
    try:
        srv.init()
        rc, out, err = awda(srv)
        assert rc == 2 and b"awda movement check MOVEMENT" in out, (rc, out)
        rc, out, err = awda(srv, "--help")
        assert rc == 0 and b"Usage" in out
        rc, out, err = awda(srv, "fly")
        assert rc == 2 and "unknown movement command fly" in err, err
        rc, out, err = awda(srv, "check", "CH-NOWHERE")
        assert rc == 1 and "no movement with the id or reference CH-NOWHERE" in err, err
        rc, out, err = awda(srv, "add", "CH-NOWHERE")
        assert rc != 0, (rc, err)
    finally:
        srv.cleanup()


@test
def writing_waits_for_the_server_reading_does_not():
    """The commands that change a movement take the database lock, so they
    never run beside a server; list, check and manifest only read."""
    srv = Server()
    try:
        srv.start()
        for args in (["create", "--office", "DZ-TAM", "--receiving-office", "ML-BKO",
                      "--type", "charter", "--reference", "CH-LOCK", "--carrier", "X",
                      "--capacity", "5", *leg_args(2)],
                     ["depart", "0190f5c8-0000-7000-8000-00000000000a", "--at",
                      hours_from_now(0)]):
            rc, out, err = awda(srv, *args)
            assert rc != 0 and "in use" in err, (args, rc, err)
        rc, out, err = awda(srv, "list")
        assert rc == 0, (rc, err)
        rc, out, err = awda(srv, "check", "CH-NOWHERE")
        assert rc == 1 and "in use" not in err and "no movement" in err, (rc, err)
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
