"""``vigie playbook load``: the playbook the database holds, put in force by an admin, audited."""

from __future__ import annotations

from services.store import audit
from services.store.database import Database
from services.store.models import PlaybookStepRow


def _held(url: str) -> int:
    db = Database(url)
    with db.read() as s:
        count = s.query(PlaybookStepRow).count()
    db.dispose()
    return count


def test_an_admin_puts_the_playbook_in_force_and_it_is_audited(vigie, staffed, me, tmp_path):
    refused = vigie("--operator", "c.morel", "playbook", "load", "--yes")
    assert refused.status == 5, refused.err
    assert "c.morel (snow coordinator) may not" in refused.err
    loaded = vigie("playbook", "load", "--yes")
    assert loaded.status == 0, loaded.err
    count = int(loaded.out.split(":")[-1].split()[0])
    assert count > 0 and _held(staffed) == count
    broken = tmp_path / "broken.toml"
    broken.write_text('[snow.2]\ntitle = "x"\n[[snow.2.lighting]]\ncommune = "99999"\n')
    wrong = vigie("playbook", "load", str(broken), "--yes")
    assert wrong.status == 2, wrong.err  # refused whole, naming where; nothing replaced
    assert "broken.toml" in wrong.err and _held(staffed) == count
    db = Database(staffed)
    with db.read() as s:
        loads = [e for e in audit.entries(s) if e.action == "playbook.load"]
    db.dispose()
    assert [e.operator for e in loads] == [me]
