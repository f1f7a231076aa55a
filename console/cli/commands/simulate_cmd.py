"""``vigie simulate``: Dijon Métropole's field on the configured broker, until stopped.

Gateways, lights, signals, cameras, bollards, vehicles, road-weather stations, depots and
citizens speak the field contract and answer commands, with latency and failure modes chosen on
the command line. It stops cleanly on SIGTERM or Ctrl+C (exit 0) and exits 4, saying why in one
line, when the broker cannot be reached at start. With ``--credentials`` each gateway and unit
logs in as itself; a missing password exits 2 and a login the broker turns away exits 5, both
before anything is published. The cameras' live streams are served on 127.0.0.1 (unless
``--no-video``), behind tokens signed with the gateways' secrets of ``--video-secrets``.
With ``--start TIME`` (in the past: a time in the future is a usage error, exit 2) the field's
clock starts at TIME and runs ``--speed`` times faster than the wall clock until it catches up
with it, timestamps, nights and meters included, so that a night passes in minutes.
"""

from __future__ import annotations

import argparse
import re
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from console.cli.context import CliFailure, Context, ExitStatus, local_time
from console.cli.parser import add_json
from console.text.i18n import fill, translate
from services.config import redact_url
from services.domain.equipment import EquipmentType
from services.domain.room_time import room_zone

if TYPE_CHECKING:
    from services.simulator import (
        LoginRefused,
        MissingCredential,
        SimulatorOptions,
        VideoSettings,
        World,
    )


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise ValueError(text)
    return value


_fraction.__name__ = "fraction (0 to 1)"  # argparse names the type in its error


def _non_negative(text: str) -> float:
    value = float(text)
    if not value >= 0.0 or value == float("inf"):
        raise ValueError(text)
    return value


_non_negative.__name__ = "non-negative number"


def _positive(text: str) -> float:
    value = float(text)
    if not 0.0 < value < float("inf"):
        raise ValueError(text)
    return value


_positive.__name__ = "positive number"


def _latency(text: str) -> tuple[float, float]:
    low, sep, high = text.partition("-")
    bounds = (float(low), float(high if sep else low))
    if not 0.0 <= bounds[0] <= bounds[1] < 3_600_000:
        raise ValueError(text)
    return bounds


_latency.__name__ = "latency (MIN-MAX milliseconds)"


