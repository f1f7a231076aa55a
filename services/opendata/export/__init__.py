"""Open data exports: the record's aggregates as CSV and GeoJSON, and their DCAT-AP catalogue.

``vigie opendata export`` and ``vigie opendata serve``'s daily run write the same files
(docs/opendata.md). What may be published is decided here and nowhere else: a dataset is one of
``selection.PUBLIC`` (or the opt-in camera locations); unit positions, personal data, free text,
photos, operators' names and camera views are not datasets at all, and a city's settings naming
one are refused. Counts drawn from incidents pass through k-anonymity
(``services.domain.disclosure``) before any file is written.
"""

from services.opendata.export.run import ExportReport, export

__all__ = ["ExportReport", "export"]
