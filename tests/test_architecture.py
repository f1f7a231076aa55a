"""The architecture's own checks, beside import-linter's contracts (setup.cfg).

import-linter proves what a contract lists; these prove the lists themselves: that every panel of
``widgets/`` is in the panels' independence contract (a new panel cannot be forgotten), and that no
circle of modules exists anywhere in the project (a layers contract sees packages, not modules).
"""

from __future__ import annotations

import ast
import configparser
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("console", "widgets", "services", "resources")
#: What the console docks (a panel) or opens (a dialog): a sub-package defining one is a panel.
PANEL_BASES = {"QWidget", "QDialog"}


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        if isinstance(base, ast.Subscript):  # Generic[...] and the like
            base = base.value
        if isinstance(base, ast.Name):
            names.add(base.id)
        elif isinstance(base, ast.Attribute):
            names.add(base.attr)
    return names


def _is_panel(package: Path) -> bool:
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and _base_names(node) & PANEL_BASES:
                return True
    return False


def panels() -> set[str]:
    """Every sub-package of ``widgets/`` that defines a panel or a dialog."""
    widgets = ROOT / "widgets"
    return {
        f"widgets.{package.name}"
        for package in widgets.iterdir()
        if (package / "__init__.py").is_file() and _is_panel(package)
    }


def contract_modules(contract: str, option: str = "modules") -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    raw = config[f"importlinter:contract:{contract}"][option]
    return {line.strip() for line in raw.splitlines() if line.strip()}


def test_every_panel_is_independent_of_the_others():
    found = panels()
    assert len(found) >= 11, found  # the finder itself still finds the panels of today
    listed = contract_modules("panels-independent")
    assert sorted(found - listed) == [], "panels missing from setup.cfg's panels-independent"
    assert sorted(listed - found) == [], "setup.cfg's panels-independent names a non-panel"


def test_the_panel_finder_tells_a_panel_from_a_helper(tmp_path):
    panel = tmp_path / "panel"
    panel.mkdir()
    (panel / "view.py").write_text("class View(QtWidgets.QWidget):\n    pass\n")
    helper = tmp_path / "helper"
    helper.mkdir()
    (helper / "text.py").write_text("class Words(dict):\n    pass\n")
    assert _is_panel(panel)
    assert not _is_panel(helper)


def cycles(imports: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every group of modules that import each other in a circle (Tarjan's algorithm, iterative).

    Args:
        imports: Each module's directly imported modules.

    Returns:
        The groups of two or more modules, each sorted, sorted by their first module.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(imports):
        if start in index:
            continue
        work = [(start, iter(sorted(imports[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, todo = work[-1]
            child = next(todo, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(imports.get(child, ())))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found)


def test_the_cycle_finder_finds_a_circle_and_only_it():
    imports = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": [], "e": ["e"]}
    assert cycles(imports) == [["a", "b", "c"]]


def test_no_circle_of_modules_in_the_project():
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (the dev extra)")
    graph = grimp.build_graph(*PROJECT, cache_dir=None)  # imports under TYPE_CHECKING included
    imports = {
        module: {m for m in graph.find_modules_directly_imported_by(module) if m in graph.modules}
        for module in graph.modules
        if module.split(".")[0] in PROJECT
    }
    found = cycles(imports)
    assert found == [], "\n".join(circle(graph, imports, group) for group in found)


def circle(graph, imports: Mapping[str, Iterable[str]], group: list[str]) -> str:
    """One circle through a group's first module, written out: ``a -> b -> ... -> a``."""
    first = group[0]
    step = min(m for m in imports[first] if m in group)
    back = graph.find_shortest_chain(importer=step, imported=first)
    return " -> ".join((first, *back))


def test_the_engine_is_the_field_its_parts_drive():
    # The desks, motion, happenings and routines are typed against Field, not the engine's class
    # (services/simulator/field.py): the engine must keep every member the Protocol lists.
    from services.bus.topics import Topics
    from services.simulator.engine import FieldEngine
    from services.simulator.field import Field
    from services.simulator.generation import build_world
    from services.simulator.options import SimulatorOptions

    options = SimulatorOptions(scale="small", seed=5)
    engine = FieldEngine(build_world(options.seed, "small"), Topics("v"), options, 0.0)
    assert isinstance(engine, Field)
    assert not isinstance(object(), Field)


#: Deliberate violations, one per rule the issue names, each with the contract that must catch it.
VIOLATIONS = [
    ("widgets/tables.py", "import sqlalchemy", "Widgets never talk to the broker"),
    ("console/desks/seat.py", "import paho.mqtt.client", "The console reaches the database"),
    ("console/shell/docks.py", "import services.store.models", "The console reaches the database"),
    ("services/domain/units.py", "import services.config", "The domain model is plain Python"),
    ("console/feeds/map.py", "import console.desks.incidents", "The console in layers"),
    ("services/store/journal.py", "import services.recorder.writer", "Services in layers"),
    ("services/simulator/field.py", "import services.store.database", "The simulated field"),
]


@pytest.mark.parametrize(("module", "line", "contract"), VIOLATIONS)
def test_a_deliberate_violation_fails_lint_imports(tmp_path, module, line, contract):
    """``make lint`` runs lint-imports: on a copy of the project with one import added, it fails."""
    import shutil
    import subprocess
    import sys

    for package in PROJECT:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")
    target = tmp_path / module
    target.write_text(target.read_text("utf-8") + f"\n{line}  # deliberate\n", "utf-8")
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0, done.stdout[-2000:]
    broken = [part for part in done.stdout.split("\n\n") if "BROKEN" in part]
    assert any(contract in " ".join(part.split()) for part in broken), done.stdout[-3000:]
