"""The video wall (issue 18): live tiles from the simulated cameras' server, masks, purpose, trace.

Frames come from a real ``StreamServer`` through Qt Multimedia (needs the system's libpulse0);
views are opened, renewed and closed on the record of a real database by a running console.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QImage
from sqlalchemy import update

from console.app import Console
from services.bus.ports import free_port
from services.domain.camera_views import STREAM_URL, ClosedBecause, Purpose, listed_purpose
from services.domain.equipment import EquipmentView
from services.domain.errors import InvalidInput, PermissionDenied
from services.domain.incidents import IncidentSource, Location, new_incident
from services.domain.operators import RECORDER, Role
from services.domain.privacy_masks import REFERENCE_HEIGHT, REFERENCE_WIDTH
from services.privacy_mask_files import read_mask_folder
from services.simulator.video import CameraView, StreamServer
from services.store import camera_snapshots, camera_views, incidents
from services.store.models import CameraViewRow, EquipmentRow, StreamSecretRow
from services.store.types import utcnow
from tests.simulator.video_support import SECRET, Cameras, token
from widgets.camera_drag import CAMERA_MIME, camera_in
from widgets.video_wall.health import Health, judge
from widgets.video_wall.picture import Shows
from widgets.video_wall.purpose_dialog import PurposeDialog
from widgets.video_wall.tile import TileCamera, VideoTile

MASKED, HIDDEN = "camera:21231-001", "camera:21231-002"  # both have the city's masks for preset 1
BOOK = read_mask_folder()
PLACE = (47.3220, 5.0415)  # Rue de la Liberté


@pytest.fixture
def cameras() -> Cameras:
    masked = BOOK.masks(MASKED, 1)
    return Cameras(
        CameraView(MASKED, "CAM-21231-001", 1, masks=masked),
        CameraView(HIDDEN, "CAM-21231-002", 1, masks=None),  # burns in nothing: reports no version
    )


@pytest.fixture
def server(cameras) -> Iterator[StreamServer]:
    with StreamServer(cameras, port=free_port()) as running:
        yield running


# --- the tile alone ----------------------------------------------------------------------------
def _tile(qtbot, camera: TileCamera, url: str) -> VideoTile:
    tile = VideoTile(0)
    qtbot.addWidget(tile)
    tile.resize(660, 460)
    tile.show()
    tile.show_camera(camera)
    tile.show_view(url, datetime.now(UTC) + timedelta(minutes=15), "traffic: a test")
    return tile


def _masked_camera(confirmed: bool = True, fault: bool = False) -> TileCamera:
    masks = BOOK.masks(MASKED, 1)
    return TileCamera(MASKED, "CAM-21231-001, Dijon", 1, (1, 2), confirmed, masks.polygons, fault)


def _grab(tile: VideoTile) -> QImage:
    return tile.picture.grab().toImage()


def _at(tile: VideoTile, image: QImage, x: float, y: float) -> tuple[int, int, int]:
    """The colour at reference-frame pixel (x, y) of the picture as painted."""
    target = tile.picture.picture_rect()
    point = QPointF(
        target.x() + x * target.width() / REFERENCE_WIDTH,
        target.y() + y * target.height() / REFERENCE_HEIGHT,
    )
    colour = image.pixelColor(int(point.x()), int(point.y()))
    return colour.red(), colour.green(), colour.blue()


def _centre(polygon) -> tuple[float, float]:
    xs, ys = [x for x, _ in polygon], [y for _, y in polygon]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def test_frames_are_painted_and_the_masked_pixels_are_opaque(qtbot, server):
    tile = _tile(qtbot, _masked_camera(), server.stream_url(MASKED, token(MASKED)))
    qtbot.waitUntil(lambda: tile.picture.frames_painted >= 10, timeout=20_000)
    assert tile.health is Health.LIVE
    assert tile.picture.shows is Shows.PICTURE
    image = _grab(tile)
    polygons = BOOK.masks(MASKED, 1).polygons
    masked = [_at(tile, image, *_centre(polygon)) for polygon in polygons]
    # the camera burned them in: opaque black under the city's outline, day or night...
    assert all(max(colour) <= 8 for colour in masked), masked
    # ...while the street (even at night, lit by its lamps) is not
    street = [_at(tile, image, x, 600) for x in range(40, 1280, 80)]
    assert sum(1 for colour in street if max(colour) > 15) > len(street) // 2, street


def test_a_camera_without_the_masks_confirmed_is_black(qtbot, server):
    tile = _tile(qtbot, _masked_camera(confirmed=False), server.stream_url(MASKED, token(MASKED)))
    qtbot.waitUntil(lambda: tile.frames_received >= 10, timeout=20_000)  # it plays, unseen
    qtbot.wait(100)
    assert tile.picture.shows is Shows.HIDDEN
    assert tile.picture.frames_painted == 0
    image = _grab(tile)
    band_top = image.height() * 0.35  # the sentence's band, in the middle
    band_bottom = image.height() * 0.65
    samples = [
        image.pixelColor(x, y)
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
        if not band_top <= y <= band_bottom
    ]
    # nothing but black and the masks' amber outline
    lit = [c for c in samples if max(c.red(), c.green(), c.blue()) > 40]
    assert len(lit) < len(samples) * 0.03
    assert all(c.red() > 150 and c.blue() < 90 for c in lit)  # amber, never the street


def test_a_camera_in_fault_shows_lost_not_a_frozen_picture(qtbot, server, cameras):
    tile = _tile(qtbot, _masked_camera(), server.stream_url(MASKED, token(MASKED)))
    qtbot.waitUntil(lambda: tile.health is Health.LIVE, timeout=20_000)
    cameras.change(MASKED, in_fault=True)
    tile.show_camera(_masked_camera(fault=True))
    qtbot.waitUntil(
        lambda: (tile.tick(), tile.health is Health.LOST)[1],
        timeout=15_000,  # ends, or goes late
    )
    assert tile.picture.shows is Shows.LOST
    assert "fault" in tile.picture.message
    painted = tile.picture.frames_painted
    tile.picture.repaint()
    assert tile.picture.frames_painted == painted  # the last frame is not painted again


def test_health_is_judged_from_the_last_frame():
    assert judge(None, False, 1.0) is Health.WAITING
    assert judge(None, False, 6.0) is Health.LOST
    assert judge(0.1, False, 9.0) is Health.LIVE
    assert judge(2.0, False, 9.0) is Health.LATE
    assert judge(6.0, False, 9.0) is Health.LOST
    assert judge(0.1, True, 9.0) is Health.LOST


def test_a_tile_takes_a_camera_dropped_from_the_table_or_the_map(qtbot):
    mime = QMimeData()
    mime.setData(CAMERA_MIME, MASKED.encode())
    assert camera_in(mime) == MASKED
    text = QMimeData()
    text.setText(MASKED)  # the map's page drags text
    assert camera_in(text) == MASKED
    other = QMimeData()
    other.setText("<h1>not a camera</h1>")
    assert camera_in(other) is None


def test_a_camera_row_of_the_equipment_table_drags_onto_the_wall(qtbot):
    from widgets.equipment.model import EquipmentTableModel

    model = EquipmentTableModel({})
    now = utcnow()
    common = dict(
        state="ok",
        status="ok",
        commune="21231",
        gateway="gw",
        lat=None,
        lon=None,
        received_at=now,
        updated_at=now,
        fault_since=None,
        attributes={},
    )
    model.upsert(
        [
            EquipmentView(id=MASKED, type="Camera", **common),
            EquipmentView(id="light:1", type="Streetlight", **common),
        ]
    )
    camera, light = model.index(0, 0), model.index(1, 0)
    assert camera_in(model.mimeData([camera])) == MASKED
    assert model.mimeData([light]) is None
    assert not model.flags(light) & Qt.ItemFlag.ItemIsDragEnabled


# --- the purpose --------------------------------------------------------------------------------
def test_the_purpose_is_required(qtbot):
    dialog = PurposeDialog(["CAM-21231-001, Dijon"])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert dialog.listed_choice.isChecked()
    assert dialog.purpose() is None and not ok.isEnabled()
    dialog.text.setText("   ")
    assert dialog.purpose() is None and not ok.isEnabled()
    dialog.text.setText("rixe signalée")
    assert dialog.purpose() == (listed_purpose(Purpose.PUBLIC_SAFETY, "rixe signalée"), None)
    assert ok.isEnabled()
    with pytest.raises(InvalidInput):
        listed_purpose(Purpose.TRAFFIC, " ")


def test_a_camera_opened_from_an_incident_is_opened_for_it(qtbot):
    dialog = PurposeDialog(["CAM-21231-001, Dijon"], (42, "#42 Rue Monge"))
    qtbot.addWidget(dialog)
    assert dialog.incident_choice.isChecked()
    assert dialog.purpose() == ("incident 42", 42)


# --- a running console --------------------------------------------------------------------------
def _room(db, server: StreamServer) -> int:
    """The two cameras by Rue de la Liberté, their gateway's secret, and a P1 there."""
    now = utcnow()
    with db.write() as session:
        for n, (ident, version) in enumerate(((MASKED, BOOK.version(MASKED, 1)), (HIDDEN, None))):
            attributes = {STREAM_URL: server.stream_url(ident), "preset": 1}
            attributes |= {"cameraName": f"CAM-21231-00{n + 1}"}
            if version is not None:
                attributes["maskVersion"] = version
            session.add(
                EquipmentRow(
                    id=ident,
                    type="Camera",
                    gateway="gw-21231-01",
                    status="ok",
                    commune="21231",
                    lat=PLACE[0] + 0.0005 * n,
                    lon=PLACE[1],
                    attributes=attributes,
                    received_at=now,
                    updated_at=now,
                )
            )
        session.add(StreamSecretRow(gateway="gw-21231-01", secret=SECRET))
        made = incidents.create(
            session,
            new_incident(
                source=IncidentSource.CALL,
                category="fire",
                at=now,
                place="Rue de la Liberté",
                location=Location(*PLACE),
            ),
            by="c.bernard",
        )
    return made.id


