"""``vigie energy``: kWh per commune and night, the baseline and the saving, from the shell.

On SQLite and PostgreSQL (``ready``). Its figures must be the sums of the raw meter readings,
summed here in SQL, and the saving's euros and CO2 the city's tariff and factor applied.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.lighting_policy import load_policy
from services.store import energy
from services.store.database import Database
from services.store.energy import MeterReading
from services.store.models import EnergyReadingRow

DIJON, TALANT = "21231", "21617"
START = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture
def metered(ready):
    """Two communes' cabinets over three nights, a reading an hour, lights dimmed after 22:00."""
    database = Database(ready)
    readings = []
    for cabinet, commune, rated in (
        ("cabinet:d1", DIJON, 6000.0),
        ("cabinet:d2", DIJON, 2000.0),
        ("cabinet:t1", TALANT, 3000.0),
    ):
        value = 100.0
        for hour in range(3 * 24 - 1):  # to the third dawn: three nights
            at = START + timedelta(hours=hour)
            local_hour = (at.hour + 1) % 24
            lit = local_hour >= 17 or local_hour < 8
            value += rated / 1000 * (0.5 if 22 <= local_hour or local_hour < 6 else 1.0) * lit
            readings.append(
                MeterReading(cabinet, at, value, commune, 47.32, 5.0, rated_power_w=rated)
            )
    with database.write() as session:
        energy.record_readings(session, readings)
    yield database
    database.dispose()


def sums(database, **where) -> dict[tuple[str, str], tuple[float, float]]:
    r = EnergyReadingRow
    query = select(r.night, r.commune, func.sum(r.delta_kwh), func.sum(r.baseline_kwh)).group_by(
        r.night, r.commune
    )
    for name, value in where.items():
        query = query.where(getattr(r, name) == value)
    with database.read() as session:
        return {(n.isoformat(), c): (k, b) for n, c, k, b in session.execute(query)}


def test_json_has_each_commune_and_night_as_the_readings_sum_them(vigie, metered):
    result = vigie("energy", "--since", "2026-11-30", "--json")
    assert result.status == 0, result.err
    out = json.loads(result.out)
    policy = load_policy()
    assert out["since"] == "2026-11-30" and out["commune"] is None
    assert out["tariff_eur_per_kwh"] == policy.tariff_eur_per_kwh
    expected = sums(metered)
    assert {(n["night"], n["commune"]) for n in out["nights"]} == set(expected)
    assert [(n["night"], n["commune"]) for n in out["nights"]] == sorted(expected)
    for n in out["nights"]:
        kwh, baseline = expected[(n["night"], n["commune"])]
        assert n["kwh"] == pytest.approx(kwh, abs=1e-3)
        assert n["baseline_kwh"] == pytest.approx(baseline, abs=1e-3)
        assert n["saving_kwh"] == pytest.approx(baseline - kwh, abs=2e-3)
        saving = baseline - kwh
        assert n["saving_eur"] == pytest.approx(saving * policy.tariff_eur_per_kwh, abs=0.01)
        assert n["saving_co2_kg"] == pytest.approx(saving * policy.co2_kg_per_kwh, abs=1e-3)
    total_kwh = sum(k for k, _ in expected.values())
    total_baseline = sum(b for _, b in expected.values())
    assert out["totals"]["kwh"] == pytest.approx(total_kwh, abs=1e-3)
    assert out["totals"]["baseline_kwh"] == pytest.approx(total_baseline, abs=1e-3)
    assert out["totals"]["saving_share"] == pytest.approx(1 - total_kwh / total_baseline, abs=1e-4)
    assert 0.1 < out["totals"]["saving_share"] < 0.5  # dimmed to half from 22:00 to 06:00
    assert {c["commune"] for c in out["communes"]} == {DIJON, TALANT}


def test_one_commune_and_a_later_start(vigie, metered):
    out = json.loads(vigie("energy", "--commune", TALANT, "--since", "2026-12-02", "--json").out)
    expected = {k: v for k, v in sums(metered, commune=TALANT).items() if k[0] >= "2026-12-02"}
    assert [(n["night"], n["commune"]) for n in out["nights"]] == sorted(expected)
    assert out["commune"] == TALANT and [c["commune"] for c in out["communes"]] == [TALANT]


def test_text_names_the_communes_and_says_the_saving_in_euros_and_co2(vigie, metered):
    result = vigie("energy", "--since", "2026-12-01")
    assert result.status == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split()[:2] == ["night", "commune"]
    dijon = [line for line in lines if line.startswith("2026-12-01") and " Dijon " in line]
    (kwh, baseline) = sums(metered)[("2026-12-01", DIJON)]
    assert dijon and f"{kwh:.1f}" in dijon[0] and f"{baseline:.1f}" in dijon[0]
    assert any(" Talant " in line for line in lines)
    assert "€ at 0.21 €/kWh" in lines[-1] and "kg of CO2 at 0.064 kg/kWh" in lines[-1]
    assert lines[-1].startswith("3 nights from 2026-12-01:")


def test_nothing_recorded_is_said_and_is_no_failure(vigie, ready):
    result = vigie("energy", "--since", "2026-12-01")
    assert result.status == 0 and "no street lighting energy" in result.out
    out = json.loads(vigie("energy", "--json").out)
    # By default, the last 30 nights and the one in progress.
    since = date.fromisoformat(out["since"])
    assert 30 <= (datetime.now(UTC).date() - since).days <= 31
    assert out["nights"] == [] and out["totals"]["kwh"] == 0


def test_usage_errors_and_an_unreachable_database(vigie, ready):
    unknown = vigie("energy", "--commune", "99999")
    assert unknown.status == 2 and "99999" in unknown.err
    assert vigie("energy", "--since", "last winter").status == 2
    away = vigie("energy", "--db", "postgresql+psycopg://x@127.0.0.1:9/y")
    assert away.status == 4 and away.out == ""


def test_french_when_the_room_reads_french(vigie_process, ready):
    result = vigie_process("energy", "--since", "2026-12-01", env={"LC_ALL": "fr_FR.UTF-8"})
    assert result.status == 0, result.err
    assert "aucune" in result.out.lower()


def test_a_backfill_writes_nights_the_energy_command_reads_and_refuses_a_second(
    vigie, ready, cli_env
):
    """``vigie simulate --backfill`` then ``vigie energy``: the month's nights, read back."""
    written = vigie("simulate", "--backfill", "2d", "--scale", "small", "--json")
    assert written.status == 0, written.err
    report = json.loads(written.out)
    assert report["rows"]["energy_readings"] > 0 and report["rows"]["incidents"] > 0
    nights = vigie("energy", "--since", "3d", "--json")
    assert nights.status == 0, nights.err
    assert json.loads(nights.out)  # the nights the backfill wrote
    again = vigie("simulate", "--backfill", "2d", "--scale", "small")
    assert again.status == 2 and "history" in again.err
    bad = vigie("simulate", "--backfill", "0d")
    assert bad.status == 2
