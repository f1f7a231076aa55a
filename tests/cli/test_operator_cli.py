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
