"""The room's logbook (main courante): dated entries written by operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.domain.errors import InvalidInput

MAX_ENTRY_LENGTH = 4000


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: int
    at: datetime
    operator: str
    text: str


def check_entry_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("journal.empty")
    if len(cleaned) > MAX_ENTRY_LENGTH:
        raise InvalidInput("journal.too_long", maximum=MAX_ENTRY_LENGTH)
    return cleaned
