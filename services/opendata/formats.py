"""GeoReport v2's two formats: XML (required by the specification) and JSON (its mapping).

A list answer is an array in JSON and a root element of items in XML (``services``/``service``,
``service_requests``/``request``, ``errors``/``error``); a service definition is one object.
An empty value is JSON ``null`` and an empty XML element. Every text is UTF-8.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree

from starlette.responses import Response

FORMATS = ("json", "xml")
MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
#: XML element names of each list answer: (root, item).
LISTS = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}
#: Inside a service definition (and the discovery document), the items of these lists.
_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
#: What XML 1.0 cannot carry (control characters but tab, newline and carriage return): a
#: citizen's text holding one would make the whole list unreadable to every XML client.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def answer(fmt: str, kind: str, items: Sequence[Mapping[str, Any]], status: int = 200) -> Response:
    if fmt == "xml":
        root, item = LISTS[kind]
        body = _xml_list(root, item, items)
    else:
        body = _json(list(items))
    return Response(body, status_code=status, media_type=MEDIA_TYPES[fmt])


def definition(fmt: str, value: Mapping[str, Any], root: str = "service_definition") -> Response:
    if fmt == "xml":
        element = ElementTree.Element(root)
        _fill(element, value)
        body = _xml_document(element)
    else:
        body = _json(value)
    return Response(body, media_type=MEDIA_TYPES[fmt])


def errors(fmt: str, status: int, descriptions: Sequence[str]) -> Response:
    items = [{"code": status, "description": d} for d in descriptions]
    return answer(fmt if fmt in FORMATS else "json", "errors", items, status)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_list(root: str, item: str, items: Sequence[Mapping[str, Any]]) -> bytes:
    element = ElementTree.Element(root)
    for value in items:
        _fill(ElementTree.SubElement(element, item), value)
    return _xml_document(element)


def _fill(element: ElementTree.Element, value: Mapping[str, Any]) -> None:
    for key, inner in value.items():
        child = ElementTree.SubElement(element, key)
        if isinstance(inner, list):
            for part in inner:
                item = ElementTree.SubElement(child, _ITEMS.get(key, "item"))
                if isinstance(part, Mapping):
                    _fill(item, part)
                else:
                    item.text = _text(part)
        elif isinstance(inner, Mapping):
            _fill(child, inner)
        elif inner is not None:
            child.text = _text(inner)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _xml_document(element: ElementTree.Element) -> bytes:
    # The declaration as the specification asks for it (ElementTree's own says 'utf-8').
    body = ElementTree.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()
