"""Extraction as Dask tasks: ``kg build ... --dask ADDRESS``.

:func:`dask_map` is :func:`kg.parallel.process_map` on a Dask cluster: it maps a
function over items and yields the results in input order, so a build on a
cluster writes the same bytes as one in a single process.

How the work is cut
    The items (documents, texts included) are grouped into *partitions* of at
    most :data:`PARTITION_DOCS` documents and :data:`PARTITION_CHARS`
    characters.  Each partition is one task.  At most ``in_flight`` partitions
    are on the cluster at a time (by default two per worker thread, plus one):
    the next is submitted only when the oldest one's results have been handed
    on, and ``items`` is read only as partitions are formed (``kg`` reads the
    documents lazily), so memory stays bounded on both sides however large
    the corpus.

What the workers need
    The document *texts* travel with the tasks; the workers read no input
    files, so the inputs need only be readable where ``kg`` runs (a local
    folder, or an fsspec URL, see :mod:`kg.remote`).  Text is small beside the
    cost of extracting it (about 0.1 MB/s per core is sent for 0.2-0.3 M
    chars/s of extraction).  Each worker needs union-kg itself, the same
    version with the same shipped data: :func:`check_workers` compares a
    fingerprint of the code and ``ontology/`` on every worker with this one's
    before any task is sent.

``ADDRESS`` is a scheduler address (``tcp://host:8786``) or ``local``: a
``LocalCluster`` of ``workers`` single-threaded worker processes on this
machine, started and stopped around the map.

Dask is an optional dependency (``pip install 'union-kg[dask]'``); it is only
imported here, on use.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from kg.errors import ClusterError, KGError

T = TypeVar("T")
R = TypeVar("R")

LOCAL = "local"
PARTITION_DOCS = 64
PARTITION_CHARS = 2_000_000
CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler
WORKERS_TIMEOUT = 30.0  # seconds to wait for a first worker
_DIST = "union-kg"

_START_HINT = (
    "start a scheduler with `dask scheduler --port 8786` and workers with "
    "`dask worker tcp://HOST:8786` on machines that have union-kg installed, "
    "or use --dask local"
)


def _require_dask() -> Any:
    try:  # (imported by name: the type checker need not have Dask)
        return importlib.import_module("distributed")
    except ImportError:
        raise ClusterError(
            "--dask needs the Dask packages, which are not installed",
            hint="pip install 'union-kg[dask]' (dask and distributed)",
        ) from None


@contextmanager
def connect(
    address: str, *, workers: int = 1, connect_timeout: float | None = None
) -> Iterator[Any]:
    """A ``distributed.Client`` on ``address`` (``local``: a new ``LocalCluster``).

    Raises :class:`ClusterError` when Dask is missing, the scheduler cannot be
    reached, no worker joins it, or a worker lacks this union-kg.
    """
    distributed = _require_dask()
    timeout = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
    cluster = None
    if address == LOCAL:
        with warnings.catch_warnings():  # its HTTP server moves off a busy port: no matter
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            cluster = distributed.LocalCluster(
                n_workers=max(1, workers),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        target: Any = cluster
    else:
        if "://" not in address:
            raise ClusterError(
                f"--dask {address!r} is not a scheduler address",
                hint="give tcp://HOST:PORT (the scheduler's, default port 8786) or local",
            )
        target = address
    try:
        try:
            client = distributed.Client(target, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                f"({type(exc).__name__})",
                hint=_START_HINT,
            ) from None
        try:
            try:
                client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
            except (OSError, TimeoutError):
                raise ClusterError(
                    f"no Dask worker joined the scheduler at {address} within "
                    f"{WORKERS_TIMEOUT:g} s",
                    hint=f"start workers with `dask worker {address}`",
                ) from None
            check_workers(client, address)
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            _close_local(cluster)


def _close_local(cluster: Any) -> None:
    """Stop a ``LocalCluster`` we started, whatever state its workers are in.

    A worker that died during the build may be in the middle of being restarted
    by its nanny, and ``LocalCluster.close`` then fails on the half-started
    process ("can only join a started process"). The build's own outcome (its
    results or its ``ClusterError``) must not be replaced by that, so a failure to
    close is ignored: the processes are ours and end with this one.
    """
    with contextlib.suppress(Exception):  # teardown of a cluster that may have failed
        cluster.close()


# --- the workers' union-kg --------------------------------------------------


@cache
def fingerprint() -> str:
    """A digest of this union-kg: its version, its Python files and ``ontology/``.

    Two installations with the same fingerprint extract the same results.
    """
    from kg import __version__
    from kg.resources import ontology_dir

    digest = hashlib.sha256(__version__.encode())
    roots = [Path(__file__).resolve().parent, ontology_dir()]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            if root == roots[0] and path.is_relative_to(roots[1]):
                continue  # a wheel's kg/ontology: counted once, below
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _version_expression(dist: str) -> str:
    """Python source that a worker evaluates: the installed version of ``dist``.

    It is sent as text to the builtin ``eval`` so that a worker without
    union-kg can still run it and answer (with ``PackageNotFoundError``).
    """
    return f"__import__('importlib.metadata', fromlist=['version']).version({dist!r})"


def check_workers(client: Any, address: str, *, dist: str = _DIST) -> None:
    """Every worker has ``dist`` installed, and the same union-kg as this process."""
    answers = client.run(eval, _version_expression(dist), on_error="return")
    missing = sorted(w for w, v in answers.items() if isinstance(v, BaseException))
    if missing:
        raise ClusterError(
            f"{len(missing)} of {len(answers)} Dask worker(s) at {address} cannot import "
            f"{dist} (first: {missing[0]})",
            hint="pip install union-kg (the same version as here) in the workers' "
            "environment and restart them",
        )
    ours = fingerprint()
    prints = client.run(_worker_fingerprint, on_error="return")
    other = sorted(w for w, v in prints.items() if v != ours)
    if other:
        theirs = prints[other[0]]
        what = f"{type(theirs).__name__}: {theirs}" if isinstance(theirs, BaseException) else theirs
        raise ClusterError(
            f"{len(other)} Dask worker(s) at {address} run another union-kg than this one "
            f"(code and data fingerprint {what} at {other[0]}, here {ours}); their results "
            "would differ from a single-process build",
            hint="install the same union-kg (same version and ontology/) on every worker "
            "and restart them",
        )


def _worker_fingerprint() -> str:
    return fingerprint()


# --- the ordered map --------------------------------------------------------


def _chars(item: Any) -> int:
    text = getattr(item, "text", None)
    return len(text) if isinstance(text, str) else 1


def partitions(
    items: Iterable[T], *, docs: int = PARTITION_DOCS, chars: int = PARTITION_CHARS
) -> Iterator[list[T]]:
    """``items`` in runs of at most ``docs`` items and about ``chars`` characters.

    A single item longer than ``chars`` is a partition of its own.

    >>> [len(p) for p in partitions(range(10), docs=4)]
    [4, 4, 2]
    """
    batch: list[T] = []
    size = 0
    for item in items:
        n = _chars(item)
        if batch and (len(batch) >= docs or size + n > chars):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += n
    if batch:
        yield batch


def _run_partition(fn: Callable[[T], R], batch: Sequence[T]) -> list[R]:
    """One task: ``fn`` over a partition, in order (runs on a worker)."""
    return [fn(item) for item in batch]


def _threads(client: Any) -> int:
    try:
        return max(1, sum(client.nthreads().values()))
    except Exception:  # an old or odd scheduler: assume one
        return 1


def dask_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    address: str,
    workers: int = 1,
    partition_docs: int = PARTITION_DOCS,
    partition_chars: int = PARTITION_CHARS,
    in_flight: int | None = None,
    connect_timeout: float | None = None,
) -> Iterator[R]:
    """``map(fn, items)`` as Dask tasks on the cluster at ``address``, in input order.

    ``fn`` must be importable on the workers (a module-level function of kg).
    At most ``in_flight`` partitions are submitted and not yet consumed.  If
    the consumer stops early (an error, Ctrl-C, closing the iterator), the
    partitions still on the cluster are cancelled.
    """
    with connect(address, workers=workers, connect_timeout=connect_timeout) as client:
        limit = in_flight if in_flight is not None else 2 * _threads(client) + 1
        run = uuid.uuid4().hex[:12]
        pending: deque[Any] = deque()
        parts = enumerate(partitions(items, docs=partition_docs, chars=partition_chars))
        try:
            for i, batch in parts:
                pending.append(
                    client.submit(_run_partition, fn, batch, key=f"kg-extract-{run}-{i}")
                )
                if len(pending) >= limit:
                    yield from _take(pending.popleft(), address)
            while pending:
                yield from _take(pending.popleft(), address)
        finally:
            if pending:
                client.cancel(list(pending))


def _take(future: Any, address: str) -> list[Any]:
    """The results of a finished partition (the future is released).

    An error of the extraction itself is raised as it is; losing the cluster
    (a killed worker, a closed connection, a cancelled task) is a
    :class:`ClusterError`.
    """
    try:
        out: list[Any] = future.result()
    except (KGError, KeyboardInterrupt):
        raise
    except Exception as exc:
        if not _lost_cluster(exc):
            raise
        raise ClusterError(
            f"the Dask cluster at {address} failed during extraction ({type(exc).__name__}: {exc})",
            hint="check that the scheduler and workers are running (their logs say why "
            "a worker died; a worker short of memory is restarted, see docs/scale.md) "
            "and run the build again",
        ) from exc
    future.release()
    return out


def _lost_cluster(exc: BaseException) -> bool:
    """Whether ``exc`` comes from Dask's machinery rather than from the task."""
    import asyncio
    import concurrent.futures

    if isinstance(exc, OSError | TimeoutError | asyncio.CancelledError):
        return True
    if isinstance(exc, concurrent.futures.CancelledError):
        return True
    return type(exc).__module__.split(".")[0] == "distributed"
