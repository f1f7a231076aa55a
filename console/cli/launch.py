"""The ``vigie`` command's entry point, kept light so that ``vigie recorder`` receives at once.

``console.cli.main`` imports Qt and every subcommand; this module imports neither before it has
given ``vigie recorder`` its head start (``recorder_early``).
"""

from __future__ import annotations

import sys

from console.cli import recorder_early


def main() -> None:
    argv = sys.argv[1:]
    recorder_early.start(argv)
    recorder_early.let_the_burst_pass()
    try:
        from console.cli.main import run

        status = run(argv)
    finally:
        recorder_early.discard()
    sys.exit(status)