def _console(db, broker, qtbot, tmp_path, operator: str, role: Role) -> Console:
    console = Console(
        db,
        broker.url,
        "wall",
        operator,
        role,
        config_folder=tmp_path / operator,
        snapshots_folder=tmp_path / "snapshots",
    )
    qtbot.addWidget(console.window)
    return console


def _watching(db, broker, qtbot, tmp_path, server):
    """A video operator's console, started, its cameras read."""
    _room(db, server)
    console = _console(db, broker, qtbot, tmp_path, "v.lambert", Role.VIDEO_OPERATOR)
    console.start()
    qtbot.waitUntil(lambda: MASKED in console.desks.video.cameras, timeout=15_000)
    return console, console.desks.video


def _reach_the_limit(db, camera: str) -> None:
    with db.write() as session:
        session.execute(
            update(CameraViewRow)
            .where(CameraViewRow.camera == camera, CameraViewRow.closed_at.is_(None))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )


def _views(db):
    with db.read() as session:
        return camera_views.list_views(session, "l.moreau")


def test_a_dispatcher_opens_the_cameras_near_an_incident(db, broker, qtbot, tmp_path, server):
    incident_id = _room(db, server)
    console = _console(db, broker, qtbot, tmp_path, "c.bernard", Role.DISPATCHER)
    video = console.desks.video
    try:
        console.start()
        qtbot.waitUntil(lambda: {MASKED, HIDDEN} <= set(video.cameras), timeout=15_000)
        console.desks.incidents.select(incident_id)
        detail = console.desks.incidents.detail
        qtbot.waitUntil(lambda: detail.cameras.ids() == [MASKED, HIDDEN], timeout=15_000)
        assert detail.cameras.isVisibleTo(detail)
        detail.cameras.open_nearest.click()
        dialog = video.dialog
        assert dialog is not None and dialog.incident_choice.isChecked()
        dialog.accept()
        qtbot.waitUntil(lambda: len(video.views) == 2, timeout=15_000)
        tiles = {t.camera.id: t for t in video.wall.tiles if t.camera is not None}
        qtbot.waitUntil(lambda: tiles[MASKED].picture.frames_painted >= 5, timeout=20_000)
        assert tiles[HIDDEN].picture.shows is Shows.HIDDEN  # no mask version: black
        opened = _views(db)
        assert {(v.camera, v.viewer, v.purpose, v.incident_id) for v in opened} == {
            (MASKED, "c.bernard", f"incident {incident_id}", incident_id),
            (HIDDEN, "c.bernard", f"incident {incident_id}", incident_id),
        }
        assert all(v.closed_at is None and v.workstation for v in opened)
        # a snapshot: the camera's own picture, journaled with its view
        tiles[MASKED].snapshot_button.click()
        qtbot.waitUntil(
            lambda: "Snapshot" in video.wall.note.text() or "snapshot" in video.wall.note.text(),
            timeout=15_000,
        )
        assert "saved as" in video.wall.note.text(), video.wall.note.text()
        (saved,) = list((tmp_path / "snapshots").glob("*.png"))
        with db.read() as session:
            (snapshot,) = camera_snapshots.list_snapshots(session, "l.moreau")
        assert snapshot.file_name == saved.name and snapshot.taken_by == "c.bernard"
        tiles[HIDDEN].snapshot_button.click()  # what the tile hides is never saved
        qtbot.waitUntil(lambda: "No snapshot" in video.wall.note.text(), timeout=5_000)
        assert len(list((tmp_path / "snapshots").glob("*.png"))) == 1
        # closed by its viewer, and the other at its limit
        tiles[MASKED].close_button.click()
        _reach_the_limit(db, HIDDEN)  # as if its 15 minutes had passed
        tiles[HIDDEN].expires_at = datetime.now(UTC) - timedelta(seconds=1)
        tiles[HIDDEN].tick()
        qtbot.waitUntil(lambda: all(v.closed_at is not None for v in _views(db)), timeout=10_000)
        closed = {v.camera: v.closed_because for v in _views(db)}
        assert closed == {MASKED: ClosedBecause.CLOSED, HIDDEN: ClosedBecause.TIMED_OUT}
        assert video.views == {} and not any(t.busy for t in video.wall.tiles)
    finally:
        console.stop()


