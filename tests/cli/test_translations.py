"""French ships complete: every sentence in the code has a translation, and the compiled
catalogue is the one built from the .ts file. Every message key the services raise has a
sentence."""

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from console.text.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "vigie_fr.ts"
BIN = Path(sys.executable).parent


def _sources():
    return sorted(str(p) for d in ("console", "widgets") for p in (ROOT / d).rglob("*.py"))


def test_every_translatable_string_has_a_french_translation(tmp_path):
    fresh = tmp_path / "fresh_fr.ts"
    shutil.copy(TS, fresh)
    subprocess.run(
        [
            BIN / "pyside6-lupdate",
            "-locations",
            "none",
            "-no-obsolete",
            *_sources(),
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
    )
    unfinished = [
        m.findtext("source")
        for m in ET.parse(fresh).getroot().iter("message")
        if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
        or not m.findtext("translation")
    ]
    assert unfinished == [], "run 'make translations' and translate these"
    assert len(list(ET.parse(fresh).getroot().iter("message"))) > 100


def test_the_catalogue_compiles_on_first_use(tmp_path, monkeypatch):
    from console.text import i18n

    monkeypatch.setattr(i18n.platformdirs, "user_cache_dir", lambda app: str(tmp_path))
    qm = i18n.compiled_catalogue("fr")
    assert qm is not None and qm.parent.parent == tmp_path and qm.stat().st_size > 1000
    assert i18n.compiled_catalogue("fr") == qm  # cached by the source's hash
    assert i18n.compiled_catalogue("xx") is None


def _raised_keys():
    """Keys passed to VigieError subclasses in services/, and class-level default keys."""
    keys = set()
    for path in (ROOT / "services").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (  # the recorder's notices: self.notify("key", ...)
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "notify"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id
                in {
                    "InvalidInput",
                    "NotFound",
                    "PermissionDenied",
                    "Conflict",
                    "StaleVersion",
                    "TransitionNotAllowed",
                    "VigieError",
                    "DatabaseUnreachable",
                }
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
            if (
                isinstance(node, ast.Assign)
                and [getattr(t, "id", "") for t in node.targets] == ["key"]
                and isinstance(node.value, ast.Constant)
            ):
                keys.add(node.value.value)
    # verification problems are returned, not raised: take them from the audit module
    audit_tree = ast.parse((ROOT / "services" / "store" / "audit.py").read_text("utf-8"))
    keys |= {
        n.value
        for n in ast.walk(audit_tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and re.fullmatch(r"audit\.[a-z_]+", n.value)
    }
    return keys


def test_every_message_key_has_a_sentence():
    keys = _raised_keys()
    assert {"db.unreachable", "audit.changed", "operator.unknown"} <= keys
    assert sorted(keys - set(MESSAGES)) == []
