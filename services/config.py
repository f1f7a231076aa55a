"""Where Vigie finds its database, broker, topic root and operator.

Each setting comes from the first of: a command-line flag, an environment variable, the TOML file
in the user's config folder, a default. The origin of every value is kept so that
``vigie config show`` can say where it came from. Reading the file happens once, at start-up.
"""

from __future__ import annotations

import getpass
import os
import stat
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from services.domain.errors import InvalidInput

APP_NAME = "vigie"
DEFAULT_BROKER_URL = "mqtt://127.0.0.1:1883"
DEFAULT_ROOT = "vigie"
#: The licence French public bodies publish under by default (Licence Ouverte / Open Licence 2.0).
ETALAB_2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

#: setting name -> environment variable
ENVIRONMENT = {
    "db": "VIGIE_DB_URL",
    "broker": "VIGIE_BROKER_URL",
    # A file whose first line is the broker password (mode 600, as ssh wants its keys); the user
    # is the broker URL's, else the file's name (``credentials/recorder.main``).
    "broker_password_file": "VIGIE_BROKER_PASSWORD_FILE",
    "root": "VIGIE_MQTT_ROOT",
    "operator": "VIGIE_OPERATOR",
    # Hosts the console may fetch citizens' photos from (comma-separated); none by default.
    "photo_hosts": "VIGIE_PHOTO_HOSTS",
    # The map's tile server ({z}/{x}/{y} URL) and the attribution its licence asks for; none by
    # default: the map then draws its own base and asks nothing of the network.
    "tile_url": "VIGIE_TILE_URL",
    "tile_attribution": "VIGIE_TILE_ATTRIBUTION",
    # A commune without an available patrol for longer than this raises a warning; which
    # communes are watched ("all", or INSEE codes, comma-separated).
    "coverage_minutes": "VIGIE_COVERAGE_MINUTES",
    "coverage_communes": "VIGIE_COVERAGE_COMMUNES",
    # The city's playbook for snow levels and traffic modes (a TOML file); the bundled one if empty.
    "playbook": "VIGIE_PLAYBOOK",
    # The city's street-lighting policy (a TOML file); the bundled one if empty.
    "lighting": "VIGIE_LIGHTING",
    # The winter-service networks (GeoJSON LineStrings); the bundled schematic one if empty.
    "snow_network": "VIGIE_SNOW_NETWORK",
    # How far ahead of the receiver's clock a unit's position or status, or an ack, may be dated
    # before it is quarantined (a device's clock may drift a little; 9999 is not a drift).
    "clock_tolerance_minutes": "VIGIE_CLOCK_TOLERANCE_MINUTES",
    # PostgreSQL: the prefix of a new database's group roles, which the whole cluster shares
    # (a training and a live database on one cluster take different ones).
    "role_prefix": "VIGIE_ROLE_PREFIX",
    # A console nobody has touched for this long locks itself (the city's rule, every desk).
    "lock_minutes": "VIGIE_LOCK_MINUTES",
    # The room's time zone: every time a person reads is in it (--json stays UTC).
    "timezone": "VIGIE_TIMEZONE",
    # Where cameras' snapshots are saved (PNG files, a month at most): the consoles write there,
    # the recorder's retention deletes them; all must see the same folder.
    "snapshots_folder": "VIGIE_SNAPSHOTS_FOLDER",
    # Hosts whose camera streams a console plays (comma-separated): a view's token goes only
    # there, whatever a camera's state says its streamURL is. Loopback (the simulator) by default.
    "camera_hosts": "VIGIE_CAMERA_HOSTS",
    # The Open311 service (vigie opendata serve): the jurisdiction it answers for (empty: any
    # jurisdiction_id), the web origins whose pages may call it (CORS, comma-separated), how
    # many requests a minute a client address and an API key may make (0: no limit), and the
    # address clients reach it at (photos' media_url; empty: the Host each request names).
    "opendata_jurisdiction": "VIGIE_OPENDATA_JURISDICTION",
    "opendata_cors_origins": "VIGIE_OPENDATA_CORS_ORIGINS",
    "opendata_address_rate": "VIGIE_OPENDATA_ADDRESS_RATE",
    "opendata_key_rate": "VIGIE_OPENDATA_KEY_RATE",
    "opendata_base_url": "VIGIE_OPENDATA_BASE_URL",
    # The open data exports (vigie opendata export, and serve's daily run): the datasets
    # published (comma-separated, exactly those; empty: every public one, which the camera
    # locations are not), the folder serve writes them to and serves them from, their licence
    # and who publishes them.
    "opendata_datasets": "VIGIE_OPENDATA_DATASETS",
    "opendata_folder": "VIGIE_OPENDATA_FOLDER",
    "opendata_licence": "VIGIE_OPENDATA_LICENCE",
    "opendata_publisher": "VIGIE_OPENDATA_PUBLISHER",
}
#: The config file's own location can be moved (tests, several installations on one host).
CONFIG_FILE_VARIABLE = "VIGIE_CONFIG"


