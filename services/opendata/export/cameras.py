"""Camera locations: published only when the city turns the dataset on (``opendata_datasets``).

Where a camera stands and what it is called: never what it sees, who looked, or why.
"""

from __future__ import annotations

from services.domain.equipment import EquipmentType
from services.opendata.export import sources
from services.opendata.export.context import Context
from services.opendata.export.files import Built, Csv, GeoJson


def locations(ctx: Context) -> Built:
    cameras = sources.equipment(ctx.session, [EquipmentType.CAMERA.value])
    placed = [c for c in sorted(cameras.values(), key=lambda c: c.id) if c.lat is not None]
    rows = [(c.id, c.name, c.commune, ctx.commune(c.commune), c.lat, c.lon) for c in placed]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
            "properties": {
                "id": c.id,
                "nom": c.name,
                "code_insee": c.commune,
                "commune": ctx.commune(c.commune),
            },  # fmt: skip
        }
        for c in placed
    ]
    header = ("id", "nom", "code_insee", "commune", "latitude", "longitude")
    return Built(
        "cameras",
        (Csv("cameras.csv", header, rows), GeoJson("cameras.geojson", features)),
        None,
        len(rows),
    )
