"""``vigie recorder`` starts receiving before the rest of the command line has loaded.

The command line imports Qt (for its translations) and builds every subcommand's parser before
it runs one: a third of a second during which a cold start's retained burst waits in the broker.
When the command line is plainly ``vigie recorder`` with valued options, and the settings load
and name no ``system:`` operator, the receiver (and its writer) start first. The usual path then
runs as always, with its translated messages and exit statuses, and ``recorder_cmd`` adopts the
receiver already running. Anything else (help, a wrong or abbreviated flag, an unreadable config
file) goes the usual way alone, so nothing is received that the usual path would refuse.

The command line itself then waits, a few seconds at most, until the retained burst is
recorded (``let_the_burst_pass``): its imports would take processor from the burst.

This module imports no Qt and none of the other subcommands: that is its point.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from services.config import load_settings
from services.domain.errors import InvalidInput, VigieError
from services.domain.operators import is_system_name
from services.recorder.pipe import start_writer

if TYPE_CHECKING:
    from services.recorder.receiver import Receiver

#: How long the command line may wait for a cold start's burst to be recorded before it loads.
BURST_WAIT_S = 3.0
#: The global options that take a value (``--yes`` takes none), and their setting.
GLOBAL_VALUED = {
    "--db": "db",
    "--broker": "broker",
    "--broker-password-file": "broker_password_file",
    "--root": "root",
    "--operator": "operator",
}
GLOBAL_FLAGS = {"--yes"}


def default_id() -> str:
    return f"recorder-{socket.gethostname()}"


def plain_recorder_options(argv: Sequence[str]) -> dict[str, str] | None:
    """The options of ``vigie recorder [OPTIONS]`` if ``argv`` is plainly that, else None.

    Only what the full parser surely accepts passes: known options spelt whole, each with a value
    that does not look like an option; ``--id`` after the command's name only. Anything doubtful
    returns None and is left to the full parser.
    """
    options: dict[str, str] = {}
    command: str | None = None
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        valued = dict(GLOBAL_VALUED)
        if command == "recorder":
            valued["--id"] = "recorder_id"
            valued["--share"] = "share"
        name, equals, value = token.partition("=")
        if token in GLOBAL_FLAGS:
            pass
        elif name in valued:
            if not equals:
                i += 1
                if i == len(tokens):
                    return None
                value = tokens[i]
            if not value or value.startswith("-"):
                return None
            options[valued[name]] = value
        elif token == "recorder" and command is None:
            command = token
        else:
            return None
        i += 1
    return options if command == "recorder" else None


class _HeldNotices:
    """The receiver's notices, held until the command line can phrase them (it loads Qt)."""

    def __init__(self) -> None:
        self._say: Callable[..., None] = lambda key, **params: None
        self._ready = threading.Event()

    def __call__(self, key: str, **params: object) -> None:
        self._ready.wait()
        self._say(key, **params)

    def say_with(self, say: Callable[..., None]) -> None:
        self._say = say
        self._ready.set()


#: What ``check_share`` found for each (broker, database, root, id, group): the error it raised,
#: or None. The early path and the usual one ask the same question once.
_share_checked: dict[tuple[str, str, str, str, str], VigieError | None] = {}


def check_share(broker: str, db: str, root: str, recorder_id: str, group: str) -> None:
    """Refuse ``--share GROUP`` before anything starts, if it cannot work.

    A bad group name, a database that is not PostgreSQL, a broker that does not serve
    ``$share`` (probed, ``receiver.check_share``). Raises the ``VigieError`` to report; the
    answer is kept, so a refusal probes once.
    """
    key = (broker, db, root, recorder_id, group)
    if key not in _share_checked:
        try:
            _check_share(*key)
        except VigieError as exc:
            _share_checked[key] = exc
        else:
            _share_checked[key] = None
    error = _share_checked[key]
    if error is not None:
        raise error


