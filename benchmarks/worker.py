"""Run one benchmark in this (child) process and print its result as JSON.

``python -m benchmarks.worker NAME '{"param": ...}'`` calls
``benchmarks.bench_NAME.run(**params)`` and prints one line starting with
:data:`MARK` followed by the JSON result.  An exception becomes an ``"error"``
result rather than a traceback, so the harness always gets an answer.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib import import_module

from benchmarks.common import failed

MARK = "@@BENCH-RESULT@@ "
NAMES = ("extraction", "sparql", "reason", "html", "scale", "pathological", "serve", "dask")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``NAME PARAMS_JSON``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] not in NAMES:
        print(f"usage: python -m benchmarks.worker {{{','.join(NAMES)}}} PARAMS_JSON")
        return 2
    name, params = args[0], json.loads(args[1])
    try:
        result = import_module(f"benchmarks.bench_{name}").run(**params)
    except Exception as exc:
        result = failed(exc)
    sys.stdout.flush()
    print(MARK + json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
