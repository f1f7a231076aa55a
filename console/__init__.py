"""Vigie's application layer, by role.

``cli`` (the command line), ``tools`` (development tools), ``app`` (the composition root),
``desks`` (one per workflow), ``feeds`` (one per subscription), ``shell`` (main window, View
menu, preferences), ``bridge`` and ``text``. setup.cfg's ``console-layers`` contract keeps each
importing only those below it.

Importing this package must not import Qt: ``vigie recorder`` and scripts run without a display.
"""
