"""The DCAT-AP catalogue read back by a JSON-LD processor written by others (pyld), offline."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from pyld import jsonld

from services.opendata.catalogue import ETALAB_2, Dataset, Distribution, catalogue

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
BASE = "https://data.dijon.example/opendata"

DATASETS = (
    Dataset(
        id="signalements-commune",
        title={"fr": "Signalements par commune et par semaine", "en": "Incidents per commune"},
        description={"fr": "Comptes k-anonymes.", "en": "k-anonymous counts."},
        keywords=("signalements", "sécurité"),
        theme=THEME + "GOVE",
        temporal=(date(2026, 1, 5), date(2026, 2, 1)),
        accrual="WEEKLY",
        distributions=(
            Distribution("signalements-commune.csv", "text/csv", "CSV", 1234, "ab" * 32),
        ),
    ),
    Dataset(
        id="signalements-grille",
        title={"fr": "Signalements sur une grille de 250 m", "en": "Incidents on a 250 m grid"},
        description={"fr": "Lambert-93.", "en": "Lambert-93."},
        keywords=("grille",),
        theme=THEME + "REGI",
        temporal=None,
        accrual="WEEKLY",
        distributions=(
            Distribution("signalements-grille.csv", "text/csv", "CSV", 99, "CD" * 32),
            Distribution(
                "signalements-grille.geojson", "application/geo+json", "GeoJSON", 4321, "0f" * 32
            ),
        ),
    ),
)
FILES = [d.file for ds in DATASETS for d in ds.distributions]
ISSUED = datetime(2026, 2, 2, 4, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))


def _document(**overrides):
    arguments = {
        "base_url": BASE,
        "title": {"fr": "Données ouvertes", "en": "Open data"},
        "publisher": "Dijon Métropole",
        "issued": ISSUED,
        "spatial": "Dijon Métropole",
    }
    return catalogue(DATASETS, **{**arguments, **overrides})


def _offline(url, options=None):
    raise AssertionError(f"the JSON-LD processor asked the network for {url}")


@pytest.fixture(autouse=True)
def no_network_loader():
    """Every document loader raises: a remote @context would fail the test, not be fetched."""
    before = jsonld.get_document_loader()
    jsonld.set_document_loader(_offline)
    yield
    jsonld.set_document_loader(before)


def _expand(document, **options):
    # the JSON text, as a harvester reads the file
    return jsonld.expand(json.loads(json.dumps(document)), {"documentLoader": _offline, **options})


def _nodes(expanded, type_):
    found = []

    def walk(value):
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            if type_ in value.get("@type", []):
                found.append(value)
            for item in value.values():
                walk(item)

    walk(expanded)
    return found


def _ids(node, prop):
    return [v["@id"] for v in node.get(prop, [])]


def test_the_context_is_inline():
    document = _document()
    assert isinstance(document["@context"], dict)
    assert all(isinstance(v, str) for v in document["@context"].values())


def test_every_distribution_names_its_file_as_access_and_download_url():
    expanded = _expand(_document())
    distributions = _nodes(expanded, DCAT + "Distribution")
    assert len(distributions) == len(FILES)
    for node, name in zip(distributions, FILES, strict=True):
        url = f"{BASE}/{name}"
        assert _ids(node, DCAT + "accessURL") == [url]
        assert _ids(node, DCAT + "downloadURL") == [url]
    assert len(_nodes(expanded, DCAT + "Dataset")) == 2
    assert len(_nodes(expanded, DCAT + "Catalog")) == 1


def test_a_trailing_slash_on_the_base_url_makes_no_double_slash():
    flat = json.dumps(_expand(_document(base_url=BASE + "/")))
    assert f"{BASE}/signalements-commune.csv" in flat and "opendata//" not in flat


def test_without_a_base_url_the_links_are_the_file_names_relative_to_the_catalogue():
    document = _document(base_url="")
    links = [d["dcat:downloadURL"]["@id"] for ds in document["dcat:dataset"] for d in
             ds["dcat:distribution"]]  # fmt: skip
    assert links == FILES
    # a reader resolves them against where it found the catalogue
    where = "https://portail.example/jeu/catalogue.jsonld"
    expanded = _expand(document, base=where)
    for node, name in zip(_nodes(expanded, DCAT + "Distribution"), FILES, strict=True):
        assert _ids(node, DCAT + "accessURL") == ["https://portail.example/jeu/" + name]


def test_a_relative_base_url_is_refused():
    with pytest.raises(ValueError):
        _document(base_url="opendata/")
    with pytest.raises(ValueError):
        _document(issued=datetime(2026, 2, 2))  # no time zone: no UTC to give


def test_the_licence_defaults_to_etalab_2_and_can_be_another():
    assert ETALAB_2 == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    expanded = _expand(_document())
    for node in _nodes(expanded, DCAT + "Distribution") + _nodes(expanded, DCAT + "Catalog"):
        assert _ids(node, DCT + "license") == [ETALAB_2]
    odbl = "https://opendatacommons.org/licenses/odbl/1-0/"
    other = _expand(_document(licence=odbl))
    assert all(
        _ids(node, DCT + "license") == [odbl] for node in _nodes(other, DCAT + "Distribution")
    )


def test_titles_and_descriptions_come_out_in_french_and_english():
    expanded = _expand(_document())
    for node, dataset in zip(_nodes(expanded, DCAT + "Dataset"), DATASETS, strict=True):
        for prop, texts in ((DCT + "title", dataset.title), (DCT + "description",
                                                             dataset.description)):  # fmt: skip
            got = {v["@language"]: v["@value"] for v in node[prop]}
            assert got == dict(texts)
        assert {v["@language"] for v in node[DCAT + "keyword"]} == {"fr"}
    (root,) = _nodes(expanded, DCAT + "Catalog")
    assert {v["@language"]: v["@value"] for v in root[DCT + "title"]} == {
        "fr": "Données ouvertes",
        "en": "Open data",
    }


def test_sizes_checksums_formats_dates_and_period():
    expanded = _expand(_document())
    grid_geojson = _nodes(expanded, DCAT + "Distribution")[2]
    assert grid_geojson[DCAT + "byteSize"] == [{"@type": XSD + "decimal", "@value": "4321"}]
    assert _ids(grid_geojson, DCT + "format") == [
        "http://publications.europa.eu/resource/authority/file-type/GEOJSON"
    ]
    assert _ids(grid_geojson, DCAT + "mediaType") == [
        "https://www.iana.org/assignments/media-types/application/geo+json"
    ]
    (checksum,) = grid_geojson[SPDX + "checksum"]
    assert _ids(checksum, SPDX + "algorithm") == [SPDX + "checksumAlgorithm_sha256"]
    assert checksum[SPDX + "checksumValue"][0]["@value"] == "0f" * 32
    # issued in UTC, to the second
    assert grid_geojson[DCT + "issued"] == [
        {"@type": XSD + "dateTime", "@value": "2026-02-02T03:30:15Z"}
    ]
    assert grid_geojson[DCT + "modified"] == grid_geojson[DCT + "issued"]
    first, second = _nodes(expanded, DCAT + "Dataset")
    (period,) = first[DCT + "temporal"]
    assert period["@type"] == [DCT + "PeriodOfTime"]
    assert period[DCAT + "startDate"] == [{"@type": XSD + "date", "@value": "2026-01-05"}]
    assert period[DCAT + "endDate"] == [{"@type": XSD + "date", "@value": "2026-02-01"}]
    assert DCT + "temporal" not in second
    assert _ids(first, DCAT + "theme") == [THEME + "GOVE"]
    assert _ids(first, DCT + "accrualPeriodicity") == [
        "http://publications.europa.eu/resource/authority/frequency/WEEKLY"
    ]
    assert _ids(first, DCT + "language") == [
        "http://publications.europa.eu/resource/authority/language/FRA"
    ]
    (publisher,) = first[DCT + "publisher"]
    assert publisher["@type"] == [FOAF + "Agent"]
    assert publisher[FOAF + "name"] == [{"@value": "Dijon Métropole"}]


def test_a_place_iri_is_linked_and_a_name_is_labelled():
    geonames = "https://sws.geonames.org/3021372/"
    (root,) = _nodes(_expand(_document(spatial=geonames)), DCAT + "Catalog")
    assert _ids(root, DCT + "spatial") == [geonames]
    (root,) = _nodes(_expand(_document()), DCAT + "Catalog")
    (place,) = root[DCT + "spatial"]
    assert place["@type"] == [DCT + "Location"]


def test_every_iri_is_absolute_when_the_base_url_is_set():
    expanded = _expand(_document())
    ids = []

    def walk(value):
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            if "@id" in value:
                ids.append(value["@id"])
            for item in value.values():
                walk(item)

    walk(expanded)
    assert ids and all(i.startswith(("https://", "http://")) for i in ids), ids
    assert not any("example.org" in i for i in ids)  # pyld's stand-in base: nothing relative
