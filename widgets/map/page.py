"""The map's page, built once with folium from assets installed on this machine.

folium's own page loads Leaflet, jQuery and Bootstrap from CDNs: a control room without internet
would get a blank map. Here every script and style sheet is a file of an installed package
(XStatic-Leaflet, XStatic-jQuery) or of ``resources/map``; the tile layer exists only when a tile
server is configured. Without one, the base is the métropole's 23 communes, their real outlines
(IGN Admin Express, credited in the map's attribution) and their names.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QFile, QIODevice
from PySide6.QtWebChannel import QWebChannel  # noqa: F401  (registers qwebchannel.js)

from services.domain.geography import Commune
from widgets.palette import map_css_variables

#: Dijon Métropole's centre and a zoom that shows its 23 communes on a workstation's screen:
#: where the page starts, until it fits the communes' outlines to the panel's real size.
CENTRE = (47.3215, 5.0415)
ZOOM = 12
#: The outlines' source, as its licence asks it to be credited.
OUTLINES_CREDIT = QT_TRANSLATE_NOOP("map", "Commune outlines: IGN Admin Express, Licence Ouverte")


@dataclass(frozen=True, slots=True)
class TileSource:
    """A tile server the operators' organisation runs or allows (``{z}/{x}/{y}`` URL)."""

    url: str
    attribution: str


def asset_folder() -> Path:
    """``resources/map``: the page's own script and style sheet."""
    return Path(str(resources.files("resources").joinpath("map")))


def _asset_uris() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    jquery = Path(xstatic.pkg.jquery.BASE_DIR)
    own = asset_folder()
    scripts = [
        ("leaflet", (leaflet / "leaflet.js").as_uri()),
        ("jquery", (jquery / "jquery.min.js").as_uri()),  # folium's popups need it
        ("vigie_map", (own / "vigie_map.js").as_uri()),
    ]
    sheets = [
        ("leaflet_css", (leaflet / "leaflet.css").as_uri()),
        ("vigie_map_css", (own / "vigie_map.css").as_uri()),
    ]
    return scripts, sheets


def _webchannel_script() -> str:
    """Qt's qwebchannel.js, inlined: the page then asks for nothing but files."""
    source = QFile(":/qtwebchannel/qwebchannel.js")
    if not source.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("qwebchannel.js is missing from Qt's resources")
    try:
        return bytes(source.readAll().data()).decode("utf-8")
    finally:
        source.close()


def build_page(
    communes: Sequence[Commune], legend: Sequence[tuple[str, str]], tiles: TileSource | None
) -> str:
    """The page's HTML. ``legend``: (SVG symbol, the operator's words for it) pairs."""
    page = folium.Map(
        location=CENTRE,
        zoom_start=ZOOM,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        min_zoom=10,
        max_zoom=19,
    )
    scripts, sheets = _asset_uris()
    page.default_js = scripts
    page.default_css = sheets
    if tiles is not None:
        folium.TileLayer(tiles=tiles.url, attr=tiles.attribution, max_zoom=19).add_to(page)
    root = page.get_root()
    root.header.add_child(folium.Element(f"<script>{_webchannel_script()}</script>"))
    root.header.add_child(
        folium.Element(f"<script>window.vigieBase = {_base(communes, tiles)};</script>")
    )
    # The colours of the theme in effect; MapPanel sends the others when the theme changes.
    root.header.add_child(folium.Element(f"<style>{map_css_variables()}</style>"))
    rows = "".join(f"<div>{symbol}{html.escape(text)}</div>" for symbol, text in legend)
    # Folded to its title on a narrow map (the page decides, at its real size): open, it
    # covered a third of a dispatcher's map at 1366×768. A click opens it.
    title = html.escape(QCoreApplication.translate("map", "Legend"))
    root.html.add_child(
        folium.Element(
            '<details class="vm-legend" open style="position:absolute; right:10px; top:10px;'
            f' z-index:1000"><summary>{title}</summary>{rows}</details>'
        )
    )
    # After folium's own script, which defines the map (and runs before "load").
    root.script.add_child(
        folium.Element(f'window.addEventListener("load", () => vigie.start({page.get_name()}));')
    )
    return root.render()


def _base(communes: Sequence[Commune], tiles: TileSource | None) -> str:
    """The base the page draws itself (``vigieBase``), as a script's JSON.

    The outlines as GeoJSON (properties ``insee`` and ``name``); each name where it can be
    written inside its outline; the credit the outlines' licence asks for.
    """
    features = [
        {
            "type": "Feature",
            "properties": {"insee": c.insee, "name": c.name},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[list(p) for p in ring] for ring in c.outline.rings],
            },
        }
        for c in communes
        if c.outline is not None
    ]
    names = [
        [c.insee, c.name, *(c.outline.inner_point() if c.outline else (c.lat, c.lon))]
        for c in communes
    ]
    base = {
        "outlines": {"type": "FeatureCollection", "features": features} if features else None,
        "names": names,
        "attribution": QCoreApplication.translate("map", OUTLINES_CREDIT) if features else "",
        "tiles": tiles is not None,
    }
    # "</" would end the script element early: JSON allows "<\/" for it
    return json.dumps(base, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
