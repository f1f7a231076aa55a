"""The room's logbook (main courante) panel."""
