"""``python -m policy`` runs the command line."""

from .cli import main

main()
