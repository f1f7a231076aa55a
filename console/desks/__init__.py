"""One desk per workflow.

A desk builds its panels, declares their docks, connects their signals and runs its acts as
coroutines on the bridge's lanes. Desks share a ``Seat``.
"""
