"""How long the record keeps what: the periods, as plain values (CNIL's rules and the city's).

The recorder purges by them (``services.recorder.retention``); a console shows nothing older
than they keep (the map's trails). Plain data: no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Retention:
    positions_full: timedelta = timedelta(hours=48)  # every point, then one a minute
    positions_kept: timedelta = timedelta(days=60)  # CNIL's rule for vehicle geolocation
    position_step: timedelta = timedelta(minutes=1)
    quarantine: timedelta = timedelta(days=30)
    personal_data_after_close: timedelta = timedelta(days=30)
    # A camera's snapshot (a recording): its file goes, its row stays as the journal of it.
    # The CNIL's month for images; Vigie keeps no other footage.
    snapshots: timedelta = timedelta(days=30)
    # A lighting cabinet's meter readings: a year and a month, so that a whole year's bill
    # (the supplier's yearly statement, which comes weeks after the year) can be checked against
    # them; their nightly sums (``energy_nights``) are kept: nothing personal, 23 rows a night.
    energy_readings: timedelta = timedelta(days=400)
    # Salt depots' stock readings: a winter and the next (this winter's use against the last).
    # The other open-data aggregates (traffic per hour, bus priority per day, snow passes per
    # episode, the modes' periods) are kept: nothing personal in them, a few rows per device a
    # day, and the published series must not lose its past.
    salt_readings: timedelta = timedelta(days=400)
    # A point dated further ahead than this was never a real observation (a clock in the
    # future, recorded before the decoder bounded times): it is purged, not kept for ever.
    future_tolerance: timedelta = timedelta(minutes=5)
