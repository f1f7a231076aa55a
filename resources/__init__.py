"""Data Vigie ships: reference tables, the map page, the snow network, playbooks, translations.

Dijon's communes and Open311 services (CSV), the map page's script and style, the schematic
winter-service network (GeoJSON), the city's playbook (TOML) and the French catalogue (``.ts``).
Read through ``importlib.resources`` so that a plain (non-editable) install finds it.
"""