class Origin(StrEnum):
    FLAG = "flag"
    ENVIRONMENT = "environment"
    FILE = "file"
    DEFAULT = "default"


@dataclass(frozen=True)
class Settings:
    db: str
    broker: str
    root: str
    operator: str
    photo_hosts: str
    config_file: Path
    broker_password_file: str = ""
    tile_url: str = ""
    tile_attribution: str = ""
    coverage_minutes: str = "20"
    role_prefix: str = "vigie_"
    lock_minutes: str = "15"
    timezone: str = "Europe/Paris"
    coverage_communes: str = "all"
    playbook: str = ""
    lighting: str = ""
    snow_network: str = ""
    clock_tolerance_minutes: str = "5"
    snapshots_folder: str = ""
    camera_hosts: str = "127.0.0.1,localhost"
    opendata_jurisdiction: str = ""
    opendata_cors_origins: str = ""
    opendata_address_rate: str = "1200"
    opendata_key_rate: str = "600"
    opendata_base_url: str = ""
    opendata_datasets: str = ""
    opendata_folder: str = ""
    opendata_licence: str = ETALAB_2
    opendata_publisher: str = "Dijon Métropole"
    origins: dict[str, Origin] = field(default_factory=dict)

    @property
    def allowed_photo_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.photo_hosts.split(",") if h.strip())

    @property
    def allowed_camera_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.camera_hosts.split(",") if h.strip())

    @property
    def opendata_rates(self) -> tuple[int, int]:
        """Requests a minute per client address and per API key (0: no limit)."""
        return (
            _count("opendata_address_rate", self.opendata_address_rate),
            _count("opendata_key_rate", self.opendata_key_rate),
        )

    @property
    def coverage_gap(self) -> timedelta:
        return _minutes("coverage_minutes", self.coverage_minutes)

    @property
    def lock_after(self) -> timedelta:
        return _minutes("lock_minutes", self.lock_minutes)

    @property
    def zone(self) -> ZoneInfo:
        """The room's time zone; an unknown name is refused, naming the setting."""
        try:
            return ZoneInfo(self.timezone.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput("config.bad_timezone", key="timezone", value=self.timezone) from None

    @property
    def clock_tolerance(self) -> timedelta:
        return _minutes("clock_tolerance_minutes", self.clock_tolerance_minutes)

    def watched_communes(self, known: Collection[str]) -> frozenset[str]:
        """The INSEE codes ``coverage_communes`` names, each checked against ``known``."""
        if self.coverage_communes.strip().lower() == "all":
            return frozenset(known)
        codes = frozenset(c.strip() for c in self.coverage_communes.split(",") if c.strip())
        for code in sorted(codes - set(known)):
            raise InvalidInput("config.unknown_commune", key="coverage_communes", value=code)
        return codes

    @property
    def opendata_path(self) -> Path:
        """The folder the daily export is written to and served from (``~`` expanded)."""
        if not self.opendata_folder:
            return default_opendata_folder()
        return Path(self.opendata_folder).expanduser()

    @property
    def snapshots_path(self) -> Path:
        """The folder snapshots are saved in (``~`` expanded); the default when unset."""
        if not self.snapshots_folder:
            return default_snapshots_folder()
        return Path(self.snapshots_folder).expanduser()

    @property
    def broker_configured(self) -> bool:
        """Whether a broker was named anywhere (``vigie demo`` starts its own otherwise)."""
        return self.origins.get("broker", Origin.DEFAULT) is not Origin.DEFAULT


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_db_url() -> str:
    data = Path(platformdirs.user_data_dir(APP_NAME))
    return f"sqlite:///{data / 'vigie.db'}"


def default_opendata_folder() -> Path:
    """``opendata`` in the user's data folder: what ``opendata serve`` publishes."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "opendata"


def default_snapshots_folder() -> Path:
    """``snapshots`` in the user's data folder, beside the default database."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "snapshots"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): fall back on the uid
        return f"uid{os.getuid()}"


def _read_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("config.unreadable", path=str(path), reason=str(exc)) from None
    unknown = sorted(set(data) - set(ENVIRONMENT))
    if unknown:
        raise InvalidInput(
            "config.unknown_key", path=str(path), key=unknown[0], known=", ".join(ENVIRONMENT)
        )
    for key, value in data.items():
        if not isinstance(value, str) or not value:
            raise InvalidInput("config.not_text", path=str(path), key=key)
    return data


def _minutes(key: str, value: str) -> timedelta:
    try:
        minutes = int(value)
    except ValueError:
        minutes = 0
    if minutes <= 0:
        raise InvalidInput("config.not_minutes", key=key, value=value)
    return timedelta(minutes=minutes)


def _count(key: str, value: str) -> int:
    if not value.strip().isdigit():
        raise InvalidInput("config.not_count", key=key, value=value)
    return int(value)


def load_settings(
    flags: Mapping[str, str | None] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Resolve every setting: flag, then environment, then config file, then default."""
    flags = flags or {}
    environ = os.environ if environ is None else environ
    config_file = Path(environ.get(CONFIG_FILE_VARIABLE) or default_config_file())
    from_file = _read_file(config_file)
    defaults = {
        "db": default_db_url,
        "broker": lambda: DEFAULT_BROKER_URL,
        "broker_password_file": lambda: "",
        "root": lambda: DEFAULT_ROOT,
        "operator": os_user,
        "photo_hosts": lambda: "",
        "camera_hosts": lambda: "127.0.0.1,localhost",
        "tile_url": lambda: "",
        "tile_attribution": lambda: "",
        "coverage_minutes": lambda: "20",
        "coverage_communes": lambda: "all",
        "playbook": lambda: "",
        "lighting": lambda: "",
        "snow_network": lambda: "",
        "clock_tolerance_minutes": lambda: "5",
        "role_prefix": lambda: "vigie_",
        "lock_minutes": lambda: "15",
        "timezone": lambda: "Europe/Paris",
        "snapshots_folder": lambda: str(default_snapshots_folder()),
        "opendata_jurisdiction": lambda: "",
        "opendata_cors_origins": lambda: "",
        "opendata_address_rate": lambda: "1200",
        "opendata_key_rate": lambda: "600",
        "opendata_base_url": lambda: "",
        "opendata_datasets": lambda: "",
        "opendata_folder": lambda: str(default_opendata_folder()),
        "opendata_licence": lambda: ETALAB_2,
        "opendata_publisher": lambda: "Dijon Métropole",
    }
    values: dict[str, str] = {}
    origins: dict[str, Origin] = {}
    for name, variable in ENVIRONMENT.items():
        if flags.get(name):
            values[name], origins[name] = str(flags[name]), Origin.FLAG
        elif environ.get(variable):
            values[name], origins[name] = environ[variable], Origin.ENVIRONMENT
        elif name in from_file:
            values[name], origins[name] = from_file[name], Origin.FILE
        else:
            values[name], origins[name] = defaults[name](), Origin.DEFAULT
    if values["broker_password_file"]:
        # Folded into the URL here, once: every process and every BusClient then logs in with it.
        values["broker"] = broker_url_with_password(
            values["broker"], Path(values["broker_password_file"])
        )
    return Settings(config_file=config_file, origins=origins, **values)


def read_password_file(path: Path) -> str:
    """The first line of ``path``, stripped: a password that only its owner may read.

    A file that its group or others may open is refused, as ssh refuses such a key: whoever could
    read it could log in as the identity it holds.
    """
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and stat.S_IMODE(mode) & 0o077:
            raise InvalidInput(
                "config.password_file_open", path=str(path), mode=f"{stat.S_IMODE(mode):04o}"
            )
        with path.open(encoding="utf-8") as file:
            password = file.readline().strip()
    except OSError as exc:
        raise InvalidInput(
            "config.password_file_unreadable", path=str(path), reason=exc.strerror or str(exc)
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            "config.password_file_unreadable", path=str(path), reason="not UTF-8 text"
        ) from None
    if not password:
        raise InvalidInput("config.password_file_empty", path=str(path))
    return password


def broker_url_with_password(url: str, password_file: Path) -> str:
    """``url`` logging in with the password in ``password_file``.

    The user is the URL's, else the file's name (``credentials/recorder.main`` logs in as
    ``recorder.main``). A URL that carries a password already is refused: two passwords for one
    login leave the reader guessing which one is used.
    """
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url  # not a URL: the bus says so when it parses it, with no password shown
    credentials, at, host = parts.netloc.rpartition("@")
    user, colon, _password = credentials.partition(":")
    if colon:
        raise InvalidInput("config.broker_password_twice", url=redact_url(url))
    password = read_password_file(password_file)
    login = unquote(user) if at and user else password_file.name
    netloc = f"{quote(login, safe='')}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def redact_url(url: str) -> str:
    """The URL with any password replaced, for showing on screen or in logs."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return url
    credentials, _, host = rest.partition("@")
    user, colon, _password = credentials.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}"
