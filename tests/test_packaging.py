"""A plain, non-editable install carries everything Vigie reads at run time."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("vigie-*.whl")
    return built


def test_the_wheel_holds_data_and_migrations_and_only_our_packages(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "resources/dijon-metropole-communes.csv",
        "resources/translations/vigie_fr.ts",
        "services/store/migrations/env.py",
        "services/store/migrations/script.py.mako",
        "services/store/migrations/versions/0001_initial_schema.py",
        "console/cli/main.py",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.endswith(".qm")]  # sources ship, never binaries
    tops = {n.split("/")[0] for n in names if not n.startswith("vigie-")}
    assert tops == {"console", "widgets", "services", "resources"}


def test_a_plain_install_runs_from_anywhere(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import console, services.reference as r, services.store.schema as s;"
        "from console.text.i18n import translate;"
        f"assert console.__file__.startswith({str(target)!r}), console.__file__;"
        "print(len(r.communes()), s.head_revision(), translate('cli', 'empty'))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "LC_ALL": "fr_FR.UTF-8",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }  # compiled afresh from the .ts
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    from services.store.schema import head_revision

    assert result.stdout.split() == ["23", head_revision(), "vide"]
