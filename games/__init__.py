"""The bundled games, installed as the package ``policy.bundled_games`` (see pyproject.toml).

This file only makes the folder a regular package, so that :mod:`importlib.resources`
finds it in installed and editable installs alike (:func:`policy.load.bundled_games`).
"""