_AGO = re.compile(r"-?(\d{1,6})([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def _start(text: str) -> datetime:
    """An argparse type: when the field's clock starts, as UTC.

    A time (the room's unless a zone is given), a date (its midnight in the room) or a span back
    from now (``2d``, ``-12h``, ``90m``).
    """
    text = text.strip()
    ago = _AGO.fullmatch(text)
    if ago:
        return datetime.now(UTC) - timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
    at = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return (at if at.tzinfo else at.replace(tzinfo=room_zone())).astimezone(UTC)


_start.__name__ = "time (ISO 8601, or a span back such as 2d, 12h)"


def _days(text: str) -> int:
    """An argparse type: ``30d`` or ``30``, whole days."""
    match = re.fullmatch(r"(\d{1,4})d?", text.strip())
    if match is None or int(match.group(1)) < 1:
        raise ValueError(text)
    return int(match.group(1))


_days.__name__ = "days (e.g. 30d)"


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise ValueError(text)
    return value


_port.__name__ = "port (0 to 65535)"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from services.simulator import MIXES, SCALES

    sim = sub.add_parser(
        "simulate",
        parents=[common],
        help=translate("cli", "simulate Dijon Métropole's field on the broker"),
        description=translate(
            "cli",
            "Publish the field of Dijon Métropole on the configured broker (gateways, street "
            "lights, signals, cameras, bollards, vehicles, road-weather stations, salt depots, "
            "citizen reports and alerts) and answer commands and dispatches as the field "
            "contract says, until stopped with Ctrl+C or SIGTERM. By default every command is "
            "answered correctly and nothing fails.",
        ),
    )
    sim.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default="dijon",
        help=translate(
            "cli",
            "dijon: the real counts (34,000 lights...); x10: ten times them (340,000 lights, "
            "the 23 real communes and 207 synthetic ones around them); small: a few hundred, "
            "for tests",
        ),
    )
    sim.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="N",
        help=translate("cli", "the same seed gives the same city and the same events"),
    )
    sim.add_argument(
        "--speed",
        type=_positive,
        default=1.0,
        metavar="X",
        help=translate("cli", "time acceleration for demos: vehicles and events go X times faster"),
    )
    sim.add_argument(
        "--start",
        type=_start,
        metavar="TIME",
        help=translate(
            "cli",
            "start the field's clock at TIME, in the past (ISO 8601, the room's time unless a "
            "zone is given, or a span back from now such as 2d or 12h), and run it --speed times "
            "faster than the wall clock until it catches up: timestamps, nights and meters "
            "follow it (default: the wall clock)",
        ),
    )
    sim.add_argument(
        "--latency",
        type=_latency,
        default=(50.0, 300.0),
        metavar="MIN-MAX",
        help=translate("cli", "how long devices take to answer, in milliseconds (default 50-300)"),
    )
    sim.add_argument(
        "--mix",
        choices=sorted(MIXES),
        default="none",
        help=translate(
            "cli",
            "a preset of failure modes: mild is a plausible working day (the options below "
            "override it)",
        ),
    )
    sim.add_argument(
        "--failure-rate",
        type=_fraction,
        metavar="F",
        help=translate("cli", "fraction of device executions that answer failed"),
    )
    sim.add_argument(
        "--fault-rate",
        type=_non_negative,
        metavar="F",
        help=translate("cli", "probability of a fault per device and simulated day"),
    )
    sim.add_argument(
        "--cabinet-failures",
        type=_non_negative,
        metavar="N",
        help=translate(
            "cli", "cabinet failures per simulated day (most of one cabinet's lights go dark)"
        ),
    )
    sim.add_argument(
        "--gateway-offline",
        action="store_const",
        const=True,
        help=translate(
            "cli",
            "gateways drop off now and then through their real Last Will, and come back",
        ),
    )
    sim.add_argument(
        "--lost-ack",
        type=_fraction,
        metavar="F",
        help=translate("cli", "fraction of commands executed but never acknowledged"),
    )
    sim.add_argument(
        "--first-attempt-ignored",
        type=_fraction,
        nargs="?",
        const=1.0,
        metavar="F",
        help=translate(
            "cli",
            "drop the first delivery of a request silently (of a fraction F of them, all by "
            "default); a resend is answered",
        ),
    )
    sim.add_argument(
        "--credentials",
        type=Path,
        metavar="DIR",
        help=translate(
            "cli",
            "the credentials folder 'vigie broker config' wrote: each gateway and unit logs in "
            "as itself, the citizen app as citizen-app, the alarms as alarms (default: one "
            "anonymous login, as the demo's embedded broker allows)",
        ),
    )
    sim.add_argument(
        "--temperature-offset",
        type=float,
        metavar="DEGREES",
        help=translate(
            "cli", "degrees added to the seasonal weather (e.g. -6: a cold snap for the snow plan)"
        ),
    )
    sim.add_argument(
        "--video-port",
        type=_port,
        default=0,
        metavar="N",
        help=translate(
            "cli",
            "serve the cameras' live streams on this port of 127.0.0.1 (default 0: a free one)",
        ),
    )
    sim.add_argument(
        "--no-video",
        action="store_true",
        help=translate("cli", "serve no camera stream (the cameras' states name none)"),
    )
    sim.add_argument(
        "--video-secrets",
        type=Path,
        metavar="FILE",
        help=translate(
            "cli",
            "the gateways' stream secrets, a JSON object of gateway: base64 secret; made up and "
            "written there (readable by you alone) when the file does not exist (default: "
            "video-secrets.json in your data folder)",
        ),
    )
    sim.add_argument(
        "--backfill",
        type=_days,
        metavar="DAYS",
        help=translate(
            "cli",
            "instead of simulating live, write DAYS (e.g. 30d) of the city's history ending now "
            "straight into the database: meter readings, states, positions, incidents, commands, "
            "modes; refused on a database that holds history already",
        ),
    )
    sim.add_argument(
        "--incidents-per-day",
        type=_non_negative,
        default=1000.0,
        metavar="N",
        help=translate("cli", "with --backfill: incidents a day (default 1000)"),
    )
    add_json(sim)
    sim.set_defaults(handler=run)


