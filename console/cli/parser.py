"""The argument parser: global options anywhere, one-line errors, and a hint for a mistyped flag.

argparse prints usage and a two-line error and exits; here a wrong flag or value becomes one line
on standard error naming the command, what was wrong, a close match when there is one, and where
to find help, with exit status 2.
"""

from __future__ import annotations

import argparse
import difflib
import re
from typing import NoReturn

from PySide6.QtCore import QT_TRANSLATE_NOOP

from console.text.i18n import fill, translate


class UsageError(Exception):
    """A command line that cannot be run as written (exit status 2)."""


# argparse's own sentences, routed through our translator so French operators get French help.
_ARGPARSE = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("argparse", "show program's version number and exit"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("argparse", "not allowed with argument %s"),
)


def install_argparse_translation() -> None:
    """Route argparse's own sentences (looked up through ``argparse._``) to our translator."""
    argparse._ = lambda text: translate("argparse", text)  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        # No abbreviations: a script's "--rol" must fail, not silently mean "--role".
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def parse_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def, override]
        namespace, extras = self.parse_known_args(args, namespace)
        if extras:
            # Report from the subcommand that was being parsed, so the hint uses its options.
            message = translate("argparse", "unrecognized arguments: %s") % " ".join(extras)
            self._deepest(namespace).error(message)
        return namespace

    def _deepest(self, namespace: argparse.Namespace) -> Parser:
        parser: Parser = self
        while True:
            subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
            chosen = getattr(namespace, subparsers[0].dest, None) if subparsers else None
            if chosen not in (subparsers[0].choices if subparsers else {}):
                return parser
            parser = subparsers[0].choices[chosen]

    def error(self, message: str) -> NoReturn:
        hint = self._suggestion(message)
        where = fill(translate("cli", "see '{prog} --help'"), {"prog": self.prog})
        raise UsageError(f"{self.prog}: {message}{hint} ({where})")

    def _suggestion(self, message: str) -> str:
        """' (did you mean --role?)' for an unknown option close to a known one."""
        match = re.search(r"(--?[\w-]+)", message)
        if match is None or "unrecognized" not in message and "unrecognised" not in message:
            return ""
        known = [opt for action in self._actions for opt in action.option_strings]
        close = difflib.get_close_matches(match.group(1).split("=")[0], known, n=1, cutoff=0.6)
        return (
            fill(translate("cli", " (did you mean {option}?)"), {"option": close[0]})
            if close
            else ""
        )

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if status:
            raise UsageError((message or "").strip())
        super().exit(status, message)


def global_options() -> argparse.ArgumentParser:
    """The options every subcommand takes, before or after its name.

    Their defaults are SUPPRESS so that a subcommand's copy, left unset, does not overwrite the
    value given before the subcommand's name.
    """
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group(translate("cli", "global options"))
    suppress = argparse.SUPPRESS
    group.add_argument(
        "--db",
        metavar="URL",
        default=suppress,
        help=translate("cli", "database URL (VIGIE_DB_URL; default: SQLite in your data folder)"),
    )
    group.add_argument(
        "--broker",
        metavar="URL",
        default=suppress,
        help=translate("cli", "MQTT broker URL (VIGIE_BROKER_URL; default: mqtt://127.0.0.1:1883)"),
    )
    group.add_argument(
        "--broker-password-file",
        metavar="FILE",
        default=suppress,
        help=translate(
            "cli",
            "log in to the broker with the password on this file's first line (mode 600); the "
            "user is the URL's, else the file's name (VIGIE_BROKER_PASSWORD_FILE)",
        ),
    )
    group.add_argument(
        "--root",
        metavar="PREFIX",
        default=suppress,
        help=translate("cli", "MQTT topic prefix (VIGIE_MQTT_ROOT; default: vigie)"),
    )
    group.add_argument(
        "--operator",
        metavar="NAME",
        default=suppress,
        help=translate("cli", "who acts (VIGIE_OPERATOR; default: your OS user name)"),
    )
    group.add_argument(
        "--yes",
        action="store_true",
        default=suppress,
        help=translate("cli", "answer yes to confirmations (needed when not run from a terminal)"),
    )
    return common


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


positive_int.__name__ = "positive integer"  # argparse names the type in its error


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help=translate("cli", "print stable JSON (English keys, ISO 8601 UTC times)"),
    )
