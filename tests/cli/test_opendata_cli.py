"""``vigie opendata``: the service as a process, read by a GeoReport v2 client written by others.

The client is ``georeport`` from PyPI (Pramod Anandarao's GeoReport v2 wrapper, reads only),
in JSON and in XML; the request it reads was posted form-encoded with an API key the command
line issued.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest
from georeport import GeoReport

from services.bus.ports import free_port


def test_key_add_prints_the_key_alone_on_its_last_line_list_and_revoke(vigie, staffed, me):
    added = vigie("--operator", "root", "opendata", "key", "add", "citizen-app")
    assert added.status == 0, added.err
    key = added.out.strip().splitlines()[-1]
    assert len(key) >= 40 and " " not in key
    listed = vigie("--operator", "root", "opendata", "key", "list", "--json")
    assert [k["name"] for k in json.loads(listed.out)] == ["citizen-app"]
    assert key not in listed.out  # only its digest is kept
    assert vigie("--operator", "c.bernard", "opendata", "key", "add", "x").status == 5
    assert vigie("--operator", "root", "opendata", "key", "add", "Bad Name!").status != 0
    revoked = vigie("--operator", "root", "--yes", "opendata", "key", "revoke", "citizen-app")
    assert revoked.status == 0, revoked.err
    (entry,) = json.loads(vigie("--operator", "root", "opendata", "key", "list", "--json").out)
    assert entry["revoked_by"] == "root" and entry["revoked_at"].endswith("Z")


def test_a_taken_port_explains_itself(vigie, staffed):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = vigie("opendata", "serve", "--port", str(port))
    assert result.status == 4 and str(port) in result.err


@pytest.fixture
def served(vigie, staffed, cli_env, tmp_path):
    cli_env.setenv("VIGIE_OPENDATA_FOLDER", str(tmp_path / "published"))  # its daily export
    key = vigie("--operator", "root", "opendata", "key", "add", "app").out.strip().splitlines()[-1]
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "opendata", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/health", timeout=1)
            break
        except httpx.TransportError:
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.2)
    yield base, key
    process.terminate()
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Open311 service on" in out


def test_the_service_is_read_by_a_georeport_client(served):
    base, key = served
    posted = httpx.post(
        f"{base}/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "voirie-chaussee",
            "lat": "47.3165",
            "long": "5.0167",
            "description": "Nid-de-poule profond devant l'école",
            "attribute[danger]": "oui",
            "email": "someone@example.fr",
        },
    )
    assert posted.status_code == 201, posted.text
    ident = posted.json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        client = GeoReport(f"{base}/open311/v2", output_format=fmt)
        services = client.get_service_list()
        codes = [s["service_code"] for s in services]
        assert "voirie-chaussee" in codes and "eclairage" in codes
        definition = client.get_service_definition("voirie-chaussee")
        assert definition["service_code"] == "voirie-chaussee"
        request = client.get_service_request(ident)
        assert request["service_request_id"] == ident
        assert request["status"] == "open" and request["service_code"] == "voirie-chaussee"
        listed = client.get_service_requests(service_code="voirie-chaussee", status="open")
        listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one is a dict
        assert [r["service_request_id"] for r in listed] == [ident]
        assert "someone@example.fr" not in json.dumps(listed)


def test_export_writes_the_catalogue_and_refuses_a_forbidden_dataset(
    vigie, staffed, cli_env, tmp_path
):
    out = tmp_path / "export"
    done = vigie("opendata", "export", "--out", str(out), "--since", "2026-11-04", "--json")
    assert done.status == 0, done.err
    report = json.loads(done.out)
    assert (
        report["first_day"] == "2026-11-02"
    )  # back to its Monday: every export cuts the same weeks
    assert "cameras" not in report["datasets"]  # not public unless the city says so
    names = {f["file"] for f in report["files"]}
    assert "catalogue.jsonld" in names and "signalements-commune.csv" in names
    assert all((out / n).is_file() for n in names)
    assert {(out / n).stat().st_mode & 0o777 for n in names} == {0o644}  # for all to read
    assert not list(out.glob(".*"))  # no temporary file left behind
    cli_env.setenv("VIGIE_OPENDATA_DATASETS", "signalements-commune,positions")
    refused = vigie("opendata", "export", "--out", str(out))
    assert refused.status == 2 and "positions" in refused.err and "never published" in refused.err
    cli_env.setenv("VIGIE_OPENDATA_DATASETS", "plan-neige,cameras")
    kept = vigie("opendata", "export", "--out", str(out))
    assert kept.status == 0, kept.err
    assert (out / "cameras.csv").is_file() and not (out / "signalements-commune.csv").exists()
    assert "signalements-commune.csv" in kept.out  # said: removed, no longer published
    bad = vigie("opendata", "export", "--out", str(out), "--since", "last tuesday")
    assert bad.status == 2 and "--since" in bad.err


def test_the_service_writes_and_serves_the_export(served, tmp_path):
    base, _key = served
    deadline = time.monotonic() + 30
    answer = httpx.get(f"{base}/opendata/catalogue.jsonld")
    while answer.status_code == 404 and time.monotonic() < deadline:
        time.sleep(0.3)
        answer = httpx.get(f"{base}/opendata/catalogue.jsonld")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/ld+json")
    document = answer.json()
    text = json.dumps(document)
    assert "signalements-commune.csv" in text
    csv_answer = httpx.get(f"{base}/opendata/signalements-commune.csv")
    assert csv_answer.status_code == 200 and csv_answer.text.startswith("semaine,")
    assert httpx.get(f"{base}/opendata/../vigie.db").status_code == 404
    # only the catalogue and what it names: nothing else the folder may hold
    (tmp_path / "published" / "notes.csv").write_text("secret\n")
    assert httpx.get(f"{base}/opendata/notes.csv").status_code == 404
