"""The city's privacy-mask files, read from a folder: the bundled examples, or the city's own.

One TOML file per camera (``services.domain.privacy_masks`` says what is in one); every
``*.toml`` of the folder is read and checked whole, and the first fault refuses them all,
naming its file and key: a camera must never run with half of its masks.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from services.domain.privacy_masks import MaskBook, read_mask_files

BUNDLED_FOLDER = "privacy-masks"


def read_mask_folder(folder: Path | str | None = None) -> MaskBook:
    """Every camera's masks in ``folder`` (the bundled examples when None), checked whole.

    Raises ``MaskFileError`` (a ``ValueError``) for a malformed file, ``OSError`` for an
    unreadable one; a missing folder is an error too, not a city without masks.
    """
    if folder is None:
        bundled = resources.files("resources").joinpath(BUNDLED_FOLDER)
        files = sorted((f for f in bundled.iterdir() if f.name.endswith(".toml")), key=_name)
    else:
        path = Path(folder)
        if not path.is_dir():
            raise FileNotFoundError(path)
        files = sorted(path.glob("*.toml"), key=_name)
    return read_mask_files((f.name, f.read_text("utf-8")) for f in files)


def _name(file: object) -> str:
    return str(getattr(file, "name", file))
