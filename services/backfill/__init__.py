"""A month of the city's history written straight into the database (``vigie simulate --backfill``).

The simulated field's city (``services.simulator.generation.build_world``: the same seed, the same
Dijon) lived through a month: its lighting cabinets' meter readings and their nights, its
equipment's faults and repairs and what commands did, its vehicles' positions, the room's
incidents and dispatches, its commands and their acks, its mode switches, its camera views and its
logbook, with the audit journal's entries for every act; and the aggregates the recorder keeps for
open data (traffic per loop and hour, bus priority per signal and day, the modes' periods, snow
passes per segment and episode, the salt depots' readings). The simulator may not touch the store
(setup.cfg's ``simulator-apart``): this package, above both, draws the history with the
simulator's own models and writes it with the store's tables, in bulk (``COPY`` on PostgreSQL).
"""

from services.backfill.history import BackfillReport, NotEmpty, backfill

__all__ = ["BackfillReport", "NotEmpty", "backfill"]
