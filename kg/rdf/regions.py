"""Region descriptions for the RDF stage, from :class:`kg.lexicon.regions.Gazetteer`.

When the gazetteer does not know a code (or is not installed), the level and the
parent chain fall back to the structure of GB/T 2260 codes (``PP0000`` province,
``PPCC00`` prefecture, others county) and the name to the one extraction gave.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

LEVELS: tuple[str, ...] = ("province", "prefecture", "county")


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """One administrative region as the RDF stage writes it."""

    code: str
    name: str | None
    level: str
    parent: str | None


def level_from_code(code: str) -> str:
    """The administrative level a 6-digit code implies.

    >>> level_from_code("320000"), level_from_code("321000"), level_from_code("321084")
    ('province', 'prefecture', 'county')
    """
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def parent_from_code(code: str) -> str | None:
    """The parent a 6-digit code implies (``None`` for a province).

    >>> parent_from_code("321084"), parent_from_code("321000"), parent_from_code("320000")
    ('321000', '320000', None)
    """
    level = level_from_code(code)
    if level == "province":
        return None
    if level == "prefecture":
        return code[:2] + "0000"
    return code[:4] + "00"


@cache
def _gazetteer() -> Any | None:
    try:
        module = importlib.import_module("kg.lexicon.regions")
    except ImportError:
        return None
    try:
        return module.Gazetteer.load()
    except Exception:  # a broken gazetteer must not stop the RDF stage
        return None


def _normal_level(level: object, code: str) -> str:
    text = str(level or "").lower()
    if text.startswith("prov"):
        return "province"
    if text.startswith(("pref", "city")):
        return "prefecture"
    if text.startswith(("coun", "dist")):
        return "county"
    return level_from_code(code)


def region_info(code: str, name: str | None = None) -> RegionInfo:
    """Describe ``code``; ``name`` is used when the gazetteer has none."""
    gaz = _gazetteer()
    reg = None
    if gaz is not None:
        try:
            reg = gaz.get(code)
        except (KeyError, LookupError):
            reg = None
    if reg is None:
        parent = parent_from_code(code)
        if gaz is not None:  # skip ancestors the gazetteer does not know either
            while parent is not None and parent not in gaz:
                parent = parent_from_code(parent)
        return RegionInfo(code, name, level_from_code(code), parent)
    parent = getattr(reg, "parent", None) or None
    if parent == code:
        parent = None
    return RegionInfo(
        code, getattr(reg, "name", None) or name, _normal_level(reg.level, code), parent
    )


def region_chain(code: str, name: str | None = None) -> list[RegionInfo]:
    """``code`` and all its ancestors, innermost first."""
    out: list[RegionInfo] = []
    seen: set[str] = set()
    current: str | None = code
    current_name = name
    while current is not None and current not in seen:
        seen.add(current)
        info = region_info(current, current_name)
        out.append(info)
        current, current_name = info.parent, None
    return out