def test_leaving_the_desk_closes_its_views(db, broker, qtbot, tmp_path, server):
    _room(db, server)
    console = _console(db, broker, qtbot, tmp_path, "v.lambert", Role.VIDEO_OPERATOR)
    video = console.desks.video
    try:
        console.start()
        qtbot.waitUntil(lambda: MASKED in video.cameras, timeout=15_000)
        video.open([MASKED, HIDDEN], listed_purpose(Purpose.TRAFFIC, "bouchon place Darcy"), None)
        qtbot.waitUntil(lambda: len(video.views) == 2, timeout=15_000)
        renewed_from = next(iter(video.views.values())).expires_at
        tile = video.wall.tiles[next(iter(video.views))]
        qtbot.wait(1100)  # expiries are whole seconds: renewed a second later, it is later
        tile.renew_button.click()
        qtbot.waitUntil(
            lambda: next(iter(video.views.values())).expires_at > renewed_from, timeout=10_000
        )
        assert max(v.expires_at for v in _views(db)) > renewed_from
    finally:
        console.stop()
    views = _views(db)
    assert [v.purpose for v in views] == ["traffic: bouchon place Darcy"] * 2
    assert [v.closed_because for v in views] == [ClosedBecause.CLOSED] * 2


def test_a_technician_can_neither_open_nor_see_a_stream(db, broker, qtbot, tmp_path, server):
    _room(db, server)
    console = _console(db, broker, qtbot, tmp_path, "t.roux", Role.TECHNICIAN)
    video = console.desks.video
    try:
        console.start()
        qtbot.waitUntil(lambda: MASKED in video.cameras, timeout=15_000)
        assert STREAM_URL not in video.cameras[MASKED].attributes  # not even its address
        assert video.ask([MASKED]) is None
        assert "t.roux" in video.wall.note.text()
        assert not console.desks.incidents.detail.cameras.isVisibleTo(
            console.desks.incidents.detail
        )
        video.open([MASKED], "traffic: forced", None)  # no stream to play: nothing opened
        qtbot.wait(500)
        assert video.views == {} and not any(t.busy for t in video.wall.tiles)
        with pytest.raises(PermissionDenied):  # and past the console, the record refuses
            video._open_on_record(MASKED, "traffic: forced", None)
        assert _views(db) == []
    finally:
        console.stop()


