"""The domain imports nothing but the standard library, itself and pure computation (checked on
the source, so that it holds even where import-linter is not installed)."""

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "services" / "domain"
#: Pure computation from a well-kept library, no I/O: the sun's times for the dimming profiles
#: (astral), which the cabinets' astronomical clocks and the console's preview must share.
ALLOWED = frozenset({"astral"})


def test_domain_imports_only_stdlib_and_itself():
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if name.startswith("services.domain") or top == "__future__" or top in ALLOWED:
                    continue
                if top not in sys.stdlib_module_names:
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
    assert len(list(DOMAIN.rglob("*.py"))) >= 8
