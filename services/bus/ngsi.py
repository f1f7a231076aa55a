"""The NGSI normalized forms of an entity, read as the keyValues form Vigie's contract speaks.

FIWARE context brokers and IoT agents publish a Smart Data Model entity in one of three forms:
keyValues (each attribute is its value: what the field contract describes), NGSI-v2 normalized
(each attribute is ``{"type": T, "value": V, "metadata": {...}}``) and NGSI-LD normalized
(``{"type": "Property", "value": V}``, ``{"type": "Relationship", "object": "urn:..."}``...,
with or without ``@context``, its names possibly expanded to full URIs). ``to_key_values`` turns
the two normalized forms into the first, as a broker asked for ``keyValues`` would, so that one
validation reads all three.

It decides, it does not validate: a body that is not recognisably normalized is returned as it
came and validation says what is wrong with it. It runs for every retained state at a cold start
(34,000 of them), so a keyValues body is recognised at its first plain attribute and returned as
the same object, without a copy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

#: Top-level members that are not attributes: an entity's own, and NGSI-LD's system members.
_MEMBERS = frozenset(
    ("id", "type", "@context", "@id", "@type", "scope", "createdAt", "modifiedAt", "deletedAt")
)

#: How an expanded name (a full URI) begins.
_URI = ("https://", "http://")

#: Where an attribute holds its value, by NGSI-LD attribute kind (NGSI-v2 always has "value").
_VALUE_KEYS = ("value", "object", "languageMap", "valueList", "objectList", "vocab", "json")


def to_key_values(body: Any) -> Any:
    """The keyValues form of an NGSI-v2 or NGSI-LD normalized entity; any other body as it is.

    Args:
        body: A parsed JSON entity (any JSON value is accepted, and anything that is not a
            normalized entity is returned unchanged: the same object).

    Returns:
        For a normalized entity, a new dict: ``id``, ``type`` and each attribute's value (the
        GeoJSON of a location, the target of a relationship, the text of a DateTime, the first
        text of a LanguageProperty), ``@context``, metadata, ``observedAt`` and sub-attributes
        dropped, expanded attribute names shortened. Otherwise ``body`` itself.
    """
    if type(body) is not dict:
        return body
    # A plain value (text, number, list of plain values) means keyValues, or a mixture left for
    # validation to judge. Spelled out for speed: in a keyValues entity one comes within the
    # first few members, and this loop is all a keyValues body costs (0.3 µs for a Streetlight).
    for key, value in body.items():
        kind = type(value)
        if (
            kind is not dict
            and key not in _MEMBERS
            and (kind is not list or not _is_instances(value))
        ):
            # keyValues. NGSI-LD's carries an @context, and a broker asked without one expands
            # the names it has no term for: this one would be, had any been.
            if "@context" in body or (type(key) is str and key.startswith(_URI)):
                return _renamed(body, _as_is)
            return body
    # Every attribute is an object: normalized if one of them at least is an NGSI attribute.
    for value in body.values():
        if type(value) is dict and _is_attribute(value):
            return _key_values(body)
    return body


def _is_attribute(value: dict[str, Any]) -> bool:
    """An NGSI attribute object: a ``type`` and a member holding its value.

    A GeoJSON geometry has a ``type`` but none of these, so a keyValues location is not one.
    """
    if "type" not in value:
        return False
    for key in _VALUE_KEYS:
        if key in value:
            return True
    return False


def _is_instances(value: Any) -> bool:
    """An NGSI-LD multi-attribute: a non-empty list of attribute objects (one per datasetId)."""
    return (
        type(value) is list
        and len(value) > 0
        and all(type(item) is dict and _is_attribute(item) for item in value)
    )


def _key_values(body: dict[str, Any]) -> dict[str, Any]:
    return _renamed(body, _attribute_value)


def _as_is(value: Any) -> Any:
    return value


def _renamed(body: dict[str, Any], value_of: Callable[[Any], Any]) -> dict[str, Any]:
    """``body`` without ``@context``, its names shortened and ``value_of`` each attribute."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key == "@context":
            continue
        if key in _MEMBERS:
            out[key] = _short_name(value) if key == "type" else value
            continue
        name = _short_name(key)
        if name != key and (name in body or name in out):
            name = key  # an expanded name never overwrites the short one it stands for
        out[name] = value_of(value)
    return out


def _is_expanded(name: Any) -> bool:
    return type(name) is str and name.startswith(_URI)


def _short_name(name: Any) -> Any:
    """An expanded attribute name (a URI) back to its term: its fragment or last path segment.

    ``https://smartdatamodels.org/dataModel.Streetlighting/powerState`` is ``powerState``;
    ``https://uri.etsi.org/ngsi-ld/location`` is ``location``. Other names are kept as they are.
    """
    if not _is_expanded(name):
        return name
    term = name.rpartition("#")[2] if "#" in name else name.rstrip("/").rpartition("/")[2]
    return term or name


def _attribute_value(attribute: Any) -> Any:
    """The value of one attribute; an attribute of a shape not known here is kept as it is."""
    if type(attribute) is list:
        if not _is_instances(attribute):
            return attribute
        # A multi-attribute: the default instance (no datasetId) if there is one, else the first.
        default = next((a for a in attribute if "datasetId" not in a), attribute[0])
        return _attribute_value(default)
    if type(attribute) is not dict or "type" not in attribute:
        return attribute
    if "value" in attribute:  # NGSI-v2 (any type), NGSI-LD Property and GeoProperty
        value = attribute["value"]
        if attribute["type"] == "geo:point" and type(value) is str:
            return _geo_point(value)
        return _literal(value)
    if "object" in attribute:  # NGSI-LD Relationship: a URI or a list of them
        return attribute["object"]
    if "languageMap" in attribute:
        return _first_text(attribute["languageMap"])
    if "valueList" in attribute:  # NGSI-LD ListProperty
        values = attribute["valueList"]
        return [_literal(v) for v in values] if type(values) is list else values
    if "objectList" in attribute:  # NGSI-LD ListRelationship
        return _object_list(attribute["objectList"])
    if "vocab" in attribute:  # NGSI-LD VocabProperty
        return attribute["vocab"]
    if "json" in attribute:  # NGSI-LD JsonProperty
        return attribute["json"]
    return attribute  # a type and no value: not an attribute known here


def _literal(value: Any) -> Any:
    """A JSON-LD value object (``{"@type": "DateTime", "@value": "..."}``) as its plain value."""
    if type(value) is dict and "@value" in value:
        return value["@value"]
    return value


def _first_text(language_map: Any) -> Any:
    """A LanguageProperty's first text (the map kept as it is when it is not a map of texts)."""
    if type(language_map) is dict:
        for text in language_map.values():
            return text
    return language_map


def _object_list(objects: Any) -> Any:
    """A ListRelationship's targets: ``[{"object": "urn:a"}, ...]`` as ``["urn:a", ...]``."""
    if type(objects) is not list:
        return objects
    return [o["object"] if type(o) is dict and "object" in o else o for o in objects]


def _geo_point(text: str) -> Any:
    """An NGSI-v2 ``geo:point`` (``"lat, lon"``) as a GeoJSON Point; unreadable text as it is."""
    parts = text.split(",")
    if len(parts) != 2:
        return text
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return text
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return text
    return {"type": "Point", "coordinates": [lon, lat]}
