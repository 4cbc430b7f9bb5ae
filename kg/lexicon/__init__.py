"""Loaders for the shipped knowledge in ``ontology/lexicon/`` (gazetteer, word lists).

Each submodule reads its data file lazily (on first use, then cached); importing
this package has no side effects.
"""
