"""The characters a regular expression's match can start with: a cheap test before the
pattern itself, for the patterns tried at one position many times per sentence.

>>> s = first_chars(re.compile(r"(?:近日|[\\d.]+年|\\s)*"))
>>> s.could_start("近"), s.could_start("2"), s.could_start(" "), s.could_start("某")
(True, True, True, False)
>>> s.nullable
True
>>> first_chars(re.compile(r"[^某]+")) is None  # (every character but one: no test)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (the parser of the standard library's engine: what it parses is what it runs)
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any


@dataclass(frozen=True, slots=True)
class FirstChars:
    """``chars``: characters a non-empty match can start with; ``digits``/``spaces``:
    also any decimal digit / whitespace (``\\d``, ``\\s``); ``nullable``: the pattern
    also matches the empty string (then a failed test means an empty match)."""

    chars: frozenset[str]
    digits: bool
    spaces: bool
    nullable: bool

    def could_start(self, ch: str) -> bool:
        return (
            ch in self.chars or (self.digits and ch.isdecimal()) or (self.spaces and ch.isspace())
        )


class _Unknown(Exception):
    """A construct whose first characters are not worth listing (any character)."""


_MAX_RANGE = 4096  # a wider class ([\u4e00-\u9fff]) is no useful test


def _first_seq(items: list[tuple[Any, Any]], acc: dict[str, Any]) -> bool:
    """Add the first characters of a sequence to ``acc``; True when it can match empty."""
    return all(_first_item(op, av, acc) for op, av in items)


def _first_item(op: Any, av: Any, acc: dict[str, Any]) -> bool:
    chars: set[str] = acc["chars"]
    if op is C.LITERAL:
        chars.add(chr(av))
        return False
    if op is C.IN:
        for iop, iav in av:
            if iop is C.LITERAL:
                chars.add(chr(iav))
            elif iop is C.RANGE:
                lo, hi = iav
                if hi - lo > _MAX_RANGE:
                    raise _Unknown
                chars.update(chr(c) for c in range(lo, hi + 1))
            elif iop is C.CATEGORY and iav is C.CATEGORY_DIGIT:
                acc["digits"] = True
            elif iop is C.CATEGORY and iav is C.CATEGORY_SPACE:
                acc["spaces"] = True
            else:
                raise _Unknown  # a negated class, another category
        return False
    if op is C.BRANCH:
        nullable = False
        for alt in av[1]:
            nullable = _first_seq(list(alt), acc) or nullable
        return nullable
    if op is C.SUBPATTERN:
        return _first_seq(list(av[-1]), acc)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, _hi, sub = av
        nullable = _first_seq(list(sub), acc)
        return nullable or lo == 0
    raise _Unknown  # ANY, NOT_LITERAL, assertions, anchors, group references…


def first_chars(pattern: re.Pattern[str]) -> FirstChars | None:
    """What a match of ``pattern`` can start with, or ``None`` when the answer is no
    useful test (any character, or a construct this does not read)."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    acc: dict[str, Any] = {"chars": set(), "digits": False, "spaces": False}
    try:
        nullable = _first_seq(list(P.parse(pattern.pattern, pattern.flags)), acc)
    except (_Unknown, TypeError, ValueError, IndexError, re.error):
        return None
    chars: set[str] = acc["chars"]
    return FirstChars(frozenset(chars), bool(acc["digits"]), bool(acc["spaces"]), nullable)
