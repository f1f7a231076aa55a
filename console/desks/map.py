"""The map: units, devices, incidents and the snow network as the feeds report them.

Clicking on the map leads to what the operator wants in front of them: a unit on a mission
selects its incident; a device selects its row in the equipment panel (``EquipmentDesk``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.feeds.map import MapChanges, MapFeed
from console.shell.docks import Area, Dock
from console.text.i18n import fill, translate
from services.domain.snow import Segment
from services.domain.units import UnitKind
from services.reference import communes
from services.situation import Situation
from widgets.map.legend import legend_rows
from widgets.map.page import TileSource, build_page
from widgets.map.panel import MapPanel


@dataclass(frozen=True)
class MapOptions:
    """The map's configuration: its tile server (none by default) and the coverage watch."""

    tiles: TileSource | None = None
    coverage_gap: timedelta = timedelta(minutes=20)
    watched_communes: frozenset[str] | None = None  # None: all of them
    snow_network: str = ""  # the city's winter-service network (GeoJSON); the bundled one if empty

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The tile server's hosts (``{s}`` stands for Leaflet's subdomains a, b and c)."""
        if self.tiles is None:
            return frozenset()
        urls = {self.tiles.url.replace("{s}", sub) for sub in "abc"}
        return frozenset(h.lower() for u in urls if (h := urlsplit(u).hostname))


class MapDesk:
    DOCKS = (Dock("map", QT_TRANSLATE_NOOP("console", "Map"), Area.RightDockWidgetArea),)

    def __init__(
        self,
        seat: Seat,
        feed: MapFeed,
        incidents: IncidentDesk,
        options: MapOptions,
        network: tuple[list[Segment], bool],
    ) -> None:
        self.seat = seat
        self.feed = feed
        self.incidents = incidents
        self.map = MapPanel(
            build_page(communes(), legend_rows(), options.tiles),
            show_patrols=UnitKind.PATROL in seat.unit_kinds,
            allowed_hosts=options.allowed_hosts,
        )
        self.panels = {"map": self.map}
        self.map.set_snow_network(*network)
        feed.sig_snapshot.connect(self._show_situation)
        feed.sig_changes.connect(self._show_changes)
        self.map.sig_view.connect(feed.set_view)
        incidents.feed.sig_incidents.connect(self.map.update_incidents)
        incidents.queue.sig_incident_selected.connect(self._incident_selected)
        self.map.sig_incident_clicked.connect(incidents.queue.select_incident)
        self.map.sig_unit_clicked.connect(self._unit_clicked)

    def _incident_selected(self, incident_id: int) -> None:
        """The queue selected an incident (a row, F5, a call just taken): the map centres on it.

        The map is handed the queue's own copy first: a call this console just recorded reaches
        the map's feed only after the other consoles are told, later than the selection.
        """
        row = self.incidents.queue_model.row_of(incident_id)
        if row is not None:
            self.map.update_incidents([self.incidents.queue_model.incident(row)])
        self.map.focus_incident(incident_id)

    def _unit_clicked(self, unit_id: str) -> None:
        """A unit on a mission: its incident is what the operator wants in front of them."""
        unit = self.map.unit(unit_id)
        if unit is not None and unit.incident_id is not None:
            self.incidents.queue.select_incident(unit.incident_id)

    def _show_situation(self, situation: Situation) -> None:
        self.map.reset()
        self.map.update_units(situation.units)
        self.map.set_trails(situation.trails)
        self.map.update_devices(situation.devices)

    def _show_changes(self, changes: MapChanges) -> None:
        self.map.update_units(changes.units)
        if changes.devices_gone:
            self.map.forget_devices(changes.devices_gone)
        self.map.update_devices(changes.devices)
        if changes.light_cells is not None:
            self.map.show_light_cells(changes.light_cells)
        if changes.lights:
            self.map.show_light_looks(changes.lights)
        if changes.snow_passes is not None:
            self.map.show_passes(changes.snow_passes)
        if changes.coverage is not None:
            by_insee = {c.insee: c for c in communes()}
            now = datetime.now(UTC)
            gaps = [(by_insee[g.insee], g.minutes(now)) for g in changes.coverage]
            self.map.show_coverage(
                [
                    (c, fill(translate("console", "no patrol for {minutes} min"), {"minutes": m}))
                    for c, m in gaps
                ]
            )
            self.incidents.queue.show_coverage([(c.name, m) for c, m in gaps])
