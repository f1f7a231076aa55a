"""The video room on the simulated field: its cameras served live, their masks confirmed by their
state, a preset sent through the command path and answered (issue 18)."""

from __future__ import annotations

import time

import pytest

from console.app import Console
from services.domain.camera_views import Purpose, listed_purpose
from services.domain.equipment import EquipmentType
from services.domain.operators import Role
from services.privacy_mask_files import read_mask_folder
from services.recorder.writer import Recorder, RecorderOptions
from services.simulator import Simulator, VideoSettings, build_world
from services.simulator.options import SimulatorOptions
from services.simulator.video import new_gateway_secrets
from services.store import camera_views
from widgets.video_wall.health import Health
from widgets.video_wall.picture import Shows


@pytest.fixture
def room(db, broker, qtbot, tmp_path, request):
    operator, role = getattr(request, "param", ("c.bernard", Role.DISPATCHER))
    root = f"room{abs(hash(request.node.nodeid)) % 10**6}"
    options = SimulatorOptions(scale="small", seed=5, latency_ms=(20, 60), failure_rate=0.0)
    world = build_world(options.seed, options.scale)
    secrets = new_gateway_secrets(world)
    with db.write() as session:
        camera_views.load_secrets(session, secrets, "test", "root")
    sim = Simulator(
        broker.url,
        root,
        options,
        world=world,
        masks=read_mask_folder(),
        video=VideoSettings(secrets=secrets),
    )
    sim.start()
    assert sim.wait_ready(60)
    recorder = Recorder(db, broker.url, root, f"rec-{root}", options=RecorderOptions())
    recorder.start()
    console = Console(
        db,
        broker.url,
        root,
        operator,
        role,
        config_folder=tmp_path / operator,
        snapshots_folder=tmp_path / "snapshots",
    )
    qtbot.addWidget(console.window)
    console.start()
    try:
        yield console, sim
    finally:
        console.stop()
        recorder.stop()
        sim.stop()


@pytest.mark.parametrize("room", [("s.petit", Role.SUPERVISOR)], indirect=True)
def test_a_camera_plays_masked_and_turns_to_another_preset(room, qtbot):
    console, sim = room
    video = console.desks.video
    camera = sim.world.by_type[EquipmentType.CAMERA][0].id
    qtbot.waitUntil(
        lambda: "streamURL" in video.cameras.get(camera, _NONE).attributes, timeout=30_000
    )
    video.open([camera], listed_purpose(Purpose.TRAFFIC, "test du mur"), None)
    qtbot.waitUntil(lambda: len(video.views) == 1, timeout=15_000)
    tile = video.wall.tiles[next(iter(video.views))]
    qtbot.waitUntil(lambda: tile.picture.frames_painted >= 5, timeout=20_000)
    assert tile.camera.confirmed and tile.camera.preset == 1  # the state reports the masks
    assert tile.picture.shows is Shows.PICTURE and tile.health is Health.LIVE
    painted = tile.picture.frames_painted
    tile.preset_buttons[2].click()
    # hidden at once: nothing is painted until the camera says it points where it was sent
    assert tile.picture.shows is Shows.HIDDEN and not tile.camera.confirmed
    # however fast the simulated camera turns, not one frame is painted before its state says
    # preset 2 (looked at every 10 ms: frames are only ever added, the preset moves once)
    deadline = time.monotonic() + 30
    while tile.camera.preset != 2 and time.monotonic() < deadline:
        assert tile.picture.frames_painted == painted
        assert tile.picture.shows is Shows.HIDDEN
        qtbot.wait(10)
    # the camera's new state reaches the tile: preset 2, its masks confirmed in turn
    assert tile.camera.preset == 2
    qtbot.waitUntil(
        lambda: "2" in tile.ack_label.text() and "done" in tile.ack_label.text(), timeout=30_000
    )
    assert tile.camera.confirmed and tile.preset_buttons[2].isChecked()
    assert tile.camera.masks == read_mask_folder().masks(camera, 2).polygons
    qtbot.waitUntil(lambda: tile.picture.shows is Shows.PICTURE, timeout=10_000)


def test_a_dispatcher_watches_but_may_not_turn_the_camera(room, qtbot):
    console, sim = room
    video = console.desks.video
    camera = sim.world.by_type[EquipmentType.CAMERA][0].id
    qtbot.waitUntil(
        lambda: "streamURL" in video.cameras.get(camera, _NONE).attributes, timeout=30_000
    )
    video.open([camera], listed_purpose(Purpose.TRAFFIC, "test du mur"), None)
    qtbot.waitUntil(lambda: len(video.views) == 1, timeout=15_000)
    tile = video.wall.tiles[next(iter(video.views))]
    qtbot.waitUntil(lambda: tile.picture.frames_painted >= 5, timeout=20_000)
    button = tile.preset_buttons[2]
    assert not button.isEnabled() and "c.bernard" in button.toolTip()


class _Nothing:
    attributes: dict = {}


_NONE = _Nothing()
