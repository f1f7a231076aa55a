"""Vigie's application layer: the command line, and the console's composition root.

Importing this package must not import Qt: ``vigie recorder`` and scripts run without a display.
"""
