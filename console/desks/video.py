"""The video room: the wall's tiles, each camera opened for a purpose, on the record, at its limit.

A camera reaches a tile dropped from the equipment table, clicked on the map, or opened from an
incident's "cameras nearby"; the operator says why (``PurposeDialog``; an incident's own cameras
are opened for that incident). Opening, renewing and closing a view are the database's acts
(``services.store.camera_views``: the view, its audit entry and its stream token in one
transaction), run on the acts lane; the tile then plays the camera's ``streamURL`` with the
token. A view closes itself at its limit unless renewed; leaving, or handing the desk over,
closes every view of this console; the recorder closes those of a console that died.

What a tile shows of its camera follows the camera's state as the equipment feed reads it: the
preset in force, whether the camera confirms the privacy masks the city drew for that preset
(``masks_confirmed``: otherwise black), a fault. Preset buttons send the ``preset`` command
through the command path and say its answer on the tile.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.feeds.equipment import EquipmentFeed
from console.shell.docks import Area, Dock
from console.text.i18n import fill, translate
from console.text.messages import describe
from services.domain.camera_views import (
    ENLARGED_SIZE,
    STREAM_URL,
    TILE_SIZE,
    ClosedBecause,
    calls_for_cameras,
    incident_purpose,
    stream_address,
)
from services.domain.equipment import EquipmentType, EquipmentView
from services.domain.errors import Conflict, VigieError
from services.domain.geography import distance_m
from services.domain.incidents import Incident
from services.domain.permissions import Act
from services.domain.privacy_masks import MaskBook, masks_confirmed
from services.snapshots import Snapshot, discard, take_snapshot
from services.store import camera_views
from services.store.camera_snapshots import record_snapshot
from services.store.camera_views import OpenedView
from services.store.equipment_query import list_equipment
from services.store.types import utcnow
from widgets.incident_detail.cameras import OPEN_AT_ONCE
from widgets.labels import COMMAND_STATUS, label
from widgets.video_wall.purpose_dialog import PurposeDialog
from widgets.video_wall.tile import TileCamera, VideoTile
from widgets.video_wall.wall import VideoWall

log = logging.getLogger(__name__)

CAMERA = EquipmentType.CAMERA.value
#: "Cameras nearby" (issue 18): within this distance of the incident.
NEARBY_M = 200
#: When fewer are that near, the nearest within this distance complete the list (said so).
FARTHEST_M = 1000
#: How often a preset command's answer is looked at (the sender keeps acks in memory).
FOLLOW_EVERY = 0.5
#: How often the cameras on tiles are read: their preset and masks, within a second.
FOLLOW_CAMERAS_MS = 1000
VIEWERS = frozenset({"dispatcher", "supervisor", "video"})


@dataclass
class OpenView:
    """A view playing on a tile: the record's id, the camera, its token and limit, its purpose."""

    id: int
    camera: str
    token: str
    expires_at: datetime
    purpose: str
    incident_id: int | None
    size: str = TILE_SIZE


