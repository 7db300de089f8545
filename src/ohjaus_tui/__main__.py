"""``python -m ohjaus_tui`` runs the ``ohjaus`` command."""

from ohjaus_tui.cli.app import main

main()
