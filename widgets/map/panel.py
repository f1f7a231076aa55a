"""The map panel: the page in a QWebEngineView, its layer switches, and one batch per frame.

Callers hand it units, incidents and devices as often as they like; it keeps the latest of each
and sends what changed to the page at most once a frame (five a second), as one JSON batch over
QWebChannel. The page is loaded once and never rebuilt: a change of theme sends it the theme's
colours. Clicks on the page come back as signals; the console decides what they select elsewhere.
Selecting never zooms past what the operator chose: what is in view stays at their zoom.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from math import isfinite
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QTimer, QUrl, Signal
from PySide6.QtGui import QAction
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from services.domain.geography import Commune
from services.domain.incidents import Incident, IncidentStatus
from services.domain.snow import PassState, Segment
from services.domain.units import Unit, UnitKind
from widgets.labels import EQUIPMENT_STATE, UNIT_KIND, UNIT_STATUS, label
from widgets.map.bridge import LocalOnlyInterceptor, MapBridge
from widgets.map.page import asset_folder
from widgets.palette import map_roles, theme_in_effect
from widgets.plain_text import plain_label

#: The page is sent at most this often: five frames a second.
FRAME_MS = 200
#: Equipment types and the map layer that draws them.
LAYER_OF_TYPE = {
    "Streetlight": "lights",
    "TrafficSignal": "signals",
    "Camera": "cameras",
    "Bollard": "bollards",
}
#: Statuses in which an incident's unit is on its way or there: a dashed line joins them.
_WITH_UNIT = (IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE)

Device = tuple[str, str, str, float, float]
"""A device on the map: (id, equipment type, state: ok|fault|stale|comm_lost, lat, lon)."""
LightLook = tuple[float | None, bool]
"""How a street light is drawn: its level (0 off, up to 1 at full level; None not known) and
whether it is dark at night when it should be lit (the console judges it, not the page)."""


def _epoch_ms(moment: datetime | None) -> int:
    if moment is None:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


class MapPanel(QWidget):
    sig_incident_clicked = Signal(int)
    sig_unit_clicked = Signal(str)
    sig_device_clicked = Signal(str)
    sig_ready = Signal()
    """The page is loaded and listens: batches sent from now on are applied."""
    sig_frame = Signal(float)
    """The page applied a batch in this many milliseconds."""
    sig_view = Signal(float, float, float, float, float)
    """The page's zoom and bounds (south, west, north, east) after the operator moved it."""

    def __init__(
        self,
        page_html: str,
        *,
        show_patrols: bool,
        allowed_hosts: frozenset[str] = frozenset(),
        frame_ms: int = FRAME_MS,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.show_patrols = show_patrols
        self.bridge_calls = 0  # batches sent to the page: what the bench and the tests count
        self.ready = False
        self._pending: dict[str, Any] = {}
        self._units: dict[str, Unit] = {}
        self._devices: dict[str, Device] = {}
        self._looks: dict[str, LightLook] = {}  # each light's look as the page last heard it
        self._plans: dict[str, str] = {}  # each signal's plan as the page last heard it
        self._selected_unit: str | None = None
        # the incident last clicked on the map: the queue's echo of it must not move the map
        self._clicked_incident: int | None = None
        self._theme: str | None = None  # the theme whose colours the page was last sent
        # An off-the-record profile: the map keeps no cache or cookies on disk. It is the page's
        # child, so that it goes only once the page that uses it has gone (as Qt wants).
        self.profile = QWebEngineProfile()
        self.interceptor = LocalOnlyInterceptor(allowed_hosts, self.profile)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.view = QWebEngineView(self)
        page = QWebEnginePage(self.profile, self.view)
        self.profile.setParent(page)
        self.view.setPage(page)
        # A page from local files may reach the network only when a tile server is configured,
        # and then only that server (the interceptor).
        self.view.settings().setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, bool(allowed_hosts)
        )
        self.bridge = MapBridge(self)
        self.channel = QWebChannel(self)
        self.channel.registerObject("bridge", self.bridge)
        self.view.page().setWebChannel(self.channel)
        self.bridge.sig_ready.connect(self._page_ready)
        self.bridge.sig_clicked.connect(self._clicked)
        self.bridge.sig_frame.connect(self.sig_frame)
        self.bridge.sig_view.connect(self.sig_view)
        # The layers in a menu: a row of nine switches would make the dock too wide to share.
        self.switches: dict[str, QAction] = {}
        self._by_modes: set[str] = set()  # layers the modes' playbook entries turned on
        self._switching_for_modes = False
        self.layers_button = QToolButton()
        self.layers_button.setText(self.tr("Layers"))
        self.layers_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.layers_button)
        for name, text in self._layer_names():
            action = menu.addAction(text)
            action.setCheckable(True)
            # Every trail at once is a tangle: by default only the selected unit's is drawn.
            # The winter-service network is the snow plan's: its levels turn it on.
            action.setChecked(name not in ("trails", "snow_network"))
            action.setObjectName(f"layer_{name}")
            action.toggled.connect(lambda on, layer=name: self._toggled(layer, on))
            self.switches[name] = action
        self.layers_button.setMenu(menu)
        switches = QHBoxLayout()
        switches.addWidget(self.layers_button)
        switches.addStretch(1)
        self.follow = QCheckBox(self.tr("Follow the selected unit"))
        self.follow.toggled.connect(self._follow)
        self.whole = QPushButton(self.tr("Whole métropole"))
        self.whole.clicked.connect(self.show_whole)
        switches.addWidget(self.follow)
        switches.addWidget(self.whole)
        self.info = plain_label(self.tr("Click a unit, an incident or a device to see what it is."))
        self.info.setObjectName("map_info")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(switches)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        self._timer = QTimer(self)
        self._timer.setInterval(frame_ms)
        self._timer.timeout.connect(self._flush)
        self._timer.start()
        base = QUrl.fromLocalFile(str(asset_folder()) + "/")
        self.view.setHtml(page_html, base)

    def show_layers(self, names: frozenset[str]) -> None:
        """The layers the modes in force ask for (their playbook entries).

        A layer a previous mode turned on, and this one does not ask for, goes off again (the
        winter-service network after the snow plan's return to watch); one the operator turned
        on or off by hand since stays as they left it.
        """
        for name in self._by_modes - names:
            self._switch_for_modes(name, False)
        self._by_modes &= names
        for name in names:
            if self._switch_for_modes(name, True):
                self._by_modes.add(name)

    def _switch_for_modes(self, name: str, on: bool) -> bool:
        """Set a layer's switch as the modes ask; True when it changed."""
        switch = self.switches.get(name)
        if switch is None or switch.isChecked() == on:
            return False
        self._switching_for_modes = True
        try:
            switch.setChecked(on)
        finally:
            self._switching_for_modes = False
        return True

    def _layer_names(self) -> list[tuple[str, str]]:
        names = []
        if self.show_patrols:
            names.append(("patrol", self.tr("Patrols")))
        names += [
            ("road_crew", self.tr("Road crews")),
            ("snow", self.tr("Snow vehicles")),
            ("incidents", self.tr("Incidents")),
            ("trails", self.tr("Every unit's trail (15 min)")),
            ("lights", self.tr("Lights")),
            ("signals", self.tr("Signals")),
            ("cameras", self.tr("Cameras")),
            ("bollards", self.tr("Bollards")),
            ("snow_network", self.tr("Winter-service network")),
            ("legend", self.tr("Legend")),
        ]
        return names

    # --- what callers hand over; kept until the next frame -------------------------------------
    def reset(self) -> None:
        """A new snapshot of units and devices follows: the page forgets theirs first.

        Incidents, coverage and the selection come from elsewhere and are kept.
        """
        for key in ("units", "trails", "devices", "looks", "devices_gone", "light_cells"):
            self._pending.pop(key, None)
        self._pending["reset"] = True
        self._units.clear()
        self._devices.clear()
        self._looks.clear()

    def update_units(self, units: Iterable[Unit]) -> None:
        batch = self._pending.setdefault("units", {})
        for unit in units:
            if unit.lat is None or unit.lon is None:
                continue
            if unit.kind is UnitKind.PATROL and not self.show_patrols:
                continue  # privacy: this role does not see patrols (the feed drops them too)
            self._units[unit.id] = unit
            batch[unit.id] = {
                "id": unit.id,
                "kind": unit.kind.value,
                "status": unit.status.value,
                "name": unit.name or unit.id,
                "lat": unit.lat,
                "lon": unit.lon,
                "bearing": unit.bearing if unit.bearing is None or isfinite(unit.bearing) else None,
                "at": _epoch_ms(unit.observed_at),
                "work": unit.work,
            }

    def set_trails(self, trails: Mapping[str, Sequence[tuple[float, float, datetime]]]) -> None:
        batch = self._pending.setdefault("trails", {})
        for unit_id, points in trails.items():
            if unit_id in self._units:
                batch[unit_id] = [[lat, lon, _epoch_ms(at)] for lat, lon, at in points]

    def update_incidents(self, incidents: Iterable[Incident]) -> None:
        shown = self._pending.setdefault("incidents", {})
        gone = self._pending.setdefault("incidents_gone", set())
        for incident in incidents:
            if incident.id is None:
                continue
            if not incident.is_open or incident.location is None:
                shown.pop(incident.id, None)
                gone.add(incident.id)
                continue
            gone.discard(incident.id)
            shown[incident.id] = {
                "id": incident.id,
                "priority": int(incident.priority),
                "status": incident.status.value,
                "lat": incident.location.lat,
                "lon": incident.location.lon,
                "label": f"P{int(incident.priority)} #{incident.id}",
                "unit": incident.assigned_unit if incident.status in _WITH_UNIT else None,
            }

    def update_devices(self, devices: Iterable[Device]) -> None:
        batch = self._pending.setdefault("devices", {})
        gone = self._pending.get("devices_gone", set())
        for device in devices:
            layer = LAYER_OF_TYPE.get(device[1])
            if layer is None:
                continue
            gone.discard(device[0])
            self._devices[device[0]] = device
            batch[device[0]] = [device[0], layer, device[2], device[3], device[4]]

    def show_light_looks(self, looks: Mapping[str, LightLook]) -> None:
        """Street lights' levels and darkness at night; only what changed goes to the page."""
        changed = {i: look for i, look in looks.items() if self._looks.get(i) != look}
        if not changed:
            return
        self._looks.update(changed)
        batch = self._pending.setdefault("looks", {})
        for ident, (level, dark) in changed.items():
            shown = None if level is None or not isfinite(level) else round(level, 3)
            batch[ident] = [shown, 1 if dark else 0]

    def forget_devices(self, ids: Iterable[str]) -> None:
        """Devices no longer drawn one by one (a served field's lights back to health)."""
        gone = self._pending.setdefault("devices_gone", set())
        batch = self._pending.get("devices", {})
        for ident in ids:
            self._devices.pop(ident, None)
            batch.pop(ident, None)
            gone.add(ident)

    def show_light_cells(self, cells: Mapping[str, Any]) -> None:
        """A served field's healthy lights for the view: clusters, or the lights zoomed in.

        ``{"zoom", "cells": [[lat, lon, count, mean level]]}`` or ``{"zoom", "singles": [[id,
        lat, lon, level]]}``, worked out off the GUI thread; the page draws them in place of
        the healthy lights it held. The newest replaces one not sent yet.
        """
        self._pending["light_cells"] = cells

    def light_look(self, device_id: str) -> LightLook | None:
        return self._looks.get(device_id)

    def show_plans(self, plans: Mapping[str, str]) -> None:
        """Each signal's running plan, written beside it when the map is zoomed in.

        Read every 15 s whole; only the plans that changed go to the page.
        """
        changed = {i: p for i, p in plans.items() if self._plans.get(i) != p}
        self._plans.update(changed)
        if changed:
            self._pending.setdefault("labels", {}).setdefault("signals", {}).update(changed)

    def set_snow_network(self, segments: Sequence[Segment], schematic: bool) -> None:
        """The segments to treat; a schematic network says so in each line's name."""
        mark = self.tr(" (schematic)") if schematic else ""
        self._pending["snow_network"] = [
            {
                "id": s.id,
                "name": s.name + mark,
                "network": s.network.value,
                "points": [list(p) for p in s.points],
            }
            for s in segments
        ]

    def show_passes(self, passes: Mapping[str, tuple[int | None, PassState]]) -> None:
        """Each segment's minutes since its last treatment and what that means (its colour)."""
        self._pending.setdefault("snow_passes", {}).update(
            {ident: [minutes, state.value] for ident, (minutes, state) in passes.items()}
        )

    def show_coverage(self, gaps: Sequence[tuple[Commune, str]]) -> None:
        """Communes without an available patrol for too long, each with the words to show."""
        self._pending["coverage"] = [
            {"insee": c.insee, "lat": c.lat, "lon": c.lon, "text": text} for c, text in gaps
        ]

    def focus_incident(self, incident_id: int) -> None:
        """Select it and centre on it (the queue selected it: a row, F5, a call just taken).

        At the operator's zoom when it is in view, else at a street zoom; once it reaches the
        page if it has not yet. The queue's echo of a click on the map moves nothing.
        """
        clicked, self._clicked_incident = self._clicked_incident, None
        how = "reveal" if clicked == incident_id else "centre"
        self._pending["select"] = {"kind": "incident", "id": incident_id, "how": how}

    def unit(self, unit_id: str) -> Unit | None:
        """The unit as the map last showed it."""
        return self._units.get(unit_id)

    def focus_device(self, device_id: str) -> None:
        """Centre on a device (the equipment panel selected it)."""
        self._pending["select"] = {"kind": "device", "id": device_id, "how": "centre"}

    def focus_unit(self, unit_id: str) -> None:
        self._selected_unit = unit_id
        self._pending["select"] = {"kind": "unit", "id": unit_id, "how": "centre"}
        if self.follow.isChecked():
            self._pending["follow"] = unit_id

    def show_whole(self) -> None:
        """The 23 communes' outlines fitted to the panel's size (kept fitted as it resizes)."""
        self._pending["select"] = {"kind": "none", "id": None, "how": "none"}
        self._pending["follow"] = None
        self.follow.setChecked(False)
        self.view.page().runJavaScript("window.vigie && vigie.map && vigie.showWhole();")

    @property
    def frame_waiting(self) -> bool:
        """Whether changes wait for the next frame."""
        return bool(self._pending)

    def close_page(self) -> None:
        """Free the page now (with its profile after it), while Qt is still whole.

        Left to the end of the process, the profile may go first and take the process down.
        """
        self._timer.stop()
        self.ready = False
        shiboken6.delete(self.view)  # the page is the view's child, the profile the page's

    # --- the frame ------------------------------------------------------------------------------
    def _flush(self) -> None:
        if not self.ready or not self._pending:
            return
        batch, self._pending = self._pending, {}
        for key in ("units", "incidents", "devices"):
            if key in batch:
                batch[key] = list(batch[key].values())
        if "incidents_gone" in batch:
            batch["incidents_gone"] = sorted(batch["incidents_gone"])
        if "devices_gone" in batch:
            batch["devices_gone"] = sorted(batch["devices_gone"])
        # allow_nan=False: NaN is not JSON, and the page's parser would refuse the whole frame
        self.bridge.sig_batch.emit(json.dumps(batch, separators=(",", ":"), allow_nan=False))
        self.bridge_calls += 1

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        # The operator switched themes (the application's palette): the page follows.
        changes = (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange)
        if event.type() in changes:
            self._follow_theme()
        super().changeEvent(event)

    def _follow_theme(self) -> None:
        theme = theme_in_effect()
        if theme != self._theme:
            self._theme = theme
            self._pending["roles"] = map_roles(theme)

    def _page_ready(self) -> None:
        self.ready = True
        self._pending.setdefault("layers", self._layer_states())
        self._theme = None  # the page (re)loaded with the colours it was built with
        self._follow_theme()
        self.sig_ready.emit()

    def _layer_states(self) -> dict[str, bool]:
        states = {}
        for name, box in self.switches.items():
            for layer in ("snow_plough", "salt_spreader") if name == "snow" else (name,):
                states[layer] = box.isChecked()
        states["other"] = self.switches["road_crew"].isChecked()
        return states

    def _toggled(self, name: str, on: bool) -> None:
        if not self._switching_for_modes:  # by hand: the operator's choice, the modes leave it
            self._by_modes.discard(name)
        self._toggle(name, on)

    def _toggle(self, name: str, on: bool) -> None:
        layers = self._pending.setdefault("layers", {})
        for layer in ("snow_plough", "salt_spreader") if name == "snow" else (name,):
            layers[layer] = on

    def _follow(self, on: bool) -> None:
        self._pending["follow"] = self._selected_unit if on else None

    def _clicked(self, kind: str, ident: str) -> None:
        if kind == "unit":
            self._selected_unit = ident
            self._pending["select"] = {"kind": "unit", "id": ident, "how": "none"}
            if self.follow.isChecked():
                self._pending["follow"] = ident
            self._describe_unit(ident)
            self.sig_unit_clicked.emit(ident)
        elif kind == "incident" and ident.isdigit():
            self._pending["select"] = {"kind": "incident", "id": int(ident), "how": "none"}
            self._clicked_incident = int(ident)
            self.sig_incident_clicked.emit(int(ident))
        elif kind == "device":
            self._describe_device(ident)
            self.sig_device_clicked.emit(ident)

    def _describe_unit(self, unit_id: str) -> None:
        unit = self._units.get(unit_id)
        if unit is None:
            return
        # a name is whatever the unit's message said: not always a string
        text = self.tr("%1 (%2): %3").replace("%1", str(unit.name or unit.id))
        text = text.replace("%2", label(UNIT_KIND, unit.kind.value))
        text = text.replace("%3", label(UNIT_STATUS, unit.status.value))
        if unit.incident_id is not None:
            text += " — " + self.tr("incident #%1").replace("%1", str(unit.incident_id))
        self.info.setText(text)

    def _describe_device(self, device_id: str) -> None:
        device = self._devices.get(device_id)
        if device is None:
            return
        text = f"{device_id} ({device[1]}): {label(EQUIPMENT_STATE, device[2])}"
        look = self._looks.get(device_id)
        if look is not None and device[2] == "ok":
            level, dark = look
            if dark:
                text += " — " + self.tr("dark at night when it should be lit")
            elif level is not None and level <= 0:
                text += " — " + self.tr("off")
            elif level is not None:
                percent = self.tr("%1%").replace("%1", str(round(level * 100)))
                text += " — " + self.tr("on at %1").replace("%1", percent)
        self.info.setText(text)