class VideoDesk:
    DOCKS = (
        Dock(
            "video_wall",
            QT_TRANSLATE_NOOP("console", "Video wall"),
            Area.RightDockWidgetArea,
            behind="map",
            shown_in=VIEWERS,
            leads=frozenset({"video"}),
        ),
    )

    def __init__(
        self,
        seat: Seat,
        equipment: EquipmentFeed,
        incidents: IncidentDesk,
        masks: MaskBook,
        workstation: str,
        snapshots: Path,
        camera_hosts: frozenset[str] = frozenset({"127.0.0.1", "localhost"}),
    ) -> None:
        self.seat = seat
        self.snapshots = snapshots  # where the city keeps snapshots (``snapshots_folder``)
        self.camera_hosts = camera_hosts  # the only hosts a view's token is sent to
        self.incidents = incidents
        self.masks = masks
        self.workstation = workstation
        self.wall = VideoWall(tiles=4)
        self.panels = {"video_wall": self.wall}
        self.cameras: dict[str, EquipmentView] = {}
        self.views: dict[int, OpenView] = {}  # by tile index
        self.opens_on_alarms = False  # the operator's choice (View menu), off by default
        self._alarms_seen: set[int] = set()
        self.dialog: PurposeDialog | None = None
        self.may_view = seat.may(Act.VIEW_CAMERAS)
        self.stopping = False
        #: Cameras this console turned to a preset, until their state says they point there.
        self.turning: dict[str, int] = {}
        # The cameras on tiles are read every second (the equipment feed reads all of them
        # every 15 s): a preset turned by anyone reaches the tile, and its masks' check, at once.
        self._lane = seat.bridge.lane("video-cameras")
        self._follow = QTimer(seat.window)
        self._follow.timeout.connect(self._read_cameras_on_tiles)
        self._follow.start(FOLLOW_CAMERAS_MS)
        self._reading = False
        equipment.sig_equipment.connect(self._cameras_changed)
        incidents.feed.sig_incidents.connect(self._incidents_arrived)
        detail = incidents.detail
        detail.cameras.setVisible(self.may_view)
        detail.cameras.sig_open_requested.connect(self._open_from_incident)
        detail.sig_shown.connect(lambda _incident: self._show_nearby())
        self.wall.sig_tiles_hidden.connect(self._tiles_hidden)
        # A preset is the preset command, a device's: the matrix's "command one device" (not the
        # dispatcher's nor the video operator's by default; a city may grant it).
        presets_refused = seat.refusal(Act.COMMAND_DEVICE)
        for tile in self.wall.tiles:
            self._connect(tile)
            tile.refuse_presets(presets_refused)
        if not self.may_view:
            self.wall.say(seat.refusal(Act.VIEW_CAMERAS))

    def _connect(self, tile: VideoTile) -> None:
        i = tile.index
        tile.sig_camera_dropped.connect(lambda camera: self.ask([camera], tiles=[tile]))
        tile.sig_close_requested.connect(lambda: self._start(self._close(i, ClosedBecause.CLOSED)))
        tile.sig_expired.connect(lambda: self._start(self._close(i, ClosedBecause.TIMED_OUT)))
        tile.sig_renew_requested.connect(lambda: self._start(self._renew(i)))
        tile.sig_preset_requested.connect(lambda n: self._turn(i, n))
        tile.sig_enlarge_requested.connect(lambda: self._enlarge(tile))
        tile.sig_snapshot_requested.connect(lambda: self._start(self._snapshot(i)))

    def _start(self, workflow: Any) -> None:
        self.seat.bridge.start(workflow)

    # --- the cameras as the equipment feed reads them ----------------------------------------
    def _cameras_changed(self, devices: list[EquipmentView]) -> None:
        first = not self.cameras
        changed = {d.id for d in devices if d.type == CAMERA}
        for device in devices:
            if device.type == CAMERA:
                self.cameras[device.id] = device
        if not changed:
            return
        if first:  # an incident shown before the cameras were read gets its list now
            self._show_nearby()
        for tile in self.wall.tiles:
            if tile.camera is not None and tile.camera.id in changed:
                tile.show_camera(self.tile_camera(tile.camera.id))

    def _read_cameras_on_tiles(self) -> None:
        on_tiles = sorted({v.camera for v in self.views.values()})
        if on_tiles and not self._reading:
            self._reading = True
            self._start(self._read_cameras(on_tiles))

    async def _read_cameras(self, cameras: list[str]) -> None:
        db, streams = self.seat.db, self.may_view

        def read() -> list[EquipmentView]:
            with db.read() as session:
                return list_equipment(session, utcnow(), ids=cameras, streams=streams)

        try:
            self._cameras_changed(await self._lane.run(read))
        except VigieError as error:  # the feed says a lost database; the next second retries
            log.info("cameras on tiles not read: %s", error)
        finally:
            self._reading = False

    def tile_camera(self, camera: str) -> TileCamera:
        device = self.cameras.get(camera)
        attributes = device.attributes if device is not None else {}
        preset = attributes.get("preset")
        preset = preset if isinstance(preset, int) and not isinstance(preset, bool) else None
        reported = attributes.get("maskVersion")
        if self.turning.get(camera) not in (None, preset):
            reported = None  # turning: no picture until the camera says where it points now
        else:
            self.turning.pop(camera, None)
        expected = self.masks.masks(camera, preset)
        drawn = self.masks.cameras.get(camera)
        return TileCamera(
            id=camera,
            name=self.camera_name(camera),
            preset=preset,
            presets=tuple(sorted(drawn.presets)) if drawn is not None else (),
            confirmed=masks_confirmed(
                self.masks, camera, preset, reported if isinstance(reported, str) else None
            ),
            masks=expected.polygons if expected is not None else (),
            fault=device is not None and device.state == "fault",
        )

    def camera_name(self, camera: str) -> str:
        """``CAM-21231-001, Dijon``: the camera's own name and its commune, as operators say."""
        device = self.cameras.get(camera)
        if device is None:
            return camera
        name = str(device.attributes.get("cameraName") or camera)
        commune = self.seat.names.get(device.commune or "", "")
        return f"{name}, {commune}" if commune else name

    # --- cameras nearby ----------------------------------------------------------------------
    def nearby(self, incident: Incident) -> list[tuple[str, str, float]]:
        """(id, name, metres), nearest first.

        Those within ``NEARBY_M``, completed up to ``OPEN_AT_ONCE`` with the nearest within
        ``FARTHEST_M``.
        """
        if incident.location is None:
            return []
        lat, lon = incident.location.lat, incident.location.lon
        measured = sorted(
            (distance_m(lat, lon, d.lat, d.lon), d.id)
            for d in self.cameras.values()
            if d.lat is not None and d.lon is not None
        )
        near = [(m, c) for m, c in measured if m <= NEARBY_M]
        if len(near) < OPEN_AT_ONCE:
            near += [(m, c) for m, c in measured if NEARBY_M < m <= FARTHEST_M][
                : OPEN_AT_ONCE - len(near)
            ]
        return [(c, self.camera_name(c), m) for m, c in near]

    def _show_nearby(self) -> None:
        incident = self.incidents.detail.incident
        if self.may_view and incident is not None:
            self.incidents.detail.cameras.show_cameras(self.nearby(incident), NEARBY_M)

    def _open_from_incident(self, cameras: list[str]) -> None:
        incident = self.incidents.detail.incident
        if incident is not None and incident.id is not None:
            self.ask(cameras, incident=incident)

    def _incidents_arrived(self, incidents: list[Incident]) -> None:
        """A monitored building's alarm opens its cameras, when the operator chose so."""
        if not (self.opens_on_alarms and self.may_view and self.cameras):
            return  # (an alarm heard before the cameras are read is taken at the next word)
        for incident in incidents:
            if incident.id is None or incident.id in self._alarms_seen:
                continue
            if calls_for_cameras(
                incident.category, incident.source.value, int(incident.priority), incident.status
            ):
                self._alarms_seen.add(incident.id)
                cameras = [c for c, _n, m in self.nearby(incident) if m <= NEARBY_M]
                if cameras:
                    self.open(cameras, incident_purpose(incident.id), incident.id)

    # --- opening -----------------------------------------------------------------------------
    def ask(
        self,
        cameras: list[str],
        *,
        incident: Incident | None = None,
        tiles: list[VideoTile] | None = None,
    ) -> PurposeDialog | None:
        """Ask the operator why, then open ``cameras`` (on ``tiles``, else on free ones)."""
        if not self.may_view:
            self.wall.say(self.seat.refusal(Act.VIEW_CAMERAS))
            return None
        known = [c for c in cameras if c in self.cameras]
        if not known:
            self.wall.say(translate("console", "No such camera in the equipment read."))
            return None
        about = None
        if incident is not None and incident.id is not None:
            about = (incident.id, f"#{incident.id} {incident.place or incident.category}")
        dialog = PurposeDialog([self.camera_name(c) for c in known], about, self.seat.window)

        def accepted() -> None:
            chosen = dialog.purpose()
            if chosen is not None:
                self.open(known, chosen[0], chosen[1], tiles)

        dialog.accepted.connect(accepted)
        dialog.open()
        self.dialog = dialog
        return dialog

    def open(
        self,
        cameras: list[str],
        purpose: str,
        incident_id: int | None,
        tiles: list[VideoTile] | None = None,
    ) -> None:
        """Open ``cameras`` for ``purpose`` on ``tiles`` (else free tiles, the wall grown)."""
        targets = tiles or self._free_tiles(len(cameras))
        dock = self.seat.window.docks.get("video_wall")
        if dock is not None:  # what was opened is in front of the operator
            dock.show()
            dock.raise_()
        for camera, tile in zip(cameras, targets, strict=False):
            # Taken now, not when the workflow runs: the next camera finds it busy.
            if tile.index in self.views:
                self._start(self._close(tile.index, ClosedBecause.CLOSED))
            reserved = tile.take(self.tile_camera(camera))
            self._start(self._open(tile, reserved, camera, purpose, incident_id))
        if len(cameras) > len(targets):
            self.wall.say(
                fill(
                    translate("console", "{count} camera(s) not opened: no free tile."),
                    {"count": len(cameras) - len(targets)},
                )
            )

    def _free_tiles(self, wanted: int) -> list[VideoTile]:
        for count in (1, 4, 9):
            if count >= self.wall.shown and (
                len([t for t in self.wall.tiles[:count] if not t.busy]) >= wanted or count == 9
            ):
                if count > self.wall.shown:
                    self.wall.set_layout(count)
                break
        return [t for t in self.wall.visible_tiles() if not t.busy][:wanted]

    async def _open(
        self, tile: VideoTile, reserved: int, camera: str, purpose: str, incident_id: int | None
    ) -> None:
        stream = self._stream_of(camera)
        if not stream:
            tile.clear()
            self.wall.say(
                fill(
                    translate("console", "{camera} serves no stream."),
                    {"camera": self.camera_name(camera)},
                )
            )
            return
        try:
            opened: OpenedView = await self.seat.bridge.acts.run(
                self._open_on_record, camera, purpose, incident_id
            )
        except VigieError as error:
            if tile.generation == reserved:
                tile.clear()
            self.wall.say(describe(error))
            return
        if tile.generation != reserved:  # closed, reused or hidden meanwhile: not on screen
            self.seat.bridge.acts.submit(self._close_quietly, opened.view_id)
            return
        view = OpenView(
            opened.view_id, camera, opened.token, opened.expires_at, purpose, incident_id
        )
        self.views[tile.index] = view
        tile.show_view(stream_address(stream, view.token, view.size), view.expires_at, purpose)
        self.wall.say("")

    def _open_on_record(self, camera: str, purpose: str, incident_id: int | None) -> OpenedView:
        with self.seat.db.write() as session:
            opened = camera_views.open_view(
                session,
                camera,
                self.seat.operator,
                purpose,
                incident_id,
                workstation=self.workstation,
            )
        if self.stopping:  # the console left while it opened: nobody will ever see it
            self._close_quietly(opened.view_id)
        return opened

    # --- renewing, closing -------------------------------------------------------------------
    async def _renew(self, index: int) -> None:
        view = self.views.get(index)
        if view is None:
            return

        def renew() -> tuple[str, datetime]:
            with self.seat.db.write() as session:
                return camera_views.renew_view(session, view.id, self.seat.operator)

        try:
            token, expires_at = await self.seat.bridge.acts.run(renew)
        except VigieError as error:  # over on the record (its limit, the recorder): off screen
            if self.views.get(index) is view:
                del self.views[index]
                self.wall.tiles[index].clear()
            self.wall.say(describe(error))
            return
        if self.views.get(index) is not view:  # closed meanwhile: the renewal must not outlive it
            await self.seat.bridge.acts.run(self._close_quietly, view.id)
            return
        view.token, view.expires_at = token, expires_at
        stream = self._stream_of(view.camera)
        self.wall.tiles[index].renewed(stream_address(stream, token, view.size), expires_at)

    async def _close(self, index: int, because: ClosedBecause) -> None:
        view = self.views.pop(index, None)
        tile = self.wall.tiles[index]
        if tile is self.wall.soloist:
            self.wall.solo(None)
        tile.clear()
        if view is None:
            return
        await self.seat.bridge.acts.run(self._close_quietly, view.id, because)
        if because is ClosedBecause.TIMED_OUT:
            self.wall.say(
                fill(
                    translate("console", "{camera}: the view reached its limit and closed."),
                    {"camera": self.camera_name(view.camera)},
                )
            )

    def _close_on_record(self, view_id: int, because: ClosedBecause) -> None:
        with self.seat.db.write() as session:
            camera_views.close_view(session, view_id, because, self.seat.operator)

    def _close_quietly(self, view_id: int, because: ClosedBecause = ClosedBecause.CLOSED) -> None:
        """Closed on the record whatever happened meanwhile (the acts lane).

        Timed out by this console's clock but not yet by the database's (a renewal landed
        first, or the clocks differ): closed by its viewer instead. Closed already (the
        recorder's sweep): nothing is lost.
        """
        try:
            self._close_on_record(view_id, because)
            return
        except VigieError as error:
            if because is not ClosedBecause.TIMED_OUT or not isinstance(error, Conflict):
                log.info("view %s: %s", view_id, error)
                return
        try:
            self._close_on_record(view_id, ClosedBecause.CLOSED)
        except VigieError as error:
            log.info("view %s: %s", view_id, error)

    def link_returned(self) -> None:
        """The console's link to the broker came back after a loss: the tiles go down.

        If the loss lasted, the recorder heard the console's Last Will and closed its views as
        ``console_gone``; a view kept on screen must be open on the record, so the tiles go down
        and say so, and the operator opens them again.
        """
        if not self.views:
            return
        self.close_views()
        self.wall.say(
            translate(
                "console",
                "The link to the broker was lost: the camera views were closed. Open them again.",
            )
        )

    def close_views(self) -> None:
        """Every view closed by its viewer: the desk is locked, nobody is watching."""
        for index in list(self.views):
            self._start(self._close(index, ClosedBecause.CLOSED))
        for tile in self.wall.tiles:  # views still opening close themselves on arrival
            if tile.busy:
                tile.clear()

    def _tiles_hidden(self, indexes: list[int]) -> None:
        for index in indexes:
            self._start(self._close(index, ClosedBecause.CLOSED))

    def close_all(self) -> Future[Any]:
        """The console is leaving: every view closed on the record, in one act.

        Returned so that the console waits for it before its lanes stop (a queued act would be
        cancelled); a view whose opening is under way closes itself (``stopping``).
        """
        self.stopping = True
        self._follow.stop()
        views = [self.views.pop(index) for index in list(self.views)]
        for tile in self.wall.tiles:
            tile.clear()

        def close_them() -> None:
            for view in views:
                self._close_quietly(view.id)

        return self.seat.bridge.acts.submit(close_them)

    def _stream_of(self, camera: str) -> str:
        """The camera's stream address, if a view's token may be sent there.

        Http(s), on a host the city lists (``camera_hosts``): the address is the camera's state's
        word, and a forged one must not carry a token elsewhere.
        """
        device = self.cameras.get(camera)
        stream = device.attributes.get(STREAM_URL) if device is not None else None
        if not isinstance(stream, str):
            return ""
        parts = urlsplit(stream)
        if parts.scheme not in ("http", "https") or (parts.hostname or "") not in self.camera_hosts:
            return ""
        return stream

    # --- enlarging ---------------------------------------------------------------------------
    def _enlarge(self, tile: VideoTile) -> None:
        """One tile over the whole wall at the camera's 1280×720, and back."""
        view = self.views.get(tile.index)
        if view is None:
            return
        alone = self.wall.soloist is not tile
        self.wall.solo(tile if alone else None)
        view.size = ENLARGED_SIZE if alone else TILE_SIZE
        tile.play(stream_address(self._stream_of(view.camera), view.token, view.size))

    # --- presets -----------------------------------------------------------------------------
    def _turn(self, index: int, number: int) -> None:
        """Hidden at once: nothing is painted until the camera's state says it points there."""
        view = self.views.get(index)
        if view is None:
            return
        self.turning[view.camera] = number
        self.wall.tiles[index].show_camera(self.tile_camera(view.camera))
        self._start(self._preset(index, number, view))

    async def _preset(self, index: int, number: int, view: OpenView) -> None:
        tile = self.wall.tiles[index]
        sender, operator = self.seat.sender, self.seat.operator

        def send() -> Any:
            plan = sender.plan(
                CAMERA, view.camera, "preset", {"preset": number}, issued_by=operator
            )
            return sender.send(plan)

        try:
            request = await self.seat.bridge.acts.run(send)
        except VigieError as error:
            self._not_turned(view.camera)
            tile.say_preset(describe(error))
            return
        name = fill(translate("console", "Preset {number}"), {"number": number})
        while self.views.get(index) is view:
            outcome = sender.outcome(request, None)
            said = f"{name}: {label(COMMAND_STATUS, outcome.status.value)}"
            failed = outcome.reason or next((why for _device, why in outcome.failed), "")
            tile.say_preset(f"{said} ({failed})" if failed else said)
            if outcome.final:
                if outcome.status.value != "done":  # not turned: its state stands as it was
                    self._not_turned(view.camera)
                return
            await asyncio.sleep(FOLLOW_EVERY)

    def _not_turned(self, camera: str) -> None:
        self.turning.pop(camera, None)
        for tile in self.wall.tiles:
            if tile.camera is not None and tile.camera.id == camera:
                tile.show_camera(self.tile_camera(camera))

    # --- snapshots ---------------------------------------------------------------------------
    async def _snapshot(self, index: int) -> None:
        """The camera's own picture (its masks burned in), saved and journaled, kept 30 days.

        Taken from the camera on the outside lane (a slow camera holds no write), recorded on
        the acts lane; a picture the record refuses is deleted, never kept unjournaled.
        """
        view = self.views.get(index)
        if view is None:
            return
        camera = self.wall.tiles[index].camera
        if camera is None or not camera.confirmed:  # what the tile hides is never saved
            self.wall.say(
                translate(
                    "console",
                    "No snapshot: the camera does not confirm the privacy masks of its preset.",
                )
            )
            return
        url = stream_address(self._stream_of(view.camera), view.token, ENLARGED_SIZE)
        folder = self.snapshots
        operator = self.seat.operator

        def record(snap: Snapshot) -> None:
            try:
                with self.seat.db.write() as session:
                    record_snapshot(
                        session, view.id, operator, snap.file_name, snap.sha256, snap.size
                    )
            except Exception:
                discard(folder, snap.file_name)
                raise

        try:
            snap = await self.seat.bridge.outside.run(take_snapshot, url, folder, view.id)
            try:
                await self.seat.bridge.acts.run(record, snap)
            except asyncio.CancelledError:  # the console leaves: no picture kept unjournaled
                discard(folder, snap.file_name)
                raise
        except VigieError as error:
            self.wall.say(describe(error))
            return
        self.wall.say(
            fill(
                translate("console", "Snapshot of {camera} saved as {file}, kept 30 days."),
                {"camera": self.camera_name(view.camera), "file": snap.file_name},
            )
        )
