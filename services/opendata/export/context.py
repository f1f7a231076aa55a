"""What every dataset's builder is given: the read session, the period, the city's reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.domain.snow import Segment
from services.opendata.export.period import Period


@dataclass(frozen=True)
class Context:
    session: Session
    period: Period
    now: datetime  # UTC
    communes: dict[str, str]  # INSEE code to the commune's name
    segments: tuple[Segment, ...]  # the winter-service network

    def local(self, at: datetime) -> datetime:
        """A time as the room reads it, with its offset (ISO 8601 in the files)."""
        return at.astimezone(self.period.zone).replace(microsecond=0)

    def commune(self, insee: str | None) -> str:
        return self.communes.get(insee or "", "")