def _backfill(ctx: Context) -> ExitStatus:
    """A month (or so) of history, written at once; what was written, said."""
    from services.backfill import backfill

    args = ctx.args

    def progress(phase: str, n: int, of: int) -> None:
        if not ctx.json:
            ctx.err(
                fill(
                    translate("cli", "backfill {n}/{of}: {phase}"),
                    {"n": n, "of": of, "phase": phase},
                )
            )

    report = backfill(
        ctx.database(),
        days=args.backfill,
        scale=args.scale,
        seed=args.seed,
        incidents_per_day=args.incidents_per_day,
        on_progress=progress,
        snow_network=ctx.settings.snow_network,
    )
    if ctx.json:
        ctx.emit_json(
            {
                "start": report.start,
                "end": report.end,
                "scale": report.scale,
                "seed": report.seed,
                "rows": report.rows,
                "seconds": round(report.seconds, 1),
            }
        )
        return ExitStatus.OK
    ctx.say(
        fill(
            translate(
                "cli",
                "{rows} rows of history written from {start} to {end} in {seconds:.0f} s:",
            ),
            {
                "rows": report.total_rows,
                "start": local_time(report.start),
                "end": local_time(report.end),
                "seconds": report.seconds,
            },
        )
    )
    for table, rows in sorted(report.rows.items(), key=lambda kv: -kv[1]):
        ctx.say(f"  {table}: {rows}")
    return ExitStatus.OK


def _start_at(args: argparse.Namespace) -> float | None:
    """``--start`` as seconds since the epoch; a time in the future is a usage error."""
    start: datetime | None = args.start
    if start is None:
        return None
    if start > datetime.now(UTC):
        raise CliFailure(
            fill(
                translate(
                    "cli",
                    "--start {time}: that is in the future; the field's clock starts in the past "
                    "and never runs ahead of the wall clock; nothing was simulated",
                ),
                {"time": local_time(start)},
            ),
            ExitStatus.USAGE,
        )
    return start.timestamp()


def options_from(args: argparse.Namespace) -> SimulatorOptions:
    """The simulator's options from the command line: the mix, then the explicit options."""
    from services.simulator import SimulatorOptions

    base = SimulatorOptions(
        scale=args.scale,
        seed=args.seed,
        speed=args.speed,
        latency_ms=args.latency,
        start_at=_start_at(args),
    )
    return base.with_mix(
        args.mix,
        failure_rate=args.failure_rate,
        fault_rate=args.fault_rate,
        cabinet_failures_per_day=args.cabinet_failures,
        gateway_offline=args.gateway_offline,
        lost_ack=args.lost_ack,
        first_attempt_ignored=args.first_attempt_ignored,
        temperature_offset_c=args.temperature_offset,
    )


def _failure_modes(options: SimulatorOptions) -> str:
    modes = [
        f"failure-rate={options.failure_rate:g}" if options.failure_rate else "",
        f"fault-rate={options.fault_rate:g}" if options.fault_rate else "",
        f"cabinet-failures={options.cabinet_failures_per_day:g}"
        if options.cabinet_failures_per_day
        else "",
        "gateway-offline" if options.gateway_offline else "",
        f"lost-ack={options.lost_ack:g}" if options.lost_ack else "",
        f"first-attempt-ignored={options.first_attempt_ignored:g}"
        if options.first_attempt_ignored
        else "",
    ]
    return ", ".join(m for m in modes if m)


