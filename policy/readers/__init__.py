"""One reader per game-file format, each turning untrusted text into a :mod:`policy.spec` object.

Where this sits in the data flow: after :mod:`policy.spec` (the data every reader
produces) and :mod:`policy.syntax` (the small texts they share), before
:mod:`policy.loader`, which reads a file's text (:mod:`.source_text`) and chooses
the reader by the file's suffix. The readers import the spec and
:mod:`.source_text`; a YAML reader of another kind reuses the YAML checks and
common sections of :mod:`.yaml_normal_form` (``read_yaml_document``,
``SpecBuilder``), and :func:`policy.loader.read_yaml` chooses between them.

=================================  ==============================  ==========================
module                             format                          entry point
=================================  ==============================  ==========================
:mod:`.yaml_normal_form`           YAML normal-form game           ``load_game_text``
:mod:`.yaml_market`                YAML market game (``market:``)  ``load_market_text``
:mod:`.yaml_population`            YAML population game            ``load_population_text``
:mod:`.nfg`                        Gambit strategic form ``.nfg``  ``parse_nfg`` / ``to_nfg``
:mod:`.source_text`                (shared) bounded, decoded text  ``read_text``
=================================  ==============================  ==========================

A new format (trees ``.efg``, populations …) is one more module here with a
``parse_…(text, path, sha256, limits)`` function, and one line in
:data:`policy.loader.READERS`.
"""
