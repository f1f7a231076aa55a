"""Data Vigie ships: the Dijon reference table, translations, and later the map page and playbooks.

Read through ``importlib.resources`` so that a plain (non-editable) install finds it.
"""