def _missing(error: MissingCredential, folder: Path) -> CliFailure:
    return CliFailure(
        fill(
            translate(
                "cli",
                "no password for {identity} in {folder} ({missing} identities the simulator "
                "plays have none): write the broker's configuration again with 'vigie broker "
                "config' for this field; nothing was simulated",
            ),
            {"identity": error.identity, "folder": str(folder), "missing": error.missing},
        ),
        ExitStatus.USAGE,
    )


def _refused(error: LoginRefused, broker: str) -> CliFailure:
    if error.identity is None:
        text = translate(
            "cli",
            "refused: the broker {url} lets no one in without a login ({reason}): give "
            "--credentials DIR; nothing was simulated",
        )
    else:
        text = translate(
            "cli",
            "refused: the broker {url} turned {identity} away: bad username or password "
            "({reason}); nothing was simulated",
        )
    return CliFailure(
        fill(text, {"url": broker, "identity": error.identity, "reason": error.reason}),
        ExitStatus.REFUSED,
    )


def _video(args: argparse.Namespace, world: World) -> tuple[VideoSettings | None, Path | None]:
    """What to serve the cameras with, and the secrets file; (None, None) with ``--no-video``."""
    from services.simulator import VideoSettings
    from services.simulator.video.secrets_file import (
        SecretsFileError,
        default_secrets_path,
        load_or_create,
    )

    if args.no_video:
        return None, None
    path: Path = args.video_secrets or default_secrets_path()
    try:
        secrets = load_or_create(path, world)
    except (SecretsFileError, OSError) as exc:
        raise CliFailure(
            fill(
                translate("cli", "--video-secrets: {reason}; nothing was simulated"),
                {"reason": str(exc)},
            ),
            ExitStatus.USAGE,
        ) from None
    return VideoSettings(secrets=secrets, port=args.video_port), path


