"""Sorted runs on disk: lists of records written and read back in pieces (``marshal``).

The build keeps records that grow with the corpus (readings, figures, entity
descriptions, ``graph.ttl`` blocks) in sorted runs on disk and merges them at the
end (``heapq.merge``); the merge holds one piece of every run, so pieces are small.

>>> import io
>>> fh = io.BytesIO()
>>> write_run(fh, [(i, str(i)) for i in range(300)])
>>> _ = fh.seek(0)
>>> [r[0] for r in read_run(fh)][-3:]
[297, 298, 299]
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from typing import IO, Any

#: records per piece of a run on disk (the merge holds one piece of each run, and the
#: number of runs grows with the corpus)
RUN_CHUNK = 128


def write_run(fh: IO[bytes], items: list[Any]) -> None:
    """Write ``items`` (plain data ``marshal`` can write) to ``fh`` in pieces."""
    for i in range(0, len(items), RUN_CHUNK):
        marshal.dump(items[i : i + RUN_CHUNK], fh)


def read_run(fh: IO[bytes]) -> Iterator[Any]:
    """The records :func:`write_run` wrote, from ``fh``'s current position, one piece at a time."""
    while True:
        try:
            items = marshal.load(fh)
        except EOFError:
            return
        yield from items
