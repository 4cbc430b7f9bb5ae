"""Extractors by name: the one place where they are registered.

Modelled on rdflib's plugin registry: an entry names a module and an attribute,
and the module is imported only when the extractor is first asked for.  Adding
an extractor is one new module and one ``register(...)`` line below.
"""

from __future__ import annotations

from importlib import import_module

from kg.errors import UsageError
from kg.extract.base import Extractor

_REGISTRY: dict[str, tuple[str, str]] = {}
_CACHE: dict[str, Extractor] = {}


def register(name: str, module: str, attr: str) -> None:
    """Register the extractor ``module.attr`` (a class or factory) under ``name``."""
    _REGISTRY[name] = (module, attr)
    _CACHE.pop(name, None)


def names() -> list[str]:
    """All registered extractor names, in registration (= run) order."""
    return list(_REGISTRY)


def get(name: str) -> Extractor:
    """The extractor registered as ``name`` (instantiated once and cached)."""
    if name not in _REGISTRY:
        raise UsageError(f"unknown extractor {name!r}", hint=f"choose from: {', '.join(names())}")
    if name not in _CACHE:
        module, attr = _REGISTRY[name]
        factory = getattr(import_module(module), attr)
        _CACHE[name] = factory()
    return _CACHE[name]


# --- the registrations -----------------------------------------------------
# name                module                          class
register("cooperation", "kg.extract.relations.cooperation", "CooperationExtractor")
register("runs", "kg.extract.relations.runs", "RunsExtractor")
register("participation", "kg.extract.relations.participation", "ParticipationExtractor")
register("serves", "kg.extract.relations.serves", "ServesExtractor")
register("passage", "kg.extract.relations.passage", "PassageExtractor")
register("facts", "kg.extract.facts", "FactsExtractor")
