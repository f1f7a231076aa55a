"""The shapes the city's data files are checked for (the playbook, the lighting policy).

Each file is read whole and refused at its first fault, which names the file and the entry
(``dijon.toml: snow.2.signals[1]: …``) under its own message keys (``playbook.not_table``,
``lighting.not_table``…): ``Shapes`` holds the checks they share, bound to a file kind's error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from services.domain.errors import InvalidInput


class Shapes:
    def __init__(self, error: type[InvalidInput], prefix: str) -> None:
        self.error = error
        self.prefix = prefix  # the message keys' first part: "playbook", "lighting"

    def fail(self, source: str, where: str, problem: str, **params: Any) -> NoReturn:
        raise self.error(f"{self.prefix}.{problem}", source=source, where=where, **params)

    def table(self, value: Any, source: str, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(source, where, "not_table")
        return value

    def list(self, value: Any, source: str, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(source, where, "not_list")
        return value

    def strings(self, value: Any, source: str, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(source, where, "not_strings")
        return value

    def only(self, spec: Mapping[str, Any], allowed: set[str], source: str, where: str) -> None:
        for key in spec:
            if key not in allowed:
                self.fail(source, f"{where}.{key}" if where else key, "unknown_key", value=key)