def _alarm(db) -> int:
    with db.write() as session:
        made = incidents.create(
            session,
            new_incident(
                source=IncidentSource.ALERT,
                category="security",
                severity="medium",
                at=utcnow(),
                place="Hôtel de ville",
                location=Location(*PLACE),
            ),
            by="c.bernard",
        )
    return made.id


@pytest.mark.parametrize("chosen", [True, False])
def test_a_buildings_alarm_opens_its_cameras_only_when_chosen(
    db, broker, qtbot, tmp_path, server, chosen
):
    _room(db, server)
    console = _console(db, broker, qtbot, tmp_path, "v.lambert", Role.VIDEO_OPERATOR)
    video = console.desks.video
    try:
        assert video.opens_on_alarms is False  # off by default
        video.opens_on_alarms = chosen
        console.start()
        qtbot.waitUntil(lambda: MASKED in video.cameras, timeout=15_000)
        alarm = _alarm(db)
        feed = console.feeds.incidents
        # Waited for with the event loop running: the console's start goes on meanwhile (a
        # blocking wait once timed out on CI with the broker reachable).
        qtbot.waitUntil(lambda: feed.bus.connected, timeout=30_000)
        feed.announce(alarm, 1, "c.bernard")  # as its recorder tells every console
        queue = console.desks.incidents.queue_model
        qtbot.waitUntil(lambda: queue.row_of(alarm) is not None, timeout=15_000)
        if chosen:
            qtbot.waitUntil(lambda: len(video.views) == 2, timeout=15_000)
            assert {(v.purpose, v.incident_id) for v in _views(db)} == {
                (f"incident {alarm}", alarm)
            }
        else:
            qtbot.wait(1000)
            assert video.views == {} and _views(db) == []
    finally:
        console.stop()


