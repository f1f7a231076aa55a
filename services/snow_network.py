"""Reading the winter-service networks: the bundled schematic one, or the city's GeoJSON."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from services.domain.errors import InvalidInput
from services.domain.geography import valid_coordinates
from services.domain.snow import Network, Segment
from services.reference import city_or_bundled

BUNDLED = "dijon-snow-network.geojson"


class NetworkError(InvalidInput):
    key = "network.invalid"


def load_network(path: str = "") -> tuple[list[Segment], bool]:
    """The segments, and whether the file says it is schematic (the map labels it so)."""
    try:
        name, text = city_or_bundled(path, "networks", BUNDLED)
    except OSError as error:
        raise NetworkError("network.unreadable", source=path, reason=error.strerror) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NetworkError("network.not_json", source=name, reason=str(error)) from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise NetworkError("network.no_features", source=name)
    segments = [_segment(f, name, n) for n, f in enumerate(features)]
    return segments, bool(document.get("schematic"))


def _segment(feature: Any, source: str, n: int) -> Segment:
    where = f"features[{n}]"
    try:
        geometry, props = feature["geometry"], feature["properties"]
        if geometry["type"] != "LineString":
            raise ValueError
        points = tuple((float(lat), float(lon)) for lon, lat, *_ in geometry["coordinates"])
        network = Network(props["network"])
        minutes = int(props.get("target_minutes", 120 if network is Network.PRINCIPAL else 360))
        ident = str(props.get("id") or f"segment-{n}")
    except (KeyError, TypeError, ValueError):
        raise NetworkError("network.bad_segment", source=source, where=where) from None
    if len(points) < 2 or not all(valid_coordinates(lat, lon) for lat, lon in points):
        raise NetworkError("network.bad_segment", source=source, where=where)
    if minutes <= 0:
        raise NetworkError("network.bad_segment", source=source, where=where)
    return Segment(
        ident, str(props.get("name", ident)), network, points, timedelta(minutes=minutes)
    )
