"""``vigie lighting`` from the shell: the preview word for word, refusals that explain themselves,
and the status read back from what the groups report."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from services.domain.equipment import EquipmentType
from services.reference import city_or_bundled
from services.store.database import Database
from services.store.models import CommandRow, EquipmentRow

#: Two communes' worth of groups: Dijon (arterial, and the centre's own group) and a village.
LIGHTS = [
    # (light id, group, commune, rated W)
    ("streetlight:21231-00001", "streetlightgroup:21231-001-A", "21231", 90.0),
    ("streetlight:21231-00002", "streetlightgroup:21231-001-A", "21231", 90.0),
    ("streetlight:21231-00003", "streetlightgroup:21231-050-B", "21231", 60.0),
    ("streetlight:21270-00001", "streetlightgroup:21270-001-A", "21270", 40.0),
    ("streetlight:21270-00002", "streetlightgroup:21270-001-A", "21270", None),
]


@pytest.fixture
def field(staffed):
    now = datetime.now(UTC)
    db = Database(staffed)
    with db.write() as session:
        for light, group, commune, rated in LIGHTS:
            attributes = {"powerState": "on", "refStreetlightGroup": group}
            if rated is not None:
                attributes["ratedPower"] = rated
            session.add(
                EquipmentRow(
                    id=light,
                    type=EquipmentType.STREETLIGHT.value,
                    commune=commune,
                    gateway=f"gw-cab-{group.split(':')[1][:9]}",
                    group_ref=group,
                    attributes=attributes,
                    received_at=now,
                    updated_at=now,
                )
            )
        for group in {g for _, g, _, _ in LIGHTS}:
            session.add(
                EquipmentRow(
                    id=group,
                    type=EquipmentType.STREETLIGHT_GROUP.value,
                    commune=group.split(":")[1][:5],
                    attributes={},
                    received_at=now,
                    updated_at=now,
                )
            )
    yield db
    db.dispose()


def test_the_preview_names_each_groups_profile_and_the_energy_and_sends_nothing(
    vigie, field, cli_env
):
    shown = vigie("--operator", "t.roux", "lighting", "preview", "--json")
    assert shown.status == 0, shown.err
    preview = json.loads(shown.out)
    by_group = {g["group"]: g for g in preview["groups"]}
    assert by_group["streetlightgroup:21231-001-A"]["profile"] == "centre"
    assert by_group["streetlightgroup:21231-050-B"]["profile"] == "arterial"
    assert by_group["streetlightgroup:21270-001-A"]["profile"] == "village"
    assert by_group["streetlightgroup:21231-001-A"]["lights"] == 2
    energy = preview["energy"]
    assert energy["lights"] == len(LIGHTS) and energy["assumed_power"] == 1
    # Full power for the night: rated power (one light assumed at 60 W) times the night's hours.
    assert 0 < energy["projected_kwh"] < energy["baseline_kwh"]
    village = energy["communes"]["21270"]
    assert village["lights"] == 2
    assert energy["baseline_kwh"] == pytest.approx(
        sum(c["baseline_kwh"] for c in energy["communes"].values()), abs=0.01
    )
    # The params sent are the compiled profile, its version the one the cabinet will report.
    params = by_group["streetlightgroup:21270-001-A"]["params"]
    assert params["version"] == by_group["streetlightgroup:21270-001-A"]["profile_version"]
    assert [s["level"] for s in params["steps"]] == [0.6, 0.0, 0.6]
    with field.read() as session:
        assert session.query(CommandRow).count() == 0

    said = vigie("--operator", "t.roux", "lighting", "preview")
    assert said.status == 0
    assert "Villages" in said.out and "Fontaine" not in said.out and "Flavignerot" in said.out
    assert "1 lights report no rated power" in said.out


def test_a_policy_mistake_is_refused_naming_the_file_and_the_entry(vigie, field, cli_env, tmp_path):
    city = tmp_path / "city.toml"
    text = city_or_bundled("", "lighting", "dijon.toml")[1]
    city.write_text(
        text.replace('{ from = "dusk+5h", class = "off" }', '{ from = "dusk+5h", class = "P9" }')
    )
    cli_env.setenv("VIGIE_LIGHTING", str(city))
    refused = vigie("--operator", "t.roux", "lighting", "preview")
    assert refused.status == 2
    assert "city.toml: profiles.village.periods[1].class" in refused.err


def test_apply_needs_a_reason_and_the_right_to_command_groups(vigie, field, cli_env):
    unsaid = vigie("--operator", "t.roux", "lighting", "apply", "--yes")
    assert unsaid.status == 2 and "--reason" in unsaid.err
    refused = vigie("--operator", "c.bernard", "lighting", "apply", "--reason", "x", "--yes")
    assert refused.status == 5


def test_status_reads_what_each_group_reports(vigie, field, cli_env):
    preview = json.loads(vigie("--operator", "t.roux", "lighting", "preview", "--json").out)
    first = preview["groups"][0]
    with field.write() as session:
        row = session.get(EquipmentRow, first["group"])
        row.attributes = {"profile": first["profile"], "profileVersion": first["profile_version"]}
    shown = vigie("--operator", "t.roux", "lighting", "status", "--json")
    assert shown.status == 0, shown.err
    status = {g["group"]: g for g in json.loads(shown.out)}
    assert status[first["group"]]["in_force"] is True
    others = [g for g in status.values() if g["group"] != first["group"]]
    assert others and not any(g["in_force"] for g in others)
    said = vigie("--operator", "t.roux", "lighting", "status")
    assert f"1 of {len(status)} groups report the policy's profile" in said.out
