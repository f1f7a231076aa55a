"""``python -m console`` runs the ``vigie`` command line."""

from console.cli.main import main

main()
