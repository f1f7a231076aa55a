"""The bus ACL from the register: each gateway its own devices, consoles nothing devices obey."""

from __future__ import annotations

from services.domain.bus_acl import acl_text, bus_identities, identity_name

REGISTER = [
    ("Streetlight", "sl:1", "cab-1"),
    ("Streetlight", "sl:2", "cab-2"),
    ("TrafficSignal", "ts:9", "cab-1"),
]


def test_identities_take_dots_where_ids_have_colons():
    assert identity_name("unit", "vehicle:pm-01") == "unit.vehicle.pm-01"
    assert identity_name("gw", "cab-21231-014") == "gw.cab-21231-014"


def test_a_gateway_publishes_and_hears_only_its_own_devices():
    found = {i.name: i for i in bus_identities("v", REGISTER, ["vehicle:pm-01"], consoles=["pc1"])}
    gateway = found["gw.cab-1"]
    assert gateway.publish == (
        "v/state/Streetlight/sl:1",
        "v/state/TrafficSignal/ts:9",
        "v/gateways/cab-1/status",
        "v/ack/#",
    )
    assert "v/cmd/Streetlight/sl:2" not in gateway.subscribe
    assert "v/cmd/group/#" in gateway.subscribe
    # Cabinets hear the modes their dimming profiles name; a gateway never announces one.
    assert "v/modes/+" in gateway.subscribe
    assert not [t for t in gateway.publish if "/modes/" in t]
    unit = found["unit.vehicle.pm-01"]
    assert unit.subscribe == ("v/units/vehicle:pm-01/dispatch",)
    console = found["console.pc1"]
    assert not [t for t in console.publish if "/cmd/" in t or "/modes/" in t or "/units/" in t]
    assert console.deny == ("v/units/#",)  # positions reach consoles through the database
    assert "v/cmd/#" in found["recorder.main"].publish
    # The citizen app's gateway hears each request's status, which the recorder publishes.
    assert found["citizen-app"].subscribe == ("v/events/reports/#",)
    assert "v/events/#" in found["recorder.main"].publish
    # The Open311 service only wakes the consoles.
    assert found["opendata"].publish == ("v/events/incidents",)
    assert found["opendata"].subscribe == ()
    assert set(found) == {
        "gw.cab-1",
        "gw.cab-2",
        "unit.vehicle.pm-01",
        "citizen-app",
        "alarms",
        "opendata",
        "recorder.main",
        "console.pc1",
    }


def test_the_acl_file_has_a_user_block_per_identity_deny_first():
    text = acl_text(bus_identities("v", REGISTER, [], consoles=["pc1"]))
    block = text.split("user console.pc1\n")[1].split("\n\n")[0].splitlines()
    assert block[0] == "topic deny v/units/#"
    assert "topic read v/#" in block
    assert text.count("\nuser ") == 7
