"""The process that bulk-loads a build's store for :class:`kg.rdf.store.StoreLoader`.

``python -m kg.rdf._loader TARGET`` creates the on-disk store ``TARGET`` and
reads frames from its standard input, each ``kind`` (one byte), then two
payloads, each an 8-byte big-endian length and its bytes:

``p`` (a piece)
    TriG text (named graphs) and Turtle text (the same triples, for the default
    graph), bulk-loaded at the same time in two threads (:func:`load_both`);
``f`` (finish)
    the path of the ontology (Turtle) and nothing: the ontology is loaded, the
    index links added and the store compacted and flushed
    (:func:`kg.rdf.store.finish_store`).

It answers each frame with one line on its standard output: ``ok``, ``done``
(after ``f``) or ``error MESSAGE``; its first line is ``ready`` (or ``error
MESSAGE`` when the store cannot be created).  After an error it reads on and
loads nothing more.  It ignores SIGINT and SIGTERM (the build stops it; a
Ctrl-C reaches the whole process group) and exits when its input closes (the
build has gone), leaving the store unfinished.
"""

from __future__ import annotations

import signal
import sys
from typing import Any, BinaryIO

HEADER = 17  # kind (1 byte) and two lengths (8 bytes each)


def frame(kind: bytes, first: bytes, second: bytes) -> bytes:
    """One frame of the protocol (see the module docstring)."""
    return kind + len(first).to_bytes(8, "big") + len(second).to_bytes(8, "big") + first + second


def _read(src: BinaryIO, size: int) -> bytes | None:
    data = src.read(size)
    return data if len(data) == size else None


def load_both(store: Any, trig: bytes, turtle: bytes) -> None:
    """Bulk-load a piece's named graphs (TriG) and its default graph (Turtle) at once.

    The two loads run in two threads (oxigraph releases the GIL and its bulk
    loader writes table files of its own, so they do not wait on each other):
    on two cores the loading process is no longer held to one core, which at
    1,000x seeds was the whole build's limit.  The first error is raised once
    both have stopped.
    """
    import threading

    import pyoxigraph as ox

    errors: list[BaseException] = []

    def default_graph() -> None:
        try:
            store.bulk_load(input=turtle, format=ox.RdfFormat.TURTLE)
        except BaseException as exc:  # raised below, in the loading thread
            errors.append(exc)

    thread = threading.Thread(target=default_graph, name="kg-load-default-graph")
    thread.start()
    try:
        store.bulk_load(input=trig, format=ox.RdfFormat.TRIG)
    finally:
        thread.join()
    if errors:
        raise errors[0]


def serve(target: str, src: BinaryIO, out: BinaryIO) -> int:
    """Load pieces from ``src`` into a new store at ``target``; answer on ``out``."""
    import pyoxigraph as ox

    from kg.rdf.store import finish_store

    def say(line: str) -> None:
        out.write((line.replace("\n", " ") + "\n").encode("utf-8"))
        out.flush()

    try:
        store = ox.Store(target)
    except OSError as exc:
        say(f"error {exc}")
        return 1
    say("ready")
    failed = False
    while True:
        head = _read(src, HEADER)
        if head is None:  # the build has gone
            return 1
        first = _read(src, int.from_bytes(head[1:9], "big"))
        second = _read(src, int.from_bytes(head[9:17], "big"))
        if first is None or second is None:
            return 1
        try:
            if head[:1] == b"p":
                if not failed:
                    load_both(store, first, second)
                say("ok")
            elif head[:1] == b"f":
                store.bulk_load(path=first.decode("utf-8"), format=ox.RdfFormat.TURTLE)
                finish_store(store)
                del store
                say("done")
                return 0
            else:
                raise ValueError(f"unknown frame {head[:1]!r}")
        except Exception as exc:  # the build reports it as its error
            failed = True
            say(f"error {exc}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    return serve(args[0], sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    sys.exit(main())
