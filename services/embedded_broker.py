"""The embedded demo broker: an amqtt MQTT 3.1.1 broker that `vigie demo` runs when none is set.

`vigie demo` starts it only when no broker is configured. It runs in a child process of its own
(``python -m services.embedded_broker --port N``), so that it never shares the caller's event loop,
GIL or Qt thread. ``EmbeddedBroker`` starts it in a session of its own, so that a Ctrl-C in the
terminal reaches the demo, which stops it last (SIGTERM); should the demo die first, the child sees
its standard input end and stops by itself.

What it must never do:

- listen anywhere but the loopback interface (never amqtt's default ``0.0.0.0:1883``: a real
  Mosquitto may already serve port 1883 here, and this broker lets anyone in without a password, so
  on the network it would hand street lights and bollards to whoever connects);
- be mistaken for a deployment broker: retained messages and sessions live in memory only and
  vanish when it stops (the database, not the broker, is the record);
- drop part of a city's retained burst: amqtt's queues have no size limit, so there is nothing
  to raise (see ``broker_config``).

amqtt 0.12 quirks this module works around, in the child only:

- its anonymous authentication marks every session anonymous, and amqtt then neither queues QoS 1
  messages for a disconnected persistent session (clean session off) nor keeps the session; so
  ``OpenAuthPlugin`` admits every client without marking it anonymous;
- on every CONNECT it sends the new client the retained messages of every topic filter any client
  has subscribed to, whether that client subscribed to it or not; ``DemoBroker`` sends retained
  messages only in answer to a SUBSCRIBE, as MQTT 3.1.1 and Mosquitto do;
- when a persistent session reconnects before amqtt has seen its previous connection end, the
  session ends up marked disconnected under the live connection; ``DemoBroker`` closes the
  previous connection first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from amqtt.broker import Broker
from amqtt.errors import BrokerError
from amqtt.plugins.base import BaseAuthPlugin
from amqtt.session import Session

from services.bus.ports import free_port

__all__ = [
    "DemoBroker",
    "EmbeddedBroker",
    "EmbeddedBrokerError",
    "OpenAuthPlugin",
    "broker_config",
    "free_port",
    "main",
]

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
#: The module run in the child process.
_MODULE = "services.embedded_broker"
#: The line the child prints on standard output once its listener accepts connections.
READY_LINE = "vigie-embedded-broker ready"
#: Seconds of silence tolerated beyond a client's keep-alive before amqtt drops it (and sends its
#: Last Will): half of Vigie's 30 s keep-alive, the 1.5 x keep-alive the MQTT spec allows.
KEEPALIVE_GRACE_S = 15
#: Seconds a reconnecting client waits at most for its previous connection to wind down.
TAKEOVER_WAIT_S = 5.0
#: Seconds between two summaries of amqtt's complaints about late PUBACKs.
LATE_ACK_REPORT_S = 10.0
#: How many lines of the child's output an error report quotes.
TAIL_LINES = 20
#: Attempts with a fresh free port when the one picked was taken before the child could bind it.
PORT_ATTEMPTS = 3
#: The directory holding the ``services`` package, for the child's ``sys.path``.
_IMPORT_ROOT = Path(__file__).resolve().parent.parent


class EmbeddedBrokerError(RuntimeError):
    """The embedded broker could not be started (the message quotes its last output lines)."""


def check_host(host: str) -> str:
    """Refuse any address but a loopback one: the broker admits anyone, without a password.

    Args:
        host: The address to listen on: ``localhost`` or a loopback IP address.

    Returns:
        ``host`` unchanged.

    Raises:
        ValueError: ``host`` is not a loopback address (``0.0.0.0`` and ``::`` are not).
    """
    if host == "localhost":
        return host
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"the embedded broker admits anyone: it listens on loopback only, not {host!r}"
        )
    return host


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


# --------------------------------------------------------------------------------------------
# The child: the amqtt broker itself
# --------------------------------------------------------------------------------------------


class OpenAuthPlugin(BaseAuthPlugin):
    """Admit every client, with or without a username, without marking its session anonymous.

    amqtt's ``AnonymousAuthPlugin`` flags each session it admits as anonymous, and amqtt keeps no
    offline queue, and no session at all, for an anonymous client; Vigie's recorder needs both.
    """

    @dataclass
    class Config:
        """No options."""

    async def authenticate(self, *, session: Session) -> bool:
        """Admit the client.

        Args:
            session: The connecting client's session.

        Returns:
            Always True.
        """
        return True


#: Set while the broker answers a SUBSCRIBE, in that client's own task.
_ANSWERING_SUBSCRIBE: ContextVar[bool] = ContextVar("answering_subscribe", default=False)


class DemoBroker(Broker):
    """amqtt's broker with two fixes: retained messages and session take-over.

    Retained messages are sent only in answer to a SUBSCRIBE, as MQTT 3.1.1 says: on every
    CONNECT, amqtt 0.12 also replays the retained messages of every topic filter held by any
    client to the connecting one, so a console would get the recorder's 34,000 states without
    asking, and a resumed persistent session that subscribes again would get them twice.

    A persistent session that reconnects first closes its previous connection (see
    ``_end_previous_connection``).
    """

    async def _handle_client_session(
        self, reader: Any, writer: Any, client_session: Session, *args: Any, **kwargs: Any
    ) -> None:
        await self._end_previous_connection(client_session)
        await super()._handle_client_session(reader, writer, client_session, *args, **kwargs)

    async def _end_previous_connection(self, session: Session) -> None:
        """Close the connection a persistent session still has before a new one takes it over.

        amqtt 0.12 takes a session over without waiting for its old connection to wind down;
        that connection's end then marks the session disconnected under the new one, whose
        messages go to the offline queue until it reconnects, and may publish its Last Will after
        the new connection announced itself online.
        """
        previous = self._sessions.get(session.client_id or "")
        if previous is None or previous[0] is not session or not session.transitions.is_connected():
            return
        await previous[1].handle_connection_closed()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TAKEOVER_WAIT_S
        while session.transitions.is_connected() and loop.time() < deadline:
            await asyncio.sleep(0.01)

    async def _handle_subscription(self, *args: Any, **kwargs: Any) -> None:
        token = _ANSWERING_SUBSCRIBE.set(True)
        try:
            await super()._handle_subscription(*args, **kwargs)
        finally:
            _ANSWERING_SUBSCRIBE.reset(token)

    async def _publish_retained_messages_for_subscription(
        self, subscription: tuple[str, int], session: Session
    ) -> None:
        if _ANSWERING_SUBSCRIBE.get():
            await super()._publish_retained_messages_for_subscription(subscription, session)


def broker_config(host: str, port: int) -> dict[str, Any]:
    """Return the amqtt configuration of the demo broker.

    One TCP listener on ``host:port`` (no websocket listener), every client admitted, no ``$SYS``
    topics, no packet logging, sessions that never expire (as Mosquitto's MQTT 3.1.1 sessions).
    Retained messages are always kept by amqtt, in memory. amqtt 0.12 has no queue-size setting:
    the offline queue of a persistent session, the broadcast queue and the retained store are all
    unbounded, and a retained burst is sent at once, with no in-flight window. Its only limit is
    MQTT's: at most 65,535 QoS 1 messages can await their PUBACK on one connection.

    Args:
        host: The address to listen on (never a wildcard).
        port: The TCP port to listen on.

    Returns:
        A dictionary for ``amqtt.broker.Broker``.
    """
    return {
        "listeners": {
            "default": {"type": "tcp", "bind": _bind_address(check_host(host), port)},
        },
        "timeout_disconnect_delay": KEEPALIVE_GRACE_S,
        "session_expiry_interval": None,
        "plugins": {f"{OpenAuthPlugin.__module__}.{OpenAuthPlugin.__qualname__}": {}},
    }


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m services.embedded_broker",
        description="Run Vigie's embedded demo MQTT broker (amqtt, MQTT 3.1.1, loopback only).",
    )
    parser.add_argument("--port", type=int, required=True, help="TCP port to listen on")
    parser.add_argument("--host", default=DEFAULT_HOST, help="loopback address to listen on")
    parser.add_argument(
        "--watch-stdin",
        action="store_true",
        help="stop when standard input reaches its end (the parent process is gone)",
    )
    args = parser.parse_args(argv)
    try:
        check_host(args.host)
    except ValueError as exc:
        parser.error(str(exc))
    return args


class _OneLineFormatter(logging.Formatter):
    """One line per record: an exception is summed up by its repr, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        exc = record.exc_info[1] if record.exc_info else None
        plain = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        line = super().format(plain)
        if exc is not None:
            line = f"{line}: {exc!r}"
        return line.replace("\n", " | ")


class _LateAckSummary(logging.Filter):
    """Sum up amqtt's per-message complaints about late PUBACKs instead of repeating them.

    amqtt waits 5 s for each PUBACK, then logs a warning, an error and, when the PUBACK comes
    after all, another warning: three lines per message, 100,000 for a slow subscriber's
    34,000-state burst. The client did get those messages; only their redelivery is forfeit.
    """

    MARKERS = ("Timeout waiting for PUBACK", "Received PUBACK for unknown pending")

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.last_report = float("-inf")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not any(marker in message for marker in self.MARKERS):
            return True
        self.count += 1
        if time.monotonic() - self.last_report < LATE_ACK_REPORT_S:
            return False
        record.msg, record.args = self.summary(), None
        record.exc_info = record.exc_text = None
        return True

    def summary(self) -> str:
        """Return the summary line of the complaints counted since the last one, and reset."""
        text = (
            f"{self.count} late or unknown QoS 1 acknowledgement(s): amqtt gives up waiting for a"
            " PUBACK after 5 s (the client got the message, but it will not be redelivered)"
        )
        self.count, self.last_report = 0, time.monotonic()
        return text


def _configure_logging() -> _LateAckSummary:
    late_acks = _LateAckSummary()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter("embedded broker: %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(late_acks)
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    logging.getLogger("amqtt").setLevel(logging.WARNING)
    return late_acks


def _install_stop_signals(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, stop.set)
        except NotImplementedError:  # Windows: no signal handlers on the event loop
            signal.signal(signum, lambda *_: loop.call_soon_threadsafe(stop.set))


def _watch_stdin(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    fileno = sys.stdin.fileno()

    def wait_for_end() -> None:
        # os.read, not sys.stdin: a daemon thread blocked inside a buffered reader holds its
        # lock, and the interpreter aborts when it finds that lock taken at exit.
        with contextlib.suppress(OSError):
            while os.read(fileno, 4096):
                pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_end, name="stdin-watch", daemon=True).start()


async def serve(host: str, port: int, *, watch_stdin: bool = False) -> None:
    """Run the broker on ``host:port`` until SIGTERM, SIGINT or, optionally, the end of stdin.

    Prints ``READY_LINE`` on standard output once the listener accepts connections.

    Args:
        host: The address to listen on (never a wildcard).
        port: The TCP port to listen on.
        watch_stdin: Also stop when standard input reaches its end.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    _install_stop_signals(loop, stop)
    broker = DemoBroker(broker_config(host, port))
    await broker.start()
    print(f"{READY_LINE} mqtt://{_bind_address(host, port)}", flush=True)
    if watch_stdin:
        _watch_stdin(loop, stop)
    try:
        await stop.wait()
    finally:
        await broker.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the embedded broker from the command line until SIGTERM or SIGINT.

    Args:
        argv: The arguments (``--port N [--host 127.0.0.1] [--watch-stdin]``); ``sys.argv[1:]``
            when None.

    Returns:
        0 after a clean shutdown, 1 when the broker could not start.
    """
    args = _parse_args(argv)
    late_acks = _configure_logging()
    try:
        asyncio.run(serve(args.host, args.port, watch_stdin=args.watch_stdin))
    except BrokerError as exc:
        print(f"embedded broker: cannot start on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    finally:
        if late_acks.count:
            logging.getLogger("amqtt").warning("%s", late_acks.summary())
    return 0


# --------------------------------------------------------------------------------------------
# The parent: starting and stopping the child
# --------------------------------------------------------------------------------------------


class EmbeddedBroker:
    """The demo broker as a child process, started and stopped by its owner.

    Use it as a context manager, or call ``start`` and ``stop``::

        with EmbeddedBroker() as broker:
            run_demo(broker.url)
    """

    def __init__(self, port: int | None = None, host: str = DEFAULT_HOST) -> None:
        """Describe a broker to run; nothing starts yet.

        Args:
            port: The TCP port; a free one is picked when None.
            host: The loopback address to listen on; any other address is refused.

        Raises:
            ValueError: ``host`` is not a loopback address.
        """
        self.host = check_host(host)
        self._fixed_port = port is not None
        self.port = port if port is not None else free_port(host)
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._settled = threading.Event()
        self._ready = False
        self._tail: deque[str] = deque(maxlen=TAIL_LINES)

    @property
    def url(self) -> str:
        """The broker's address, ``mqtt://127.0.0.1:PORT``."""
        return f"mqtt://{_bind_address(self.host, self.port)}"

    @property
    def running(self) -> bool:
        """Whether the child process is up and its listener was reported ready."""
        return self._ready and self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The child process's id, while there is one."""
        return self._process.pid if self._process is not None else None

    def start(self, timeout: float = 10.0) -> str:
        """Start the broker process and wait until it accepts connections.

        Args:
            timeout: Seconds to wait for the listener (per attempt).

        Returns:
            The broker's URL.

        Raises:
            EmbeddedBrokerError: The process exited, or was not ready within ``timeout``.
        """
        if self.running:
            return self.url
        attempts = 1 if self._fixed_port else PORT_ATTEMPTS
        for attempt in range(1, attempts + 1):
            try:
                self._launch_and_wait(timeout)
                return self.url
            except _ExitedEarly as exc:
                if attempt == attempts:
                    raise EmbeddedBrokerError(str(exc)) from None
                self.port = free_port(self.host)
        raise AssertionError("unreachable")  # pragma: no cover

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the broker: SIGTERM, then kill after ``timeout`` seconds. Harmless if stopped.

        Args:
            timeout: Seconds to wait for a clean shutdown before killing the process.
        """
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("embedded broker %s ignored SIGTERM; killing it", process.pid)
                process.kill()
                process.wait()
        if self._reader is not None:
            self._reader.join(timeout)  # it ends at the pipe's end, now that the child is gone
        self._close_pipes(process)

    def __enter__(self) -> EmbeddedBroker:
        """Start the broker (see ``start``)."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the broker (see ``stop``)."""
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<EmbeddedBroker {self.url} {state}>"

    # -- helpers --------------------------------------------------------------------------

    def _command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            _MODULE,
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--watch-stdin",
        ]

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONIOENCODING"] = "utf-8"
        if _IMPORT_ROOT.name not in ("site-packages", "dist-packages"):  # run from a source tree
            paths = [str(_IMPORT_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
            env["PYTHONPATH"] = os.pathsep.join(paths)
        return env

    def _launch_and_wait(self, timeout: float) -> None:
        self._settled.clear()
        self._ready = False
        self._tail.clear()
        self._process = subprocess.Popen(
            self._command(),
            stdin=subprocess.PIPE,  # closed by our death: the child then stops by itself
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=self._environment(),
            text=True,
            encoding="utf-8",
            errors="replace",
            **_detached(),
        )
        self._reader = threading.Thread(
            target=self._read_output,
            args=(self._process,),
            name=f"embedded-broker-{self._process.pid}",
            daemon=True,
        )
        self._reader.start()
        output_ended = self._settled.wait(timeout) and not self._ready
        if output_ended:  # the child closed its output without saying it was ready: it is ending
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout)
        if not self.running:
            self._fail_start(timeout)

    def _read_output(self, process: subprocess.Popen[str]) -> None:
        """Drain the child's output (so it never blocks on a full pipe) and spot its ready line."""
        assert process.stdout is not None
        with contextlib.suppress(ValueError, OSError):  # the pipe closed under us at stop()
            for raw in process.stdout:
                line = raw.rstrip("\n")
                if line.startswith(READY_LINE) and not self._ready:
                    self._ready = True
                    self._settled.set()
                elif line:
                    self._tail.append(line)
                    # Before it is ready, a failure quotes these lines in its exception.
                    log.log(logging.WARNING if self._ready else logging.DEBUG, "%s", line)
        self._settled.set()

    def _fail_start(self, timeout: float) -> None:
        process = self._process
        assert process is not None
        exited = process.poll() is not None
        self.stop()
        tail = "\n".join(self._tail) or "(no output)"
        if exited:
            raise _ExitedEarly(
                f"the embedded broker exited at start (status {process.returncode}) "
                f"on {self.url}:\n{tail}"
            )
        raise EmbeddedBrokerError(
            f"the embedded broker was not ready on {self.url} within {timeout:g} s:\n{tail}"
        )

    @staticmethod
    def _close_pipes(process: subprocess.Popen[str]) -> None:
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def _detached() -> dict[str, Any]:
    """Popen options that keep the terminal's Ctrl-C from the child: its parent stops it, last."""
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


class _ExitedEarly(Exception):
    """The child died before it was ready (its port may have been taken meanwhile)."""


if __name__ == "__main__":
    sys.exit(main())
