"""New passwords on the command line: from standard input or asked twice on a terminal.

A password is never a command-line argument (``ps`` and shell histories show those). A new
password is asked twice on a terminal, or read once from standard input with
``--password-stdin`` (scripts, provisioning). Logging in is ``Context.acting_operator``.
"""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from console.cli.context import CliFailure, ExitStatus, is_terminal
from console.text.i18n import fill, translate


def new_password(name: str, *, from_stdin: bool, stdin: TextIO | None = None) -> str:
    """A new password for ``name``: one line of standard input, or asked twice on a terminal."""
    stream = stdin or sys.stdin
    if from_stdin:
        password = stream.readline().rstrip("\r\n")
        if not password:
            raise CliFailure(translate("cli", "no password on standard input"), ExitStatus.USAGE)
        return password
    if not is_terminal(stdin):
        raise CliFailure(
            translate(
                "cli",
                "a new password is asked on a terminal; in a script, give it on standard input "
                "with --password-stdin",
            ),
            ExitStatus.USAGE,
        )
    first = getpass.getpass(fill(translate("cli", "new password for {name}: "), {"name": name}))
    again = getpass.getpass(translate("cli", "the same password again: "))
    if first != again:
        raise CliFailure(
            translate("cli", "the two passwords differ; nothing was changed"), ExitStatus.USAGE
        )
    return first
