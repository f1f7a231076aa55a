"""The embedded demo: a broker (unless one is configured), the recorder and the simulator.

Each runs in a process of its own, as in a deployment, started in order and stopped in reverse
(simulator, recorder, broker), so that the recorder flushes what it holds before its broker goes.
The console joins when it exists.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from services.config import CONFIG_FILE_VARIABLE, ENVIRONMENT, Origin, Settings
from services.embedded_broker import EmbeddedBroker
from services.recorder.worker import BROKER_STARTS_EMPTY
from services.reference import SYNTHETIC_ENVIRONMENT

Notify = Callable[..., None]
#: In the recorder's environment when the demo runs its own broker. That broker keeps its
#: retained states in memory: it starts with none, whatever the database knows from earlier
#: demos, so the recorder's check of a cold start's retained burst has nothing to compare.
#: Passwords the demo's processes never inherit (the console asks who is at the desk).
PASSWORD_VARIABLES = ("VIGIE_PASSWORD", "PGPASSWORD")


@dataclass
class DemoOptions:
    scale: str = "dijon"
    speed: float = 10.0
    seed: int = 1
    mix: str = "mild"
    console: bool = True  # open the console too (closing it ends the demo)


@dataclass
class Demo:
    db_url: str
    root: str
    broker_url: str | None  # None: start the embedded broker
    options: DemoOptions = field(default_factory=DemoOptions)
    notify: Notify = lambda key, **params: None  # noqa: E731
    _broker: EmbeddedBroker | None = None
    _children: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    def _vigie(self, *args: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "console",
            "--db",
            self.db_url,
            "--broker",
            self.broker_url or "",
            "--root",
            self.root,
            *args,
        ]

    def start(self) -> None:
        if self.broker_url is None:
            self._broker = EmbeddedBroker()
            self.broker_url = self._broker.start()
            self.notify("demo.broker_started", url=self.broker_url)
        self._spawn(
            "recorder",
            self._vigie("recorder", "--id", "recorder-demo"),
            self._recorder_environment(),
        )
        o = self.options
        self._spawn(
            "simulator",
            self._vigie(
                "simulate",
                "--scale",
                o.scale,
                "--seed",
                str(o.seed),
                "--speed",
                f"{o.speed:g}",
                "--mix",
                o.mix,
            ),
        )
        if o.console:
            self._spawn("console", self._vigie("console"))

    def _recorder_environment(self) -> dict[str, str]:
        return {BROKER_STARTS_EMPTY: "1"} if self._broker is not None else {}

    def _spawn(
        self, name: str, argv: Sequence[str], extra: Mapping[str, str] | None = None
    ) -> None:
        # The console asks who is at the desk (its login dialog): no password of the shell
        # that started the demo logs anyone in behind the operator's back.
        env = {k: v for k, v in os.environ.items() if k not in PASSWORD_VARIABLES}
        if self.options.scale == "x10":  # every part knows the simulator's synthetic communes
            env[SYNTHETIC_ENVIRONMENT] = "1"
        self._children.append((name, subprocess.Popen(list(argv), env={**env, **(extra or {})})))

    def failed_child(self) -> str | None:
        """The name of a part that stopped by itself, if any (closing the console is not one)."""
        for name, proc in self._children:
            if proc.poll() is not None and not (name == "console" and proc.returncode == 0):
                return name
        return None

    def console_closed(self) -> bool:
        return any(n == "console" and p.poll() == 0 for n, p in self._children)

    def stop(self) -> None:
        for name, proc in reversed(self._children):  # console, simulator, then recorder
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            self.notify("demo.stopped_part", part=name)
        if self._broker is not None:
            self._broker.stop()

    def run_until(self, stop_requested: Callable[[], bool], seconds: float | None) -> str | None:
        """Supervise until asked to stop, ``seconds`` pass, or a part dies (returns its name)."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while not stop_requested() and (deadline is None or time.monotonic() < deadline):
            if self.console_closed():
                return None  # the operator closed the console: the demo is over
            failed = self.failed_child()
            if failed:
                return failed
            time.sleep(0.2)
        return None


def shell_exports(
    settings: Settings, db_url: str, broker_url: str, environ: Mapping[str, str] = os.environ
) -> dict[str, str]:
    """The variables another terminal sets for its ``vigie`` to reach this demo, no password.

    The database, the broker (the embedded one listens on a port of its own choosing) and the
    topic root always; the rest when the demo's own processes had them from its environment (the
    other terminal reads the same configuration file), and the broker's password file, a path.
    """
    exports = {
        ENVIRONMENT["db"]: without_password(db_url),
        ENVIRONMENT["broker"]: without_password(broker_url),
        ENVIRONMENT["root"]: settings.root,
    }
    if settings.broker_password_file:
        exports[ENVIRONMENT["broker_password_file"]] = settings.broker_password_file
    for name, variable in ENVIRONMENT.items():
        if variable not in exports and settings.origins.get(name) is Origin.ENVIRONMENT:
            exports[variable] = getattr(settings, name)
    if environ.get(CONFIG_FILE_VARIABLE):
        exports[CONFIG_FILE_VARIABLE] = environ[CONFIG_FILE_VARIABLE]
    return exports


def without_password(url: str) -> str:
    """``url`` with the user it names but no password: libpq and the password file supply it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user.partition(':')[0]}@{host}"))
