"""What the equipment table asks of the record when it pages: filters, order, and one page.

The console's table at ten times Dijon (340,000 devices) fetches what it shows: the filters and
the order are the database's work (``services.store.equipment_page``), never a pass over every
row on the GUI thread. This is the question the panel asks, as plain values both sides share.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SortKey(StrEnum):
    """The table's columns, as the database orders them."""

    ID = "id"
    TYPE = "type"
    STATE = "state"
    STATUS = "status"
    COMMUNE = "commune"
    GATEWAY = "gateway"
    AGE = "age"  # received_at: ascending, the longest silent first


@dataclass(frozen=True, slots=True)
class EquipmentQuery:
    """Filters (None: any) and an order.

    ``text`` matches a device's id, status code or gateway as typed; ``text_statuses`` and
    ``text_communes`` are the codes whose words match it (the panel knows the words, the
    database the codes).
    """

    type: str | None = None
    state: str | None = None
    commune: str | None = None
    gateway: str | None = None
    text: str | None = None
    text_statuses: tuple[str, ...] = ()
    text_communes: tuple[str, ...] = ()
    sort: SortKey = SortKey.ID
    descending: bool = False
    commune_order: tuple[str, ...] = ()
    """The communes' codes in the order of their names (the column shows names)."""
