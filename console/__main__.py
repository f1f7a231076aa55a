"""``python -m console`` runs the ``vigie`` command line."""

from console.cli.launch import main

main()
