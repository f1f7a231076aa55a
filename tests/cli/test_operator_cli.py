"""``vigie operator``: disable, enable, passwords; what each does to logging in."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOM_PASSWORD

#: Vigie checks these passwords on SQLite only: on PostgreSQL the server does, and the shared
#: test cluster trusts every login (tests/services/test_pg_authority.py has a cluster that checks).
VIGIE_CHECKS_PASSWORDS = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _states(vigie) -> dict[str, tuple[str, bool]]:
    rows = json.loads(vigie("operator", "list", "--json").out)
    return {r["name"]: (r["role"], r["enabled"]) for r in rows}


def test_a_disabled_operator_can_no_longer_log_in_until_enabled(vigie, staffed, me):
    assert vigie("--operator", "c.bernard", "journal", "add", "avant").status == 0
    assert vigie("operator", "disable", "c.bernard").status == 0
    assert _states(vigie)["c.bernard"] == ("dispatcher", False)
    refused = vigie("--operator", "c.bernard", "journal", "add", "après")
    assert refused.status == 5 and "not accepted" in refused.err
    themselves = vigie("operator", "disable", me)  # an admin never locks themselves out
    assert themselves.status == 2 and "another admin" in themselves.err
    assert vigie("operator", "enable", "c.bernard").status == 0
    assert vigie("--operator", "c.bernard", "journal", "add", "de retour").status == 0


@VIGIE_CHECKS_PASSWORDS
def test_passwords_are_set_by_admins_and_by_each_for_their_own(vigie, staffed, cli_env):
    changed = vigie("operator", "passwd", "c.bernard", "--password-stdin", stdin="neige-2027\n")
    assert changed.status == 0, changed.err
    old = vigie("--operator", "c.bernard", "journal", "add", "x")
    assert old.status == 5  # the old password no longer opens
    cli_env.setenv("VIGIE_PASSWORD", "neige-2027")
    assert vigie("--operator", "c.bernard", "journal", "add", "x").status == 0
    own = vigie(
        "--operator",
        "c.bernard",
        "operator",
        "passwd",
        "c.bernard",
        "--password-stdin",
        stdin="verglas-2027\n",
    )
    assert own.status == 0, own.err  # a dispatcher changes their own
    other = vigie(
        "--operator",
        "c.bernard",
        "operator",
        "passwd",
        "m.dupont",
        "--password-stdin",
        stdin="verglas-2027\n",
    )
    assert other.status == 5  # but nobody else's
    cli_env.setenv("VIGIE_PASSWORD", ROOM_PASSWORD)
    short = vigie("operator", "passwd", "m.dupont", "--password-stdin", stdin="court\n")
    assert short.status == 2 and "at least 8" in short.err


@VIGIE_CHECKS_PASSWORDS
def test_a_script_without_a_password_is_refused_and_never_prompted(vigie, staffed, cli_env):
    cli_env.delenv("VIGIE_PASSWORD")
    cli_env.delenv("PGPASSWORD", raising=False)
    refused = vigie("--operator", "c.bernard", "journal", "add", "x")
    assert refused.status == 5 and "VIGIE_PASSWORD" in refused.err


ON_POSTGRESQL = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def _verifier(url: str, login: str) -> str | None:
    from sqlalchemy import text

    from services.store.database import Database

    db = Database(url)  # the test cluster's superuser: it may read pg_authid
    with db.read() as s:
        found = s.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"), {"n": login}
        ).scalar()
    db.dispose()
    return found


@ON_POSTGRESQL
def test_the_superuser_adds_operators_and_alone_sets_the_recorders_password(
    vigie, staffed, cli_env
):
    """Issue 16: a superuser may run ``vigie operator add``; the recorder's password is the
    installer's to set (an admin who knew it could write as Vigie), through the same command."""
    import os

    from sqlalchemy.engine import make_url

    superuser = make_url(staffed).username
    recorder = os.environ["VIGIE_ROLE_PREFIX"] + "recorder"
    added = vigie(
        "--operator", superuser, "operator", "add", "a.neuf", "--role", "admin",
        "--password-stdin", stdin="premier-jour\n",
    )  # fmt: skip
    assert added.status == 0, added.err
    assert _states(vigie)["a.neuf"] == ("admin", True)
    before = _verifier(staffed, recorder)
    by_admin = vigie(
        "--operator", "a.neuf", "operator", "passwd", recorder, "--password-stdin",
        stdin="enregistreur-1\n",
    )  # fmt: skip
    assert by_admin.status == 5 and "only the schema's owner or a superuser" in by_admin.err
    assert _verifier(staffed, recorder) == before
    by_superuser = vigie(
        "--operator", superuser, "operator", "passwd", recorder, "--password-stdin",
        stdin="enregistreur-1\n",
    )  # fmt: skip
    assert by_superuser.status == 0, by_superuser.err
    assert (_verifier(staffed, recorder) or "").startswith("SCRAM-SHA-256$")
    assert _verifier(staffed, recorder) != before
    # Managing operators is all the shell lets it do without an operator's row.
    other = vigie("--operator", superuser, "journal", "add", "hors de ses attributions")
    assert other.status == 5, other.err
