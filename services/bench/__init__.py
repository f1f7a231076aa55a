"""Measurements behind ``vigie bench``.

Each compares Vigie's way with a baseline run in the same process on the same database and reports
the ratio: these machines are too noisy for absolute figures.
"""