def _check_share(broker: str, db: str, root: str, recorder_id: str, group: str) -> None:
    from services.bus.connection import parse_broker_url
    from services.bus.topics import Topics, valid_share_group
    from services.config import redact_url
    from services.recorder.receiver import check_share as probe

    if not valid_share_group(group):
        raise InvalidInput("recorder.bad_share_group", group=group[:80])
    # Members write one database at once: SQLite's single writer is one workstation's.
    if not urlsplit(db).scheme.startswith("postgres"):
        raise InvalidInput("recorder.share_needs_postgresql", url=redact_url(db))
    probe(parse_broker_url(broker), Topics(root), recorder_id, group)


@dataclass
class _Early:
    receiver: Receiver
    settings: tuple[str, str, str, str, str | None]  # broker, database, root, recorder id, share
    notices: _HeldNotices
    stop: threading.Event


_early: _Early | None = None


def start(argv: Sequence[str]) -> None:
    """Start the receiver now if ``argv`` is a plain ``vigie recorder`` that will run."""
    global _early
    options = plain_recorder_options(argv)
    if options is None:
        return
    # The writer before anything else: its imports are the longest part of a cold start, and
    # a core is free while this process reads the settings and imports paho.
    writer = start_writer()
    try:
        _early = _receiving(options, writer)
    except VigieError:
        _early = None  # the usual path says what is wrong
    except BaseException:
        _stop_writer(writer)
        raise
    if _early is None:
        _stop_writer(writer)


def _receiving(options: dict[str, str], writer: subprocess.Popen) -> _Early | None:
    """The receiver for these options, started with ``writer``; None if it must not start early."""
    settings = load_settings({k: options.get(k) for k in GLOBAL_VALUED.values()})
    tolerance = settings.clock_tolerance
    if is_system_name(settings.operator):
        return None
    from services.recorder.receiver import Receiver

    recorder_id = options.get("recorder_id", default_id())
    share = options.get("share")
    if share is not None:
        # the usual path says why it cannot (the answer is kept: it probes no more)
        check_share(settings.broker, settings.db, settings.root, recorder_id, share)
    notices = _HeldNotices()
    receiver = Receiver(
        settings.broker,
        settings.db,
        settings.root,
        recorder_id,
        notify=notices,
        clock_tolerance=tolerance,
        share=share,
        writer=writer,
    )
    stop = threading.Event()
    previous = {  # from now on a SIGTERM flushes, as later
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        receiver.start()
    except BaseException:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        raise
    return _Early(
        receiver, (settings.broker, settings.db, settings.root, recorder_id, share), notices, stop
    )


def _stop_writer(writer: subprocess.Popen) -> None:
    """A writer started for a recorder that will not run early: it has been told nothing."""
    writer.kill()
    with writer:  # its pipes closed, and waited for
        pass


def let_the_burst_pass() -> None:
    """Wait until the receiver started early has the retained burst recorded, a few seconds at most.

    Loading the command line (Qt, every subcommand) costs a fifth of a second of processor: on a
    machine of two cores, during a cold start, that is taken from the receiver and the writer.
    Its messages wait meanwhile (``_HeldNotices``); a SIGTERM ends the wait.
    """
    if _early is None:
        return
    deadline = time.monotonic() + BURST_WAIT_S
    while time.monotonic() < deadline and not _early.stop.is_set():
        if _early.receiver.settled.wait(0.05):
            return


def adopt(
    broker: str,
    db: str,
    root: str,
    recorder_id: str,
    share: str | None,
    say: Callable[..., None],
) -> tuple[Receiver, threading.Event] | None:
    """The receiver started early for these settings, and its stop signal; None if none was."""
    global _early
    early, _early = _early, None
    if early is None:
        return None
    if early.settings != (broker, db, root, recorder_id, share):  # cannot happen; never guess
        early.receiver.abandon()
        return None
    early.notices.say_with(say)
    return early.receiver, early.stop


def discard() -> None:
    """The usual path ended without running the recorder: drop what was started, record nothing."""
    global _early
    if _early is not None:
        _early.receiver.abandon()
        _early = None
