"""The operator's preferences: a typed, versioned object in the user's config folder.

``QSettings`` keeps only Qt's opaque layout state; what a person chose (theme, sound) lives here,
as JSON with a version, so that a later version can migrate it rather than misread it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

VERSION = 1
#: The file in the console's settings folder (``default_folder``).
PREFERENCES_FILE = "preferences.json"


@dataclass
class Preferences:
    theme: str = "dark"  # "dark" for dimmed rooms, "light" for lit ones
    muted: bool = False  # the P1 sound
    cameras_on_alarms: bool = False  # a building's alarm opens the cameras around it (issue 18)
    language: str = "system"  # "system", or one of console.text.i18n.LANGUAGES (at the next start)

    @classmethod
    def load(cls, path: Path) -> Preferences:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return cls()  # absent or unreadable: defaults, never a crash at start-up
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return cls()  # no migration exists yet from another version
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"version": VERSION, **asdict(self)}, indent=2), "utf-8")


def default_folder() -> Path:
    return Path(platformdirs.user_config_dir("vigie"))