def run(ctx: Context) -> ExitStatus:
    if ctx.args.backfill is not None:
        return _backfill(ctx)
    from services.domain.geography import is_synthetic
    from services.reference import synthetic_enabled
    from services.simulator import (
        BrokerUnreachable,
        LoginRefused,
        MissingCredential,
        Simulator,
        VideoUnavailable,
        build_world,
    )
    from services.simulator.logins import summary, voiceless
    from services.simulator.video import read_mask_folder

    options = options_from(ctx.args)
    broker = redact_url(ctx.settings.broker)
    folder: Path | None = ctx.args.credentials
    if folder is not None and not folder.is_dir():
        raise CliFailure(
            fill(
                translate("cli", "--credentials {folder}: no such folder"),
                {"folder": str(folder)},
            ),
            ExitStatus.USAGE,
        )
    world = build_world(options.seed, options.scale)
    video, secrets_path = _video(ctx.args, world)
    try:
        simulator = Simulator(
            ctx.settings.broker,
            ctx.settings.root,
            options,
            world=world,
            credentials=folder,
            masks=read_mask_folder(),  # the bundled examples, as if pushed at installation
            video=video,
        )
    except MissingCredential as exc:
        raise _missing(exc, folder or Path()) from None

    def say(text: str) -> None:
        ctx.say(text)
        ctx.out.flush()  # a long-running process: show each line as it happens

    def started() -> None:
        counts = simulator.world.summary()
        say(
            fill(
                translate(
                    "cli",
                    "simulating Dijon Métropole on {broker} under '{root}': {lights} street "
                    "lights behind {cabinets} cabinets, {signals} signals, {cameras} cameras, "
                    "{bollards} bollards, {vehicles} vehicles (scale {scale}, seed {seed}, "
                    "speed ×{speed})",
                ),
                {
                    "broker": broker,
                    "root": ctx.settings.root,
                    "lights": counts.get(EquipmentType.STREETLIGHT.value, 0),
                    "cabinets": counts.get(EquipmentType.STREETLIGHT_CONTROL_CABINET.value, 0),
                    "signals": counts.get(EquipmentType.TRAFFIC_SIGNAL.value, 0),
                    "cameras": counts.get(EquipmentType.CAMERA.value, 0),
                    "bollards": counts.get(EquipmentType.BOLLARD.value, 0),
                    "vehicles": counts.get("vehicles", 0),
                    "scale": options.scale,
                    "seed": options.seed,
                    "speed": f"{options.speed:g}",
                },
            )
        )
        synthetic = sum(1 for insee in simulator.world.communes if is_synthetic(insee))
        if synthetic:
            say(
                fill(
                    translate(
                        "cli",
                        "{communes} communes: the 23 real ones and {synthetic} synthetic ones "
                        'around them (codes ZS001 to ZS{last:03d}, named "Commune fictive")',
                    ),
                    {
                        "communes": counts.get("communes", 0),
                        "synthetic": synthetic,
                        "last": synthetic,
                    },
                )
            )
            if not synthetic_enabled():
                ctx.err(
                    translate(
                        "cli",
                        "note: start the recorder and the consoles with "
                        "VIGIE_SYNTHETIC_COMMUNES=1 in their environment, or they file the "
                        "synthetic communes' devices under the nearest real commune, outside "
                        "the métropole",
                    )
                )
        if options.start_at is not None:
            say(
                fill(
                    translate(
                        "cli",
                        "the field's clock starts at {time} and runs ×{speed} until it reaches "
                        "the wall clock",
                    ),
                    {
                        "time": local_time(datetime.fromtimestamp(options.start_at, UTC)),
                        "speed": f"{options.speed:g}",
                    },
                )
            )
        server = simulator.stream_server
        if server is not None:
            say(
                fill(
                    translate(
                        "cli",
                        "serving the cameras' streams on {url} (tokens signed with the secrets "
                        "of {file})",
                    ),
                    {"url": server.base_url, "file": str(secrets_path)},
                )
            )
        modes = _failure_modes(options)
        if modes:
            say(fill(translate("cli", "failure modes: {modes}"), {"modes": modes}))
        if folder is not None:
            logged = summary(simulator.identities)
            say(
                fill(
                    translate(
                        "cli",
                        "logged in as {logins} identities ({gateways} gateways, {units} units, "
                        "citizen-app, alarms) in {seconds} s",
                    ),
                    {**logged, "seconds": f"{simulator.login_seconds or 0.0:.2f}"},
                )
            )
            silent = voiceless(simulator.world)
            if silent:
                ctx.err(
                    fill(
                        translate(
                            "cli",
                            "warning: {count} devices have no gateway (road-weather stations, "
                            "salt depots, counting loops): no identity of the bus may publish "
                            "their state, so it is not published",
                        ),
                        {"count": len(silent)},
                    )
                )

    def ready() -> None:
        say(
            fill(
                translate(
                    "cli",
                    "initial state published: {count} messages in {seconds} s; answering "
                    "commands until Ctrl+C or SIGTERM",
                ),
                {
                    "count": simulator.burst_size,
                    "seconds": f"{simulator.burst_seconds or 0.0:.1f}",
                },
            )
        )

    try:
        signum = simulator.run(on_started=started, on_ready=ready)
    except LoginRefused as exc:
        raise _refused(exc, broker) from None
    except VideoUnavailable as exc:
        raise CliFailure(
            fill(
                translate(
                    "cli",
                    "cannot serve the cameras' streams on port {port}: {reason}; nothing was "
                    "simulated",
                ),
                {"port": ctx.args.video_port, "reason": str(exc)},
            ),
            ExitStatus.USAGE,
        ) from None
    except BrokerUnreachable as exc:
        raise CliFailure(
            fill(
                translate("cli", "cannot reach the broker {url}: {reason}; nothing was simulated"),
                {"url": broker, "reason": str(exc)},
            ),
            ExitStatus.UNREACHABLE,
        ) from None
    name = signal.Signals(signum).name if signum else "request"
    say(
        fill(
            translate(
                "cli",
                "stopped on {signal}: gateways announced offline, {count} messages published",
            ),
            {"signal": name, "count": simulator.published},
        )
    )
    return ExitStatus.OK
