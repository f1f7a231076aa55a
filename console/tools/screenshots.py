"""Render the console offscreen on a simulated Dijon, for the README (``make screenshots``).

An embedded broker, a scratch SQLite database, the recorder and the simulator run for a while
(a simulated morning at high speed, with the demo's mild mix of faults), then the console opens
offscreen as a dispatcher would see it, and each view is saved as a PNG.

    python -m console.tools.screenshots docs/screenshots [--size 1366x768] [--language fr]

The window is rendered at the given size (1920×1080 by default, a control-room screen; 1366×768
is the smallest a desk should still read at) and in the given language (English by default).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

SIMULATED_SECONDS = 12.0
SCALE = os.environ.get("VIGIE_SHOTS_SCALE", "dijon")  # the map at the métropole's real size


def _wait(app, condition, timeout: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return False


def _settle(app, seconds: float) -> None:  # noqa: ANN001
    _wait(app, lambda: False, seconds)


def render(out: Path, size: tuple[int, int] = (1920, 1080), language: str = "en") -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.app import Console
    from console.bridge import attach_loop, detach_loop
    from console.shell.web_engine import prepare_web_engine

    prepare_web_engine()
    from PySide6.QtWidgets import QApplication

    from console.text.i18n import translator, use_language
    from services.domain.operators import Role
    from services.embedded_broker import EmbeddedBroker
    from services.privacy_mask_files import read_mask_folder
    from services.recorder.writer import Recorder
    from services.simulator import VideoSettings, build_world
    from services.simulator.options import SimulatorOptions
    from services.simulator.runner import Simulator
    from services.simulator.video import new_gateway_secrets
    from services.store import camera_views, operators
    from services.store.database import Database
    from services.store.schema import upgrade

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="vigie-shots-") as tmp:
        broker = EmbeddedBroker()
        url = broker.start()
        db = Database(f"sqlite:///{tmp}/shots.db")
        upgrade(db)
        with db.write() as s:
            operators.add(s, "m.durand", Role.DISPATCHER, by="system:seed")
            operators.add(s, "a.admin", Role.ADMIN, by="system:seed")
        root = "shots"
        recorder = Recorder(db, url, root, "recorder-shots")
        recorder.start()
        # a cold snap, so that the snow plan's screenshots show spreaders at work
        options = SimulatorOptions(scale=SCALE, seed=3, speed=400.0).with_mix(
            "mild", temperature_offset_c=-8.0
        )
        world = build_world(options.seed, options.scale)
        secrets = new_gateway_secrets(world)
        with db.write() as s:  # as an admin loads the camera gateways' secrets
            camera_views.load_secrets(s, secrets, "screenshots", "a.admin")
        simulator = Simulator(
            url,
            root,
            options,
            world=world,
            masks=read_mask_folder(),
            video=VideoSettings(secrets=secrets),
        )
        simulator.start()
        app = QApplication.instance() or QApplication(sys.argv[:1])
        use_language(language)
        app.installTranslator(translator())
        loop = attach_loop(app)  # the console's coroutines, run by _wait's processEvents
        console = Console(db, url, root, "m.durand", Role.DISPATCHER, config_folder=Path(tmp))
        try:
            time.sleep(SIMULATED_SECONDS)
            console.start()  # placed as a first start would (the whole screen), then sized
            console.window.resize(*size)
            # At Dijon's scale the recorder first takes in 34,000 light states: give it time.
            _wait(app, lambda: console.desks.incidents.queue_model.rowCount() >= 8, 180)
            console.desks.incidents.queue.table.selectRow(0)
            _settle(app, 1.5)
            _wait(app, lambda: console.desks.map.map.ready, 30)  # the page follows the theme
            for theme in ("light", "dark"):
                console.view.set_theme(theme)
                _settle(app, 2.0)  # the map repaints in the theme's colours on its next frames
                name = "console.png" if theme == "light" else "console-dark.png"
                console.window.grab().save(str(out / name))
                saved.append(out / name)
            _wait(app, lambda: console.desks.map.map.ready, 30)
            # the map as it is on a second screen: the dock floated, the whole métropole
            dock = console.window.docks["map"]
            dock.setFloating(True)
            dock.resize(1500, 900)
            _settle(app, 2.0)  # the page follows its new size first
            console.desks.map.map.show_whole()
            _settle(app, 3.0)
            console.desks.map.map.grab().save(str(out / "map.png"))
            dock.setFloating(False)
            console.view.show_perspective("dispatcher")  # a fresh layout: no trace of the float
            _settle(app, 1.0)
            # the technician's view: the equipment in front, the faults filtered
            console.view.show_perspective("technician")
            _wait(app, lambda: console.desks.equipment.model.rowCount() > 0, 30)
            panel = console.desks.equipment.equipment
            counts = console.desks.equipment.model.counts()
            shown = "fault" if counts.get("fault") else "comm_lost"  # what a technician works on
            panel.state_filter.setCurrentIndex(panel.state_filter.findData(shown))
            _settle(app, 1.0)
            console.window.grab().save(str(out / "equipment.png"))
            saved.append(out / "equipment.png")
            console.view.show_perspective("dispatcher")
            saved.append(out / "map.png")
            console.view.set_theme("light")
            console.desks.dispatch.request(console.desks.incidents.detail.incident)
            if _wait(app, lambda: console.desks.dispatch.dialog is not None, 10):
                _settle(app, 0.5)
                console.desks.dispatch.dialog.grab().save(str(out / "dispatch.png"))
                saved.append(out / "dispatch.png")
                console.desks.dispatch.dialog.reject()
            form = console.desks.calls.new_call()
            _settle(app, 0.5)
            form.grab().save(str(out / "call-form.png"))
            saved.append(out / "call-form.png")
            form.reject()
            saved += _modes(app, console, out)
            saved += _video_wall(app, console, out)
            saved += _citizen(app, console, db, out)
        finally:
            console.stop()
            detach_loop(loop)
            simulator.stop()
            recorder.stop()
            broker.stop()
            db.dispose()
    return saved


def _modes(app, console, out: Path) -> list[Path]:  # noqa: ANN001
    """The snow coordinator raising the level: the preview, the result, then the modes panel."""
    console.view.show_perspective("snow_coordinator")
    dialog = console.desks.modes.open("snow", "2")
    _wait(app, lambda: dialog.apply_button.isEnabled() or bool(dialog.preview.toPlainText()), 30)
    dialog.reason.setText("Verglas annoncé cette nuit sur la métropole")
    dialog.motive.setText("Météo-France : vigilance orange neige-verglas")
    dialog.resize(900, 560)
    _settle(app, 0.5)
    dialog.grab().save(str(out / "mode-preview.png"))
    dialog.apply_button.click()
    _wait(app, lambda: dialog.rollback_button.isVisible(), 60)
    _settle(app, 0.5)
    dialog.grab().save(str(out / "mode-result.png"))
    dialog.accept()
    console.window.docks["modes"].raise_()
    _settle(app, 45.0)  # ploughs and spreaders at work; the map colours what they treated
    console.feeds.equipment.refresh()
    _settle(app, 3.0)
    console.window.grab().save(str(out / "modes.png"))
    return [out / "mode-preview.png", out / "mode-result.png", out / "modes.png"]


def _video_wall(app, console, out: Path) -> list[Path]:  # noqa: ANN001
    """The video room: the purpose asked, then the cameras nearest an incident, live."""
    from services.domain.camera_views import incident_purpose

    video, queue = console.desks.video, console.desks.incidents.queue_model
    _wait(app, lambda: len(video.cameras) > 0, 30)
    found = [queue.incident(r) for r in range(queue.rowCount())]
    watched = [i for i in found if len(video.nearby(i)) >= 4]  # the most urgent with cameras
    best = min(watched, key=lambda i: (int(i.priority), -len(video.nearby(i))), default=None)
    if best is None:
        return []
    console.view.show_perspective("video")
    console.desks.incidents.select(best.id)
    _settle(app, 1.0)
    cameras = [c for c, _name, _m in video.nearby(best)][:4]  # "the four nearest"
    dialog = video.ask(cameras, incident=best)
    _settle(app, 0.5)
    saved = []
    if dialog is not None:
        dialog.grab().save(str(out / "purpose.png"))
        saved.append(out / "purpose.png")
        dialog.reject()
    video.open(cameras, incident_purpose(best.id), best.id)
    _wait(
        app,
        lambda: all(t.picture.frames_painted > 10 for t in video.wall.tiles[: len(cameras)]),
        30,
    )
    _settle(app, 2.0)
    console.window.grab().save(str(out / "video-wall.png"))
    saved.append(out / "video-wall.png")
    video.wall.grab().save(str(out / "video-tiles.png"))
    saved.append(out / "video-tiles.png")
    return saved


def _citizen(app, console, db, out: Path) -> list[Path]:  # noqa: ANN001
    """A citizen's request as Open311 records it: a note internal, one public, what they read."""
    from services.opendata.intake import new_request
    from services.store import incidents, open311

    form = {
        "service_code": ["eclairage"],
        "lat": ["47.3220"],
        "long": ["5.0415"],
        "address_string": ["12 rue de la Liberté, 21000 Dijon"],
        "description": ["Trois lampadaires éteints depuis hier soir, la rue est très sombre"],
        "attribute[etat]": ["eteint"],
    }
    with db.write() as s:
        made = open311.record_request(s, new_request(form, "citizen-app"))
        incidents.add_note(s, made.incident_id, "Astreinte éclairage prévenue", by="m.durand")
        reply = "Une équipe interviendra demain matin. Merci de votre signalement."
        incidents.add_note(s, made.incident_id, reply, by="m.durand", public=True)
    console.view.show_perspective("dispatcher")
    console.feeds.incidents.announce(made.incident_id, made.version, "system:opendata")
    queue = console.desks.incidents.queue_model
    listed = lambda: any(queue.incident(r).id == made.incident_id for r in range(queue.rowCount()))  # noqa: E731
    if not _wait(app, listed, 30):
        return []
    console.desks.incidents.select(made.incident_id)
    _settle(app, 1.5)
    console.desks.incidents.detail.grab().save(str(out / "citizen.png"))
    return [out / "citizen.png"]


def _arguments(argv: list[str]) -> tuple[Path, tuple[int, int], str]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/screenshots", type=Path)
    parser.add_argument("--size", default="1920x1080", help="the window's size, WIDTHxHEIGHT")
    parser.add_argument("--language", default="en", choices=("en", "fr"))
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    if not (width.isdigit() and height.isdigit()):
        parser.error(f"--size: {args.size!r} is not WIDTHxHEIGHT, e.g. 1366x768")
    return args.out, (int(width), int(height)), args.language


if __name__ == "__main__":
    out, size, language = _arguments(sys.argv[1:])
    for path in render(out, size, language):
        print(path)
