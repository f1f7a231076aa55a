"""``vigie mode`` from the shell: usage, the playbook's refusals, status, and a switch refused."""

from __future__ import annotations

import json
from datetime import timedelta

from console.cli.commands import mode_cmd
from services.commands.sender import CommandSender
from services.modes import ModeSwitcher
from services.playbooks import load_playbook
from services.recorder.writer import Recorder
from services.simulator import Simulator, SimulatorOptions
from services.store.database import Database
from tests.services.test_modes import TWO_GROUPS, silence_one_light_cabinet
from tests.services.test_recorder import wait_until


def test_a_bad_level_and_a_missing_reason_explain_themselves(vigie, staffed, cli_env):
    cli_env.setenv("VIGIE_OPERATOR", "c.morel")  # a snow coordinator
    bad = vigie("mode", "snow", "7", "--preview")
    assert bad.status == 2 and "'7' is not a snow level" in bad.err
    unsaid = vigie("mode", "snow", "2", "--yes")
    assert unsaid.status == 2 and "--reason" in unsaid.err
    nothing = vigie("mode", "rollback", "traffic", "--preview")
    assert nothing.status == 2 and "nothing to roll back" in nothing.err


def test_the_preview_says_what_would_be_sent_and_sends_nothing(vigie, staffed, cli_env):
    cli_env.setenv("VIGIE_OPERATOR", "c.morel")
    shown = vigie("mode", "traffic", "incident", "--preview", "--json")
    assert shown.status == 0, shown.err
    preview = json.loads(shown.out)
    assert (preview["from"], preview["to"]) == ("normal", "incident")
    assert {c["command"] for c in preview["commands"]} == {"set_plan", "raise"}
    assert preview["unknown_devices"]  # an empty database knows none of the playbook's devices
    status = json.loads(vigie("mode", "status", "--json").out)
    assert [(m["kind"], m["value"], m["state"]) for m in status] == [
        ("snow", "0", "applied"),
        ("traffic", "normal", "applied"),
    ]


def test_a_playbook_mistake_is_refused_naming_where(vigie, staffed, cli_env, tmp_path):
    cli_env.setenv("VIGIE_OPERATOR", "c.morel")
    book = tmp_path / "city.toml"
    book.write_text(
        '[groups.centre]\ncommunes = ["21231"]\nplans = ["P1"]\n\n'
        '[snow.1]\n[[snow.1.signals]]\ngroup = "centre"\nplan = "SNOW"\n',
        encoding="utf-8",
    )
    cli_env.setenv("VIGIE_PLAYBOOK", str(book))
    refused = vigie("mode", "snow", "1", "--preview")
    assert refused.status == 2
    assert "city.toml: snow.1.signals[0]: plan 'SNOW' is not one that group 'centre'" in refused.err


def test_a_second_coordinator_is_refused_naming_who_is_switching(vigie, staffed, broker, cli_env):
    cli_env.setenv("VIGIE_BROKER_URL", broker.url)
    cli_env.setenv("VIGIE_MQTT_ROOT", "modecli")
    db = Database(staffed)
    sender = CommandSender(db, broker.url, "modecli")
    sender.connect(10)
    try:  # c.morel's switch holds the claim: it is applying, not finished
        modes = ModeSwitcher(db, sender, load_playbook())
        modes.apply(modes.preview("snow", 2, "c.morel"), "c.morel", "neige", "")
        second = vigie("--operator", "j.petit", "mode", "snow", "0", "--reason", "retour", "--yes")
    finally:
        sender.close()
        db.dispose()
    assert second.status == 1
    assert "c.morel is already switching" in second.err


def test_a_switch_with_a_group_partial_exits_1_and_says_partial(
    vigie, staffed, broker, cli_env, tmp_path
):
    """A silent cabinet leaves Dijon's lights partial: not "applied", not exit 0."""
    root = "modecli-partial"
    book = tmp_path / "city.toml"
    book.write_text(TWO_GROUPS, encoding="utf-8")
    for name, value in (
        ("VIGIE_PLAYBOOK", str(book)),
        ("VIGIE_BROKER_URL", broker.url),
        ("VIGIE_MQTT_ROOT", root),
    ):
        cli_env.setenv(name, value)
    # The city edited its playbook: an admin puts it in force (PostgreSQL checks switches by it).
    loaded = vigie("playbook", "load", "--yes")
    assert loaded.status == 0, loaded.err
    switcher = mode_cmd._switcher

    def quick(ctx):  # noqa: ANN001, ANN202 - the silent cabinet is waited for until expiry
        modes = switcher(ctx)
        modes.expires_in = timedelta(seconds=4)
        return modes

    cli_env.setattr(mode_cmd, "_switcher", quick)
    db = Database(staffed)
    sim = Simulator(broker.url, root, SimulatorOptions(scale="small", seed=5, latency_ms=(20, 60)))
    sim.start()
    recorder = Recorder(db, broker.url, root, f"rec-{root}")
    try:
        assert sim.wait_ready(60)
        recorder.start()
        wait_until(
            lambda: recorder.known_equipment() >= len(sim.world.entities) - 5,
            timeout=60,
            what="the field recorded",
        )
        silence_one_light_cabinet(sim)
        result = vigie(
            "--operator", "c.morel", "mode", "snow", "1", "--reason", "neige", "--yes", "--json"
        )
    finally:
        recorder.stop()
        sim.stop()
        db.dispose()
    assert result.status == 1, result.err
    assert json.loads(result.out)["state"] == "partial"
