"""The three published forms of every Smart Data Model read as one (services.bus.ngsi).

The normalized examples (NGSI-v2 in fixtures/smart-data-models/normalized/, NGSI-LD in
fixtures/smart-data-models/ld/) are the Smart Data Models' own, copied byte for byte: each must
come out as its model's keyValues example says, where the published examples agree.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.bus.codec import Decoder
from services.bus.messages import Rejection
from services.bus.ngsi import to_key_values
from services.bus.topics import Topics
from services.reference import communes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "smart-data-models"
NOW = datetime(2026, 11, 25, 17, tzinfo=UTC)
T = Topics("vigie")

#: Each model and the topic tests/fixtures/README.md publishes it on.
TOPICS = {
    "Streetlight": T.state("Streetlight", "streetlight:guadalajara:4567"),
    "StreetlightGroup": T.state("StreetlightGroup", "streetlightgroup:mycity:A12"),
    "StreetlightControlCabinet": T.state(
        "StreetlightControlCabinet", "streetlightcontrolcabinet:A45HGJK"
    ),
    "Camera": T.state("Camera", "camera:dijon:cam2"),
    "WeatherObserved": T.state("WeatherObserved", "weather:valladolid"),
    "TrafficFlowObserved": T.state(
        "TrafficFlowObserved", "TrafficFlowObserved-Valladolid-osm-60821110"
    ),
    "Vehicle": T.unit_position("vehicle:WasteManagement:1"),
    "Alert": T.alerts,
    "Open311ServiceRequest": T.reports,
}
MODELS = sorted(TOPICS)

#: Where the published examples of one model disagree with each other, not with us:
#: (model, form) -> the attributes whose values differ between the two examples compared.
DISAGREE = {
    # the keyValues fixture predates the rename of cityID/zoneID to cityId/zoneId
    ("Streetlight", "v2"): {"municipalityInfo"},
    # the LD keyValues example still says cityID/zoneID, the LD normalized one cityId/zoneId
    ("Streetlight", "ld"): {"municipalityInfo"},
    # the normalized examples swap longitude and latitude (and v2's latitude is 91.28)
    ("Camera", "v2"): {"location"},
    ("Camera", "ld"): {"location"},
    # other readings of the same station
    ("WeatherObserved", "v2"): {"precipitation", "relativeHumidity"},
    # the keyValues address carries "type": "PostalAddress"; dateObserved an interval there
    ("TrafficFlowObserved", "ld"): {"address", "dateObserved"},
    # "connected" / "Connected", "600" / 600
    ("Vehicle", "ld"): {"deviceBatteryStatus", "vehicleAltitude"},
    # the keyValues fixture is an older version, its attributes a dict
    ("Open311ServiceRequest", "v2"): {"attributes"},
    # "2010-04-15T06:37:38-08:00Z" in the normalized example
    ("Open311ServiceRequest", "ld"): {"expected_datetime"},
}


def _load(path: Path):
    return json.loads(path.read_bytes())


def _normalized(model: str, form: str) -> Path:
    if form == "v2":
        return FIXTURES / "normalized" / f"{model}.json"
    return FIXTURES / "ld" / f"{model}.normalized.jsonld"


def _key_values_example(model: str, form: str) -> dict:
    """The keyValues example to compare with: v2's plain one, or LD's (less its @context)."""
    if form == "v2":
        return _load(FIXTURES / f"{model}.json")
    example = _load(FIXTURES / "ld" / f"{model}.jsonld")
    return {k: v for k, v in example.items() if k != "@context"}


def _is_ngsi_attribute(value) -> bool:
    return isinstance(value, dict) and "type" in value and ("value" in value or "object" in value)


def test_every_model_has_its_three_forms():
    for model in MODELS:
        for path in (
            FIXTURES / f"{model}.json",
            _normalized(model, "v2"),
            _normalized(model, "ld"),
            FIXTURES / "ld" / f"{model}.jsonld",
        ):
            assert isinstance(_load(path), dict), path


# --- the published examples ------------------------------------------------------------------
@pytest.mark.parametrize("form", ["v2", "ld"])
@pytest.mark.parametrize("model", MODELS)
def test_normalized_example_reads_as_its_key_values_example(model, form):
    body = _load(_normalized(model, form))
    out = to_key_values(body)
    expected = _key_values_example(model, form)
    assert out is not body
    assert out["id"] == body["id"] and out["type"] == model
    assert "@context" not in out
    shared = (set(out) & set(expected)) - {"id"} - DISAGREE.get((model, form), set())
    assert len(shared) >= 5, sorted(shared)
    assert {k: out[k] for k in shared} == {k: expected[k] for k in shared}
    # every attribute is a value, never an NGSI attribute object left over
    assert not [k for k, v in out.items() if _is_ngsi_attribute(v)]
    assert set(out) == set(body) - {"@context"}  # nothing lost, nothing invented


@pytest.mark.parametrize("form", ["v2", "ld"])
@pytest.mark.parametrize("model", MODELS)
def test_normalized_location_becomes_geojson(model, form):
    out = to_key_values(_load(_normalized(model, form)))
    location = out["location"]  # every published example has one
    assert location["type"] in {"Point", "LineString", "MultiLineString", "Polygon"}
    assert isinstance(location["coordinates"], list)


def test_disagreements_listed_are_real():
    """Each exception above is needed: its attributes do differ (else remove it)."""
    for (model, form), names in DISAGREE.items():
        out = to_key_values(_load(_normalized(model, form)))
        expected = _key_values_example(model, form)
        for name in names:
            assert out[name] != expected[name], (model, form, name)


def test_ld_relationships_and_datetimes_are_their_values():
    light = to_key_values(_load(_normalized("Streetlight", "ld")))
    assert light["refStreetlightGroup"] == "urn:ngsi-ld:StreetlightGroup:streetlightgroup:G345"
    assert light["dateLastLampChange"] == "2016-07-08T08:02:21.753Z"
    assert light["observationDateTime"] == "2021-01-11T15:51:02+05:30"
    cabinet = to_key_values(_load(_normalized("StreetlightControlCabinet", "ld")))
    assert isinstance(cabinet["refStreetlightGroup"], list)  # a relationship to several
    camera = to_key_values(_load(_normalized("Camera", "ld")))
    assert camera["startDateTime"] == "2021-05-11T06:30:00.020Z"  # "@type": "Datetime" there
    vehicle = to_key_values(_load(_normalized("Vehicle", "ld")))
    assert vehicle["speed"] == 50  # its observedAt dropped


def test_v2_metadata_is_dropped():
    vehicle = to_key_values(_load(_normalized("Vehicle", "v2")))
    assert vehicle["speed"] == 50
    assert vehicle["location"] == {
        "type": "Point",
        "coordinates": [-3.164485591715449, 40.62785133667262],
    }


@pytest.mark.parametrize("model", MODELS)
def test_key_values_example_is_returned_itself(model):
    body = _load(FIXTURES / f"{model}.json")
    assert to_key_values(body) is body


@pytest.mark.parametrize("model", MODELS)
def test_key_values_with_context_loses_only_its_context(model):
    body = _load(FIXTURES / "ld" / f"{model}.jsonld")
    out = to_key_values(body)
    assert "@context" in body and "@context" not in out
    assert out == {k: v for k, v in body.items() if k != "@context"}


# --- each shape ---------------------------------------------------------------------------------
def test_v2_geo_point_text_becomes_a_geojson_point():
    body = {
        "id": "a",
        "type": "Streetlight",
        "location": {"type": "geo:point", "value": "47.3, 5.04"},
    }
    assert to_key_values(body)["location"] == {"type": "Point", "coordinates": [5.04, 47.3]}
    for text in ("47.3", "north, east", "nan, 5", "1, 2, 3"):
        odd = {"id": "a", "type": "Streetlight", "location": {"type": "geo:point", "value": text}}
        assert to_key_values(odd)["location"] == text  # validation will say it is no place


def test_ld_shapes():
    body = {
        "id": "urn:ngsi-ld:Streetlight:1",
        "type": "Streetlight",
        "name": {"type": "LanguageProperty", "languageMap": {"fr": "Place Darcy", "en": "Darcy"}},
        "powerState": [
            {"type": "Property", "value": "off", "datasetId": "urn:ngsi-ld:Dataset:b"},
            {"type": "Property", "value": "on"},
        ],
        "refGroups": {"type": "ListRelationship", "objectList": [{"object": "urn:a"}]},
        "levels": {"type": "ListProperty", "valueList": [1, 2]},
        "category": {"type": "VocabProperty", "vocab": "street"},
        "config": {"type": "JsonProperty", "json": {"any": ["thing"]}},
        "refCabinet": {"type": "Relationship", "object": ["urn:c1", "urn:c2"]},
        "status": {"type": "Property", "value": "ok", "observedAt": "2026-01-01T00:00:00Z"},
    }
    assert to_key_values(body) == {
        "id": "urn:ngsi-ld:Streetlight:1",
        "type": "Streetlight",
        "name": "Place Darcy",
        "powerState": "on",
        "refGroups": ["urn:a"],
        "levels": [1, 2],
        "category": "street",
        "config": {"any": ["thing"]},
        "refCabinet": ["urn:c1", "urn:c2"],
        "status": "ok",
    }


def test_expanded_names_are_shortened():
    body = {
        "id": "urn:ngsi-ld:Streetlight:1",
        "type": "https://smartdatamodels.org/dataModel.Streetlighting/Streetlight",
        "https://smartdatamodels.org/dataModel.Streetlighting/powerState": {
            "type": "Property",
            "value": "on",
        },
        "https://uri.etsi.org/ngsi-ld/location": {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [5.04, 47.3]},
        },
        "https://w3id.org/saref#status": {"type": "Property", "value": "ok"},
    }
    assert to_key_values(body) == {
        "id": "urn:ngsi-ld:Streetlight:1",
        "type": "Streetlight",
        "powerState": "on",
        "location": {"type": "Point", "coordinates": [5.04, 47.3]},
        "status": "ok",
    }


def test_an_expanded_name_never_overwrites_a_short_one():
    body = {
        "id": "a",
        "type": "Streetlight",
        "status": {"type": "Property", "value": "ok"},
        "https://example.org/status": {"type": "Property", "value": "fault"},
    }
    out = to_key_values(body)
    assert out["status"] == "ok" and out["https://example.org/status"] == "fault"


def test_key_values_with_expanded_names_and_no_context_are_shortened():
    body = {
        "id": "urn:ngsi-ld:Streetlight:1",
        "type": "https://smartdatamodels.org/dataModel.Streetlighting/Streetlight",
        "https://smartdatamodels.org/dataModel.Streetlighting/powerState": "on",
    }
    assert to_key_values(body) == {
        "id": "urn:ngsi-ld:Streetlight:1",
        "type": "Streetlight",
        "powerState": "on",
    }


def test_unknown_attribute_shapes_are_kept():
    odd = {"type": "Property"}  # no value
    geometry = {"type": "Point", "coordinates": [5.04, 47.3]}
    body = {"id": "a", "type": "Streetlight", "status": {"type": "Text", "value": "ok"}}
    out = to_key_values({**body, "odd": odd, "location": geometry})
    assert out["status"] == "ok" and out["odd"] == odd and out["location"] == geometry


@pytest.mark.parametrize(
    "body",
    [
        # one plain value: not normalized (a mixture is validation's to judge)
        {"id": "a", "status": "ok", "powerState": {"type": "Text", "value": "on"}},
        # objects, none an NGSI attribute
        {"id": "a", "type": "Streetlight", "location": {"type": "Point", "coordinates": [5, 47]}},
        {"type": "Property"},
        {},
    ],
)
def test_what_is_not_recognisably_normalized_is_returned_itself(body):
    assert to_key_values(body) is body


# --- never raises -------------------------------------------------------------------------------
GARBAGE = [
    None,
    0,
    1.5,
    "text",
    [],
    [{"type": "Property", "value": 1}],
    {"type": "Property"},
    {"id": "a", "x": {"type": "Property"}},
    {"id": "a", "x": {"type": "Property", "value": None}},
    {"id": "a", "x": {"type": None, "value": {"@value": None}}},
    {"id": "a", "x": {"type": "geo:point", "value": 3}},
    {"id": "a", "x": {"type": "geo:point", "value": ","}},
    {"id": "a", "x": {"type": "LanguageProperty", "languageMap": []}},
    {"id": "a", "x": {"type": "LanguageProperty", "languageMap": {}}},
    {"id": "a", "x": {"type": "ListRelationship", "objectList": 7}},
    {"id": "a", "x": {"type": "ListRelationship", "objectList": [1, {"object": 2}, {}]}},
    {"id": "a", "x": {"type": "ListProperty", "valueList": "no"}},
    {"id": "a", "x": [{"type": "Property", "value": 1, "datasetId": "d"}]},
    {"id": "a", "x": [{"type": "Property", "value": 1}, "plain"]},
    {"id": {"type": "Property", "value": 1}, "type": ["A", "B"], "x": {"type": 1, "object": {}}},
    {"@context": 5, "x": {"type": "Property", "value": [[[{"type": "Property"}]]]}},
    {"https://": {"type": "Property", "value": 1}, "http://a/#": {"type": "Text", "value": 2}},
    {1: {"type": "Property", "value": 1}, None: "plain"},  # not JSON, still no exception
]


@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(body):
    out = to_key_values(body)
    if not isinstance(body, dict):
        assert out is body


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.sampled_from(["Property", "geo:point", "1, 2", "@value", "https://a/b#c"])
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "value",
                    "object",
                    "languageMap",
                    "valueList",
                    "objectList",
                    "@value",
                ]
                + ["@context", "datasetId", "vocab", "json", "https://x.org/y", "location", "z"]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_any_json_never_raises(body):
    out = to_key_values(body)
    assert out is body or isinstance(out, dict)


# --- through the decoder ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def decoder():
    return Decoder(T, communes())


@pytest.mark.parametrize("form", ["v2", "ld"])
@pytest.mark.parametrize("model", MODELS)
def test_normalized_example_is_ingested_on_its_topic(decoder, model, form):
    message = decoder.decode(TOPICS[model], _normalized(model, form).read_bytes(), NOW)
    assert message is not None
    if (model, form) == ("Camera", "v2"):
        # Its published latitude is 91.28: refused for that reason, and no longer for its form.
        assert isinstance(message, Rejection) and "location" in message.reason
        assert "geo:json" not in message.reason
        return
    assert not isinstance(message, Rejection), message.reason
