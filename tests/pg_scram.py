"""A private PostgreSQL cluster that checks passwords (``scram-sha-256``), for a test session.

The machine's shared cluster trusts every local login, so a wrong password passes there: tests
of logging in need a cluster of their own. It runs the installed server's ``initdb`` and
``pg_ctl`` as the ``postgres`` user (initdb refuses root), on a free port, and is removed after.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg

from services.bus.ports import free_port
from services.store.database import Database

SUPERUSER = "postgres"


def server_binary(name: str) -> str | None:
    """``initdb`` or ``pg_ctl`` of the installed server, on the PATH or in Debian's layout."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def available() -> bool:
    return server_binary("initdb") is not None and server_binary("pg_ctl") is not None


@dataclass(frozen=True)
class ScramCluster:
    port: int
    superuser_password: str
    folder: Path

    def url(self, user: str, password: str | None, database: str = "postgres") -> str:
        secret = "" if password is None else f":{quote(password, safe='')}"
        return (
            f"postgresql+psycopg://{quote(user, safe='')}{secret}@127.0.0.1:{self.port}/{database}"
        )

    def create_database(self, name: str) -> str:
        """A new database owned by the superuser; the superuser's SQLAlchemy URL on it."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self.superuser_password,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(SUPERUSER, self.superuser_password, name)


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb refuses to run as root; tests here run as root, CI's too.
    return ["runuser", "-u", SUPERUSER, "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def scram_cluster() -> Iterator[ScramCluster]:
    folder = Path(tempfile.mkdtemp(prefix="vigie-pg-"))
    data, log, secret = folder / "data", folder / "server.log", folder / "pwfile"
    password = os.urandom(12).hex()
    secret.write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(folder, SUPERUSER)
        shutil.chown(secret, SUPERUSER)
    port = free_port()
    initdb, pg_ctl = server_binary("initdb"), server_binary("pg_ctl")
    assert initdb and pg_ctl
    subprocess.run(
        _as_postgres(
            [initdb, "-D", str(data), "--auth=scram-sha-256", f"--username={SUPERUSER}",
             f"--pwfile={secret}", "--no-sync", "--encoding=UTF8", "--locale=C"]
        ),
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    started = subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-20:] if log.exists() else []
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError("the private PostgreSQL did not start:\n" + "\n".join(tail))
    try:
        yield ScramCluster(port, password, folder)
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


class Room:
    """A database of the cluster installed as a room, and a way to log in as one of its logins."""

    def __init__(self, cluster: ScramCluster, database: str) -> None:
        self.cluster = cluster
        self.database = database

    @contextmanager
    def login(self, name: str, password: str | None = None) -> Iterator[psycopg.Connection]:
        """A plain psycopg connection as ``name`` (the room's password by default)."""
        from tests.conftest import ROOM_PASSWORD

        with psycopg.connect(
            host="127.0.0.1",
            port=self.cluster.port,
            user=name,
            password=ROOM_PASSWORD if password is None else password,
            dbname=self.database,
        ) as connection:
            yield connection
            connection.rollback()  # nothing a probe did stays

    def owner(self) -> Database:
        """The database as the cluster's superuser (the installer)."""
        return Database(self.cluster.url(SUPERUSER, self.cluster.superuser_password, self.database))

    @contextmanager
    def vigie(self, name: str, password: str | None = None) -> Iterator[Database]:
        """Vigie's services, logged in as ``name`` (the database checks as that login)."""
        from services.store import pg_authority
        from tests.conftest import ROOM_PASSWORD

        password = ROOM_PASSWORD if password is None else password
        db = pg_authority.log_in(self.cluster.url(name, password, self.database), name, password)
        try:
            yield db
        finally:
            db.dispose()


def install_room(
    cluster: ScramCluster, prefix: str, recorder_password: str
) -> tuple[Database, str]:
    """A new database of the cluster installed as the test room.

    Vigie's schema and authority (the default matrix), each operator of ``tests.conftest.ROOM``
    created through the admins' own functions, the recorder's login given ``recorder_password``.

    The database (as the installer) and its name; the caller adds its rows, then disposes it.
    """
    from services.permissions import load_matrix
    from services.store import pg_authority, schema
    from tests.conftest import ROOM, ROOM_PASSWORD

    name = f"vigie_{uuid.uuid4().hex[:6]}"
    db = Database(cluster.create_database(name))
    schema.upgrade(db)
    with db.engine.begin() as connection:
        pg_authority.install(connection, load_matrix(), prefix)
    with db.write() as session:
        for operator, role in ROOM.items():
            verifier = pg_authority.scram_verifier(session, operator, ROOM_PASSWORD)
            pg_authority.call(
                session, "vigie_operator_create", name=operator, role=role.value,
                verifier=verifier,
            )  # fmt: skip
        recorder = pg_authority.recorder_role(prefix)
        verifier = pg_authority.scram_verifier(session, recorder, recorder_password)
        pg_authority.call(session, "vigie_operator_set_password", name=recorder, verifier=verifier)
    return db, name
