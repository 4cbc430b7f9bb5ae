"""Which of union-kg's modules run compiled, and whether they still match their sources.

The install compiles the extraction modules with mypyc (``hatch_build.py``;
``KG_NATIVE=off`` installs pure Python).  A compiled module shadows its ``.py``:
in an editable install, editing a source without reinstalling would leave the
old compiled code running.  ``kg/_native.json`` records the SHA-256 of every
source that was compiled, so :func:`status` can say so.

>>> s = status()
>>> isinstance(s.compiled, tuple) and isinstance(s.stale, tuple)
True
>>> s.ok or bool(s.stale)
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STATUS_FILE = PACKAGE / "_native.json"
FIX = (
    "reinstall to recompile them (pip install -e .), "
    "or install pure Python while you edit them (KG_NATIVE=off pip install -e .)"
)


@dataclass(frozen=True)
class NativeStatus:
    """``compiled``: the modules the install compiled; ``stale``: those whose source has
    changed since (or is gone); ``reason``: why nothing is compiled, if so."""

    compiled: tuple[str, ...]
    stale: tuple[str, ...]
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.stale

    def describe(self) -> str:
        if self.stale:
            return (
                f"{len(self.stale)} compiled module(s) no longer match their sources "
                f"({', '.join(self.stale[:3])}{', …' if len(self.stale) > 3 else ''}): {FIX}"
            )
        if not self.compiled:
            return f"pure Python ({self.reason})"
        return f"{len(self.compiled)} modules compiled with mypyc"


def _module(source: str) -> str:
    name = source.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def status(package: Path = PACKAGE) -> NativeStatus:
    """Read ``_native.json`` of ``package`` and compare each compiled module's recorded
    source hash with its source now."""
    record = package / STATUS_FILE.name
    if not record.is_file():
        return NativeStatus((), (), "this install did not compile: KG_NATIVE=off or no compiler")
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        sources: dict[str, str] = dict(data["sources"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return NativeStatus((), ("kg/_native.json",), f"unreadable {record.name}: {exc}")
    root = package.parent
    stale = []
    for source, digest in sorted(sources.items()):
        path = root / source
        try:
            now = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            now = ""
        if now != digest:
            stale.append(_module(source))
    return NativeStatus(tuple(_module(s) for s in sorted(sources)), tuple(stale))
