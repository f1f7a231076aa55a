"""Which datasets an export writes: the city may drop any, add only the camera locations.

``opendata_datasets`` (comma-separated) names the datasets to publish; empty publishes every
public one. The camera locations are published only when named (a city that shows where its
cameras are decides it). A name among ``FORBIDDEN`` is refused with the reason it never will be,
so that a setting cannot turn the export into the surveillance feed its critics fear.
"""

from __future__ import annotations

from services.domain.errors import InvalidInput

#: Published unless the city drops them, in the catalogue's order.
PUBLIC = (
    "eclairage-energie",
    "eclairage-pannes",
    "trafic-debit",
    "priorite-bus",
    "signalements-commune",
    "signalements-grille",
    "viabilite-hivernale",
    "plan-neige",
)
#: Published only when the city names them.
OPT_IN = ("cameras",)
#: Never published, whatever a setting says, and why (``opendata.never_{why}``, a sentence of
#: console/text/messages.py).
FORBIDDEN = {
    "positions": "positions",
    "positions-unites": "positions",
    "unit-positions": "positions",
    "traces": "positions",
    "tracks": "positions",
    "patrouilles": "positions",
    "donnees-personnelles": "personal",
    "personal-data": "personal",
    "appelants": "personal",
    "textes-signalements": "free_text",
    "incident-text": "free_text",
    "descriptions": "free_text",
    "photos": "photos",
    "operateurs": "operators",
    "operators": "operators",
    "journal": "operators",
    "audit": "operators",
    "vues-cameras": "camera_views",
    "camera-views": "camera_views",
    "videos": "camera_views",
}


def chosen(setting: str) -> tuple[str, ...]:
    """The datasets ``setting`` names (every public one when empty), in the catalogue's order."""
    names = [n.strip().lower() for n in setting.split(",") if n.strip()]
    if not names:
        return PUBLIC
    for name in names:
        if name in FORBIDDEN:
            raise InvalidInput(
                f"opendata.never_{FORBIDDEN[name]}", value=name, key="opendata_datasets"
            )
        if name not in PUBLIC + OPT_IN:
            raise InvalidInput(
                "opendata.unknown_dataset",
                value=name,
                key="opendata_datasets",
                known=", ".join(PUBLIC + OPT_IN),
            )
    return tuple(n for n in PUBLIC + OPT_IN if n in names)
