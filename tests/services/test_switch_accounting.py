"""A switch's result counts devices, each once, as its preview does."""

from __future__ import annotations

from datetime import UTC, datetime

from services.commands import outbox
from services.commands.membership import Membership
from services.commands.outcome import Outcome
from services.commands.sender import Plan
from services.domain.commands import CommandStatus
from services.switch_accounting import devices_done

NOW = datetime(2026, 12, 5, 20, 0, tzinfo=UTC)
LIGHTS = ("light:1", "light:2", "light:3")


def _group(command: str, params: dict) -> Plan:
    request = outbox.prepare(
        "group", "commune:21231", command, params, issued_by="c.morel", reply_to="r", now=NOW
    )
    return Plan(request, Membership({"cab-1": LIGHTS}, ()), True, frozenset({"21231"}))


def _device(target: str) -> Plan:
    request = outbox.prepare(
        "TrafficSignal", target, "set_plan", {"plan": "SNOW"}, issued_by="c.morel",
        reply_to="r", now=NOW,
    )  # fmt: skip
    return Plan(request, None, True, frozenset({"21231"}))


SWITCH = _group("switch", {"powerState": "on"})
DIM = _group("dim", {"illuminanceLevel": 1.0})


def test_a_device_two_commands_reached_counts_once():
    done = Outcome(CommandStatus.DONE, succeeded=3)
    assert devices_done([SWITCH, DIM], [done, done]) == 3  # not 6 device-commands


def test_a_device_is_done_only_when_every_command_that_reached_it_is():
    dim_failed_on_2 = Outcome(CommandStatus.PARTIAL, succeeded=2, failed=(("light:2", "lamp"),))
    done = Outcome(CommandStatus.DONE, succeeded=3)
    assert devices_done([SWITCH, DIM], [done, dim_failed_on_2]) == 2
    pending = Outcome(CommandStatus.PENDING)
    assert devices_done([SWITCH, DIM], [done, pending]) == 0


def test_a_silent_gateways_devices_and_an_unanswered_device_are_not_done():
    silent = Outcome(CommandStatus.TIMED_OUT, silent_gateways={"cab-1": ("light:1", "light:2")})
    assert devices_done([SWITCH], [silent]) == 1
    signal = _device("trafficsignal:21231-001")
    assert devices_done([signal], [Outcome(CommandStatus.TIMED_OUT)]) == 0
    assert devices_done([signal], [Outcome(CommandStatus.DONE, succeeded=1)]) == 1
