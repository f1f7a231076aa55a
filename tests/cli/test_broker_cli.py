"""``vigie broker config`` from the shell: what it writes, and what it refuses."""

from __future__ import annotations

import json


def test_broker_config_writes_the_four_parts_and_says_where(vigie, ready, tmp_path):
    written = vigie("broker", "config", "--out", str(tmp_path / "b"), "--consoles", "pc1,pc2")
    assert written.status == 0, written.err
    assert "listens on this machine only" in written.out
    for part in ("mosquitto.conf", "passwd", "acl", "credentials/console.pc2"):
        assert (tmp_path / "b" / part).is_file(), part
    again = vigie("broker", "config", "--out", str(tmp_path / "c"), "--json")
    shown = json.loads(again.out)
    assert shown["loopback_only"] is True
    assert {"recorder.main", "citizen-app", "alarms"} <= set(shown["identities"])


def test_a_certificate_without_its_key_is_a_usage_error(vigie, ready, tmp_path):
    refused = vigie("broker", "config", "--out", str(tmp_path), "--tls-cert", "c.pem")
    assert refused.status == 2
    assert "--tls-key" in refused.err
