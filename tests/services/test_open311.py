"""The Open311 GeoReport v2 service against a real database (SQLite, and PostgreSQL when set).

Answers are compared key by key with the specification's own examples
(``tests/fixtures/open311``); every refusal has the specification's shape and status and
records nothing; no answer carries any of the reporter's personal data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from services.domain.incidents import IncidentSource, IncidentStatus, new_incident, transition
from services.opendata.app import ServiceConfig, make_app
from services.store import incidents, open311
from services.store.database import Database
from services.store.models import IncidentRow, Open311RequestRow, PersonalDataRow
from services.store.types import utcnow

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "open311"
V2 = "/open311/v2"
PERSONAL = {
    "first_name": "Apolline",
    "last_name": "Vercingétorix-Duvernay",
    "email": "apolline.duvernay@example.fr",
    "phone": "+33 6 12 34 98 76",
}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def spec(name: str):
    return json.loads((SPEC / name).read_text("utf-8"))


def spec_xml(name: str) -> ElementTree.Element:
    return ElementTree.parse(SPEC / name).getroot()


def describe(error) -> str:  # noqa: ANN001
    return f"{error.key}"


@pytest.fixture
def key(db: Database) -> str:
    with db.write() as session:
        return open311.add_key(session, "citizen-app", by="root")


@pytest.fixture
def announced() -> list[tuple[int, int]]:
    return []


@pytest.fixture
def client(db: Database, announced) -> Iterator[TestClient]:
    app = make_app(
        db,
        describe=describe,
        announce=lambda i, v: announced.append((i, v)),
        # These tests read their own changes at once; the read cache has a test of its own.
        config=ServiceConfig(read_cache_seconds=0),
    )
    with TestClient(app) as test_client:
        yield test_client


def post(client: TestClient, key: str, fmt: str = "json", files=None, **fields):  # noqa: ANN001
    form = {
        "api_key": key,
        "service_code": "eclairage",
        "lat": "47.3220",
        "long": "5.0415",
        "address_string": "12 rue de la Liberté, 21000 Dijon",
        "description": "Trois lampadaires éteints depuis hier soir",
        "attribute[etat]": "eteint",
        **PERSONAL,
    }
    form.update({k: v for k, v in fields.items() if v is not None})
    for name in [k for k, v in fields.items() if v is None]:
        form.pop(name, None)
    return client.post(f"{V2}/requests.{fmt}", data=form, files=files)


def counts(db: Database) -> tuple[int, int, int]:
    with db.read() as session:
        return tuple(
            session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (IncidentRow, Open311RequestRow, PersonalDataRow)
        )


# --- the shapes of the specification ------------------------------------------------------------
def test_service_list_has_the_specifications_keys_in_json_and_xml(client):
    answer = client.get(f"{V2}/services.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    services = answer.json()
    assert {s["service_code"] for s in services} >= {"eclairage", "voirie-chaussee", "bruit"}
    for service in services:
        assert list(service) == list(spec("services.json")[0])
    lighting = next(s for s in services if s["service_code"] == "eclairage")
    assert lighting["metadata"] is True and lighting["service_name"] == "Éclairage public"
    assert next(s for s in services if s["service_code"] == "bruit")["metadata"] is False
    xml = ElementTree.fromstring(client.get(f"{V2}/services.xml").content)
    example = spec_xml("services.xml")
    assert xml.tag == example.tag and xml[0].tag == example[0].tag
    assert [e.tag for e in xml[0]] == [e.tag for e in example[0]]


def test_a_service_definition_has_the_specifications_keys(client):
    definition = client.get(f"{V2}/services/eclairage.json").json()
    example = spec("service_definition.json")
    assert list(definition) == list(example)
    assert list(definition["attributes"][0]) == list(example["attributes"][0])
    assert list(definition["attributes"][0]["values"][0]) == ["key", "name"]
    assert definition["attributes"][0]["required"] is True
    xml = ElementTree.fromstring(client.get(f"{V2}/services/eclairage.xml").content)
    example_xml = spec_xml("service_definition.xml")
    assert xml.tag == example_xml.tag
    assert [e.tag for e in xml.find("attributes/attribute")] == [
        e.tag for e in example_xml.find("attributes/attribute")
    ]
    # A service without metadata has no definition (the specification's 404).
    refused = client.get(f"{V2}/services/bruit.json")
    assert refused.status_code == 404 and list(refused.json()[0]) == ["code", "description"]


def test_a_request_posted_is_one_incident_announced_and_read_back(db, client, key, announced):
    before = counts(db)
    answer = post(client, key)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert set(spec("post_request.json")[0]) - {"token"} <= set(created[0])
    ident = created[0]["service_request_id"]
    assert ident.startswith("V-")
    assert counts(db) == (before[0] + 1, before[1] + 1, before[2] + 1)
    with db.read() as session:
        (incident_id,) = open311.incident_ids(session, [ident])
        incident = incidents.get(session, incident_id)
    assert incident.source is IncidentSource.REPORT and incident.category == "lighting_fault"
    assert incident.source_ref == ident and incident.commune == "21231"  # Dijon
    assert announced == [(incident_id, 1)]
    (read,) = client.get(f"{V2}/requests/{ident}.json").json()
    assert list(read) == list(spec("request.json")[0])
    assert read["status"] == "open" and read["service_name"] == "Éclairage public"
    assert read["agency_responsible"] and read["expected_datetime"].endswith("Z")
    assert read["lat"] == pytest.approx(47.322) and read["long"] == pytest.approx(5.0415)
    token = created[0]["token"]
    assert client.get(f"{V2}/tokens/{token}.json").json() == [
        {"service_request_id": ident, "token": token}
    ]
    xml = ElementTree.fromstring(client.get(f"{V2}/requests/{ident}.xml").content)
    assert [e.tag for e in xml[0]] == [e.tag for e in spec_xml("request.xml")[0]]


def test_a_public_note_and_the_resolution_reach_the_citizen(db, client, key):
    ident = post(client, key).json()[0]["service_request_id"]
    with db.write() as session:
        (incident_id,) = open311.incident_ids(session, [ident])
        incidents.add_note(session, incident_id, "vu avec l'équipe de nuit", by="c.bernard")
        public = "Intervention prévue demain matin"
        incidents.add_note(session, incident_id, public, by="c.bernard", public=True)
    (read,) = client.get(f"{V2}/requests/{ident}.json").json()
    assert read["status_notes"] == "Intervention prévue demain matin"
    assert "équipe de nuit" not in json.dumps(read, ensure_ascii=False)
    with db.write() as session:
        current = incidents.get(session, incident_id)
        incidents.save(
            session,
            current,
            transition(current, IncidentStatus.RESOLVED, at=utcnow()),
            by="c.bernard",
        )
    (read,) = client.get(f"{V2}/requests/{ident}.json").json()
    assert read["status"] == "closed" and read["expected_datetime"] is None
    assert client.get(f"{V2}/requests.json?status=closed").json()[0]["service_request_id"] == ident
    assert client.get(f"{V2}/requests.json?status=open").json() == []


def test_only_open311_requests_are_listed_and_filters_apply(db, client, key):
    first = post(client, key).json()[0]["service_request_id"]
    second = post(client, key, service_code="bruit", **{"attribute[etat]": None}).json()[0]
    with db.write() as session:  # a phone call is an incident, not an Open311 request
        call = new_incident(source=IncidentSource.CALL, category="noise", at=utcnow())
        incidents.create(session, call, by="c.bernard")
    listed = client.get(f"{V2}/requests.json").json()
    assert {r["service_request_id"] for r in listed} == {first, second["service_request_id"]}
    only = client.get(f"{V2}/requests.json?service_code=bruit").json()
    assert [r["service_request_id"] for r in only] == [second["service_request_id"]]
    both = client.get(f"{V2}/requests.json?service_request_id={first},nonexistent").json()
    assert [r["service_request_id"] for r in both] == [first]
    old = client.get(
        f"{V2}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z"
    )
    assert old.status_code == 200 and old.json() == []
    paged = client.get(f"{V2}/requests.json?page_size=1&page=2").json()
    assert len(paged) == 1


def test_an_uploaded_photo_is_kept_and_served_as_an_image(db, client, key):
    answer = post(client, key, files={"media": ("photo.png", PNG, "image/png")})
    assert answer.status_code == 201, answer.text
    ident = answer.json()[0]["service_request_id"]
    (read,) = client.get(f"{V2}/requests/{ident}.json").json()
    assert read["media_url"].endswith(f"/open311/v2/media/{ident}")
    photo = client.get(f"{V2}/media/{ident}")
    assert photo.content == PNG and photo.headers["content-type"] == "image/png"
    assert photo.headers["x-content-type-options"] == "nosniff"


# --- refusals: the specification's shape, the right status, nothing recorded ---------------------
REFUSALS = [
    ("bad key", {"api_key": "not-a-key"}, 403),
    ("no key", {"api_key": None}, 403),
    ("unknown service", {"service_code": "tapage-diurne"}, 404),
    ("missing required attribute", {"attribute[etat]": None}, 400),
    ("value not in the list", {"attribute[etat]": "rouge"}, 400),
    ("unknown attribute", {"attribute[couleur]": "bleu"}, 400),
    ("no location", {"lat": None, "long": None, "address_string": None}, 400),
    ("lat without long", {"long": None}, 400),
    ("position off the globe", {"lat": "147.3"}, 400),
    ("description too long", {"description": "x" * 4001}, 400),
    ("media_url not http", {"media_url": "file:///etc/passwd"}, 400),
]


@pytest.mark.parametrize(("what", "fields", "status"), REFUSALS, ids=[r[0] for r in REFUSALS])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_refused_post_has_the_specifications_error_and_records_nothing(
    db, client, key, what, fields, status, fmt
):
    before = counts(db)
    fields = dict(fields)  # the parameters are shared by both formats' runs
    form_key = fields.pop("api_key", key) if "api_key" in fields else key
    answer = post(client, form_key or "", fmt=fmt, **fields)
    assert answer.status_code == status, answer.text
    if fmt == "json":
        assert [list(e) for e in answer.json()] == [["code", "description"]]
        assert answer.json()[0]["code"] == status
    else:
        errors = ElementTree.fromstring(answer.content)
        assert errors.tag == spec_xml("errors.xml").tag
        assert [e.tag for e in errors[0]] == ["code", "description"]
    assert counts(db) == before


def test_an_oversized_photo_or_body_is_refused_with_413_and_nothing_recorded(db, client, key):
    before = counts(db)
    big = b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024)
    answer = post(client, key, files={"media": ("big.png", big, "image/png")})
    assert answer.status_code == 413 and answer.json()[0]["code"] == 413
    not_an_image = post(
        client, key, files={"media": ("x.png", b"<svg onload=alert(1)>", "image/png")}
    )
    assert not_an_image.status_code == 400
    assert counts(db) == before


def test_malformed_dates_and_statuses_are_refused_on_reads(client):
    for query in (
        "start_date=2026-13-01",
        "start_date=2026-12-01T00:00:00",  # no offset: the specification asks for one
        "status=pending",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z",  # over 90 days
        "start_date=2026-12-01T00:00:00Z&end_date=2026-11-01T00:00:00Z",
        "page=0",
    ):
        answer = client.get(f"{V2}/requests.json?{query}")
        assert answer.status_code == 400, query
        assert answer.json()[0]["code"] == 400
    assert client.get(f"{V2}/requests/V-999999.json").status_code == 404
    assert client.get(f"{V2}/requests.csv").status_code == 404
    assert client.get(f"{V2}/tokens/nope.json").status_code == 404


def test_a_key_and_an_address_over_their_rate_are_refused_429(db, announced):
    with db.write() as session:
        key = open311.add_key(session, "app", by="root")
        exempt = open311.add_key(session, "bench", by="root", rate_exempt=True)
    app = make_app(db, describe=describe, config=ServiceConfig(key_rate=2, address_rate=0))
    with TestClient(app) as client:
        assert post(client, key).status_code == 201
        assert post(client, key).status_code == 201
        before = counts(db)
        limited = post(client, key)
        assert limited.status_code == 429 and limited.json()[0]["code"] == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert counts(db) == before
        assert all(post(client, exempt).status_code == 201 for _ in range(3))
    app = make_app(db, describe=describe, config=ServiceConfig(address_rate=3))
    with TestClient(app) as client:
        statuses = [client.get(f"{V2}/services.json").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]


def test_a_revoked_key_is_refused(db, client, key):
    assert post(client, key).status_code == 201
    with db.write() as session:
        open311.revoke_key(session, "citizen-app", by="root")
    app = make_app(db, describe=describe)  # a fresh service: the revocation is read at once
    with TestClient(app) as fresh:
        assert post(fresh, key).status_code == 403


def test_a_post_while_the_database_is_away_answers_503(db, key, tmp_path):
    from services.bus.ports import free_port

    away = Database(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none?connect_timeout=2")
    before = counts(db)
    app = make_app(away, describe=describe)
    with TestClient(app) as client:
        answer = post(client, key)
        read = client.get(f"{V2}/requests.json")
    assert answer.status_code == 503 and answer.json()[0]["code"] == 503
    assert read.status_code == 503
    assert counts(db) == before
    away.dispose()


def test_no_answer_carries_personal_data(db, client, key):
    ident = post(client, key, files={"media": ("p.png", PNG, "image/png")}).json()[0]
    sid = ident["service_request_id"]
    answers = [
        client.get(f"{V2}/requests.json").content,
        client.get(f"{V2}/requests.xml").content,
        client.get(f"{V2}/requests/{sid}.json").content,
        client.get(f"{V2}/requests/{sid}.xml").content,
        client.get(f"{V2}/tokens/{ident['token']}.json").content,
        client.get(f"{V2}/media/{sid}").content,
        post(client, key).content,
    ]
    with db.read() as session:
        stored = session.execute(select(PersonalDataRow)).scalars().all()
    values = {v for row in stored for v in (row.first_name, row.last_name, row.email, row.phone)}
    assert values >= set(PERSONAL.values())  # kept apart, as the hotline's callers are
    for body in answers:
        text = body.decode("utf-8", errors="replace")
        for value in values:
            assert value not in text
            assert value.encode() not in body


def test_cors_only_for_the_origins_the_city_lists(db):
    app = make_app(
        db, describe=describe, config=ServiceConfig(cors_origins=("https://ondijon.fr",))
    )
    with TestClient(app) as client:
        allowed = client.get(f"{V2}/services.json", headers={"Origin": "https://ondijon.fr"})
        other = client.get(f"{V2}/services.json", headers={"Origin": "https://evil.example"})
    assert allowed.headers.get("access-control-allow-origin") == "https://ondijon.fr"
    assert "access-control-allow-origin" not in other.headers


def test_a_jurisdiction_the_service_does_not_serve_is_404(db):
    app = make_app(db, describe=describe, config=ServiceConfig(jurisdiction="dijon-metropole.fr"))
    with TestClient(app) as client:
        assert (
            client.get(f"{V2}/services.json?jurisdiction_id=dijon-metropole.fr").status_code == 200
        )
        assert client.get(f"{V2}/services.json?jurisdiction_id=sfgov.org").status_code == 404


def test_the_migration_carries_over_reports_recorded_before_and_goes_back(bare_db):
    from sqlalchemy import inspect, text

    from services.store.schema import HEAD, current_revision, upgrade
    from tests.migrations import downgrade

    downgrade(bare_db, "0014")
    assert "open311_requests" not in set(inspect(bare_db.engine).get_table_names())
    with bare_db.write() as session:
        for ref, source, category in (
            ("APP-1", "report", "lighting_fault"),
            ("APP-2", "report", "some_city_category"),
            ("CALL-1", "call", "noise"),
        ):
            session.execute(
                text(
                    "INSERT INTO incidents (source, source_ref, category, priority, status, "
                    "description, created_at, updated_at, updated_by, version, alert_count) "
                    "VALUES (:source, :ref, :category, 3, 'new', '', :at, :at, 'x', 1, 0)"
                ),
                {"source": source, "ref": ref, "category": category, "at": utcnow()},
            )
    upgrade(bare_db)
    assert current_revision(bare_db) == HEAD
    with bare_db.read() as session:
        carried = {
            r.service_request_id: r
            for r in open311.public_requests(session, ids=["APP-1", "APP-2", "CALL-1"])
        }
    assert set(carried) == {"APP-1", "APP-2"}  # a phone call is not an Open311 request
    assert carried["APP-1"].service_code == "eclairage"  # the city's code of its category
    assert carried["APP-2"].service_code == "some_city_category"  # none: said as it was
    downgrade(bare_db, "0014")
    assert "open311_requests" not in set(inspect(bare_db.engine).get_table_names())


def test_guessing_keys_costs_the_address_its_tokens(db):
    app = make_app(db, describe=describe, config=ServiceConfig(address_rate=2))
    with TestClient(app) as client:
        statuses = [post(client, f"guess-{n}").status_code for n in range(4)]
    assert statuses == [403, 403, 429, 429]


def test_reads_are_kept_a_moment_and_refusals_never(db, key):
    app = make_app(db, describe=describe, config=ServiceConfig(read_cache_seconds=60))
    with TestClient(app) as client:
        assert client.get(f"{V2}/requests.json").json() == []
        ident = post(client, key).json()[0]["service_request_id"]
        assert client.get(f"{V2}/requests.json").json() == []  # the same list, a moment ago
        assert len(client.get(f"{V2}/requests.json?status=open").json()) == 1  # another URL
        assert client.get(f"{V2}/requests/{ident}.json").json()[0]["status"] == "open"
        with db.write() as session:
            (incident_id,) = open311.incident_ids(session, [ident])
            current = incidents.get(session, incident_id)
            incidents.save(
                session,
                current,
                transition(current, IncidentStatus.RESOLVED, at=utcnow()),
                by="c.bernard",
            )
        assert client.get(f"{V2}/requests/{ident}.json").json()[0]["status"] == "open"
        assert client.get(f"{V2}/requests/{ident}.xml").status_code == 200  # its own answer
        assert client.get(f"{V2}/requests/V-0.json").status_code == 404
    with TestClient(
        make_app(db, describe=describe, config=ServiceConfig(read_cache_seconds=0))
    ) as fresh:
        assert fresh.get(f"{V2}/requests/{ident}.json").json()[0]["status"] == "closed"


def test_many_readers_of_one_url_cost_the_database_one_reading(db, key, monkeypatch):
    import asyncio
    import threading

    import httpx

    readings = []
    reading = open311.public_requests
    entered = threading.Event()

    def counted(session, **query):  # noqa: ANN001, ANN003
        readings.append(query)
        entered.set()
        time.sleep(0.3)  # long enough for every reader to ask meanwhile
        return reading(session, **query)

    monkeypatch.setattr(open311, "public_requests", counted)
    app = make_app(db, describe=describe, config=ServiceConfig(read_cache_seconds=5))

    async def read_together() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answers = await asyncio.gather(
                *(client.get(f"{V2}/requests.json?status=open") for _ in range(20))
            )
        return [a.status_code for a in answers]

    assert asyncio.run(read_together()) == [200] * 20
    assert len(readings) == 1


def test_what_a_client_sends_never_breaks_an_answer(db, client, key):
    # A control character would make every XML list unreadable; the answer replaces it.
    ident = post(client, key, description="bad \x01 byte").json()[0]["service_request_id"]
    xml = ElementTree.fromstring(client.get(f"{V2}/requests.xml").content)
    assert xml.find("request/service_request_id").text == ident
    discovery = ElementTree.fromstring(client.get(f"{V2}/discovery.xml").content)
    assert discovery.tag == "discovery" and discovery.find("endpoints/endpoint/url") is not None
    for query in ("page=99999999999999999999999", "page_size=²", "end_date=0001-01-01T00:00:00Z",
                  "start_date=9999-12-31T00:00:00Z"):  # fmt: skip
        answer = client.get(f"{V2}/requests.json?{query}")
        assert answer.status_code == 400, query
        assert list(answer.json()[0]) == ["code", "description"]
    # A browser's form with no photo chosen still sends an empty part: no photo.
    empty = post(client, key, files={"media": ("", b"", "application/octet-stream")})
    assert empty.status_code == 201, empty.text


def test_an_id_of_the_services_own_form_is_refused_on_the_bus():
    from services.bus.codec import Decoder
    from services.bus.topics import Topics
    from services.reference import communes

    decoder = Decoder(Topics("v"), communes())
    body = {"service_request_id": "V-7", "service_code": "bruit", "lat": 47.32, "long": 5.04}
    decoded = decoder.decode("v/reports", json.dumps(body).encode(), utcnow())
    assert "V-" in getattr(decoded, "reason", "")  # quarantined, not recorded
    body["service_request_id"] = "APP-7"
    kept = decoder.decode("v/reports", json.dumps(body).encode(), utcnow())
    assert kept.service_request_id == "APP-7"
