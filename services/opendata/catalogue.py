"""The export's DCAT-AP catalogue (JSON-LD), as data.gouv.fr and the European portal harvest it.

DCAT-AP 2 and 3 share every property used here. The ``@context`` is written inline, so that no
reader has to fetch one (nothing here reaches the internet, and a harvester need not either).
Texts are language-tagged literals (``fr`` and ``en``), links are IRIs from the EU's authority
tables (data themes, frequencies, file types, languages) and IANA's media types.

Download links are ``base_url`` joined with the file's name. With no ``base_url`` they are the
bare names, relative IRIs: a reader resolves them against where it found the catalogue, which
sits in the same folder as the files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote, urlsplit

from services.config import ETALAB_2

__all__ = ["CONTEXT", "ETALAB_2", "Dataset", "Distribution", "catalogue"]

_EU = "http://publications.europa.eu/resource/authority/"
FRENCH = _EU + "language/FRA"
_FREQUENCY = _EU + "frequency/"
_FILE_TYPE = _EU + "file-type/"
_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CATALOGUE = "catalogue.jsonld"


@dataclass(frozen=True)
class Distribution:
    file: str  # name relative to the export folder, e.g. "incidents-commune-semaine.csv"
    media_type: str  # "text/csv" | "application/geo+json"
    format: str  # "CSV" | "GeoJSON"
    byte_size: int
    sha256: str  # hex


@dataclass(frozen=True)
class Dataset:
    id: str  # "incidents-commune-semaine"
    title: Mapping[str, str]  # {"fr": ..., "en": ...}
    description: Mapping[str, str]
    keywords: tuple[str, ...]  # French keywords
    theme: str  # an EU data theme URI (.../data-theme/TRAN, ENER, GOVE, REGI, ENVI)
    temporal: tuple[date, date] | None
    accrual: str  # EU frequency authority URI tail: "DAILY" | "WEEKLY"
    distributions: tuple[Distribution, ...]


def _iri(value: str) -> dict:
    return {"@id": value}


def _texts(by_language: Mapping[str, str]) -> list[dict]:
    return [{"@value": text, "@language": lang} for lang, text in by_language.items()]


def _typed(value: str, datatype: str) -> dict:
    return {"@value": value, "@type": datatype}


def _link(base_url: str, name: str) -> str:
    name = quote(name)
    return f"{base_url.rstrip('/')}/{name}" if base_url else name


def _spatial(spatial: str) -> dict:
    """An IRI (a GeoNames or INSEE place) as is; a bare name as a dct:Location's label."""
    if urlsplit(spatial).scheme:
        return _iri(spatial)
    return {"@type": "dct:Location", "skos:prefLabel": {"@value": spatial, "@language": "fr"}}


def _distribution(item: Distribution, base_url: str, licence: str, stamp: dict) -> dict:
    url = _link(base_url, item.file)
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": item.file,
        "dcat:accessURL": _iri(url),
        "dcat:downloadURL": _iri(url),
        # the EU file-type table spells GeoJSON in capitals
        "dct:format": _iri(_FILE_TYPE + item.format.upper()),
        "dcat:mediaType": _iri(_MEDIA_TYPE + item.media_type),
        "dcat:byteSize": _typed(str(item.byte_size), "xsd:decimal"),  # DCAT-AP 2's datatype
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _iri("spdx:checksumAlgorithm_sha256"),
            "spdx:checksumValue": _typed(item.sha256.lower(), "xsd:hexBinary"),
        },
        "dct:license": _iri(licence),
        "dct:issued": stamp,
        "dct:modified": stamp,
    }


def _dataset(item: Dataset, base_url: str, common: dict, licence: str, stamp: dict) -> dict:
    node = {
        "@id": _link(base_url, CATALOGUE) + "#" + quote(item.id),
        "@type": "dcat:Dataset",
        "dct:identifier": item.id,
        "dct:title": _texts(item.title),
        "dct:description": _texts(item.description),
        "dcat:keyword": [{"@value": word, "@language": "fr"} for word in item.keywords],
        "dcat:theme": _iri(item.theme),
        "dct:accrualPeriodicity": _iri(_FREQUENCY + item.accrual),
        **common,
        "dcat:distribution": [
            _distribution(d, base_url, licence, stamp) for d in item.distributions
        ],
    }
    if item.temporal is not None:
        start, end = item.temporal
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _typed(start.isoformat(), "xsd:date"),
            "dcat:endDate": _typed(end.isoformat(), "xsd:date"),
        }
    return node


def catalogue(
    datasets: Sequence[Dataset],
    *,
    base_url: str,
    title: Mapping[str, str],
    publisher: str,
    licence: str = ETALAB_2,
    issued: datetime,
    spatial: str,
) -> dict:
    """The JSON-LD document: a ``dcat:Catalog`` holding every dataset and its files."""
    if base_url and not (urlsplit(base_url).scheme and urlsplit(base_url).netloc):
        raise ValueError(f"base_url must be an absolute URL or empty: {base_url!r}")
    if issued.tzinfo is None:
        raise ValueError("issued must carry its time zone")
    stamp = _typed(
        issued.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "xsd:dateTime",
    )
    common = {
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
        "dct:language": _iri(FRENCH),
        "dct:spatial": _spatial(spatial),
        "dct:license": _iri(licence),
        "dct:issued": stamp,
        "dct:modified": stamp,
    }
    return {
        "@context": CONTEXT,
        "@id": _link(base_url, CATALOGUE),
        "@type": "dcat:Catalog",
        "dct:title": _texts(title),
        **common,
        "dcat:dataset": [_dataset(d, base_url, common, licence, stamp) for d in datasets],
    }