def test_a_tile_closed_while_its_view_opens_leaves_no_view_open(
    db, broker, qtbot, tmp_path, server
):
    console, video = _watching(db, broker, qtbot, tmp_path, server)
    try:
        video.open([MASKED], listed_purpose(Purpose.EVENTS, "marché"), None)
        tile = next(t for t in video.wall.tiles if t.busy)  # taken at once, before the record
        tile.close_button.click()  # while the view opens
        qtbot.waitUntil(lambda: len(_views(db)) == 1, timeout=10_000)
        qtbot.waitUntil(lambda: _views(db)[0].closed_at is not None, timeout=10_000)
        assert _views(db)[0].closed_because == ClosedBecause.CLOSED
        assert video.views == {} and not tile.busy
    finally:
        console.stop()


def test_a_view_over_on_the_record_leaves_the_wall_when_renewed(
    db, broker, qtbot, tmp_path, server
):
    console, video = _watching(db, broker, qtbot, tmp_path, server)
    try:
        video.open([MASKED], listed_purpose(Purpose.EVENTS, "marché"), None)
        qtbot.waitUntil(lambda: len(video.views) == 1, timeout=15_000)
        index, view = next(iter(video.views.items()))
        with db.write() as session:  # the recorder heard this console die meanwhile
            camera_views.close_view(session, view.id, ClosedBecause.CONSOLE_GONE, RECORDER)
        video.wall.tiles[index].renew_button.click()
        qtbot.waitUntil(lambda: video.views == {}, timeout=10_000)
        assert not video.wall.tiles[index].busy and video.wall.note.text()
    finally:
        console.stop()
    assert _views(db)[0].closed_because == ClosedBecause.CONSOLE_GONE


