"""Dock panels and reusable widgets.

They get their models and callables from the console and never import the bus or the store.
"""
