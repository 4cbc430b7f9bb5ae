"""Helpers shared by the benchmarks: availability checks, timing, corpora."""

from __future__ import annotations

import os
import statistics
import time
import traceback
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEFAULT_OUT = Path(__file__).resolve().parent / "out"


def out_dir() -> Path:
    """Where benchmarks write corpora, builds and results (``KG_BENCH_OUT`` overrides)."""
    return Path(os.environ.get("KG_BENCH_OUT") or DEFAULT_OUT)


Result = dict[str, Any]


def missing(*names: str) -> str | None:
    """Why one of the dotted ``module:attr`` names cannot be used, or ``None``.

    Examples
    --------
    >>> missing("json:dumps") is None
    True
    >>> missing("json:no_such_function")
    'json.no_such_function does not exist yet'
    """
    for name in names:
        module, _, attr = name.partition(":")
        try:
            mod = import_module(module)
        except ImportError as exc:
            return f"{module} cannot be imported ({exc})"
        except Exception as exc:  # a module being written may fail in any way
            return f"{module} fails to import ({type(exc).__name__}: {exc})"
        if attr and not hasattr(mod, attr):
            return f"{module}.{attr} does not exist yet"
    return None


def not_available(reason: str) -> Result:
    """The result of a benchmark whose product piece does not exist yet."""
    return {"status": "not available", "reason": reason}


def failed(exc: BaseException) -> Result:
    """The result of a benchmark that raised: the error, not a crash of the harness."""
    tb = traceback.format_exception(exc)
    return {"status": "error", "reason": f"{type(exc).__name__}: {exc}", "traceback": tb[-6:]}


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    """Median wall time of ``repeats`` calls of ``fn`` (and all the times).

    >>> m, times = median_time(lambda: sum(range(10)), 3)
    >>> len(times), m >= 0
    (3, True)
    """
    times: list[float] = []
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def seed_paths() -> list[Path]:
    """The seed pages shipped with the repository."""
    return sorted(SEEDS.glob("*.txt"))


def ratio(a: float | None, b: float | None) -> float | None:
    """``a / b`` rounded, or ``None`` when either side is missing or ``b`` is zero.

    >>> ratio(3.0, 1.5), ratio(None, 1.0), ratio(1.0, 0.0)
    (2.0, None, None)
    """
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 3)


def dir_size(path: Path) -> int:
    """Total bytes of the regular files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def chunks(items: Sequence[Any], n: int) -> list[Sequence[Any]]:
    """``items`` cut into pieces of at most ``n``.

    >>> chunks([1, 2, 3], 2)
    [[1, 2], [3]]
    """
    return [items[i : i + n] for i in range(0, len(items), n)]