def test_a_locked_desk_watches_nothing(db, broker, qtbot, tmp_path, server):
    console, video = _watching(db, broker, qtbot, tmp_path, server)
    try:
        video.open([MASKED, HIDDEN], listed_purpose(Purpose.EVENTS, "marché"), None)
        qtbot.waitUntil(lambda: len(video.views) == 2, timeout=15_000)
        console.lock.lock()
        qtbot.waitUntil(lambda: all(v.closed_at is not None for v in _views(db)), timeout=10_000)
        assert {v.closed_because for v in _views(db)} == {ClosedBecause.CLOSED}
        assert not any(t.busy for t in video.wall.tiles)
    finally:
        console.stop()


def test_a_stream_on_a_host_the_city_does_not_list_is_not_played(
    db, broker, qtbot, tmp_path, server
):
    from dataclasses import replace

    console, video = _watching(db, broker, qtbot, tmp_path, server)
    try:
        assert video._stream_of(MASKED)  # the simulator's, on loopback
        device = video.cameras[MASKED]
        for forged in ("http://camera.example:8080/cameras/x/stream", "file:///etc/passwd"):
            video.cameras[MASKED] = replace(device, attributes={STREAM_URL: forged})
            assert video._stream_of(MASKED) == ""
        video.open([MASKED], listed_purpose(Purpose.EVENTS, "marché"), None)
        qtbot.wait(300)
        assert video.views == {} and _views(db) == []  # no token was minted for it
    finally:
        console.stop()


def test_back_on_the_broker_after_a_loss_the_wall_shows_nothing_closed_on_the_record(
    db, broker, qtbot, tmp_path, server
):
    import threading

    console, video = _watching(db, broker, qtbot, tmp_path, server)
    try:
        video.open([MASKED], listed_purpose(Purpose.EVENTS, "marché"), None)
        qtbot.waitUntil(lambda: len(video.views) == 1, timeout=15_000)
        (view,) = _views(db)
        with db.write() as session:  # the recorder heard the Last Will while the link was down
            camera_views.close_view(session, view.id, ClosedBecause.CONSOLE_GONE, RECORDER)
        console.presence.connections = 2  # as paho says when it is back
        threading.Thread(target=console._presence_changed, args=(True, "connected")).start()
        qtbot.waitUntil(lambda: video.views == {}, timeout=5_000)
        assert not any(t.busy for t in video.wall.tiles) and "broker" in video.wall.note.text()
    finally:
        console.stop()
    assert _views(db)[0].closed_because == ClosedBecause.CONSOLE_GONE


def test_cameras_farther_than_200_m_are_said_to_be(qtbot):
    from widgets.incident_detail.cameras import NearbyCameras

    nearby = NearbyCameras()
    qtbot.addWidget(nearby)
    nearby.show_cameras([("camera:a", "CAM-A", 52.0), ("camera:b", "CAM-B", 310.0)], 200)
    assert nearby.caption.text() == "Cameras within 200 m: 1 (and the nearest beyond)"
    assert nearby.ids() == ["camera:a", "camera:b"]
    nearby.show_cameras([("camera:a", "CAM-A", 52.0)], 200)
    assert nearby.caption.text() == "Cameras within 200 m: 1"
