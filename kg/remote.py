"""Inputs and outputs as fsspec URLs (``file://``, ``memory://``, ``s3://`` ...).

A build directory holds many files and an object store has no atomic rename,
so a build to ``URL`` is never written in place:

1. it is made locally, in a temporary directory (:func:`kg.pipeline.build`);
2. its files are uploaded under a new prefix ``URL/builds/<build-id>/``;
3. ``URL/MANIFEST.json`` -- one small object naming that prefix and every file
   with its size and SHA-256 -- is written last.  Writing one object is atomic
   on object stores; on a local file system it is written beside and renamed.

A reader follows the manifest (:func:`resolve_build`): it downloads the build
the manifest names into a local cache, checks every file against the
manifest, and works on that copy.  Until the manifest is switched, readers see
the previous build, complete; a build whose upload failed half-way is never
named by a manifest, so never read.  The build before the current one is
kept (a reader may still be downloading it); older ones are removed.

Input URLs (a file, a folder or a glob) are downloaded into a temporary folder
that keeps their names, so documents are called what they are called locally
and the outputs are the same bytes (:func:`local_inputs`).

``fsspec`` is needed for URLs only (the ``dask`` extra installs it); the
protocols beyond ``file`` and ``memory`` need their own package (``s3fs`` for
``s3://``, ``gcsfs`` for ``gs://`` ...).  The cache lives in
``$KG_CACHE_DIR`` or ``$XDG_CACHE_HOME/union-kg`` (``~/.cache/union-kg``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, OutputError, shown

if TYPE_CHECKING:
    from kg.model import Document

MANIFEST = "MANIFEST.json"
BUILDS = "builds"
FORMAT = "union-kg-build/1"
KEEP = 2  # builds kept under URL/builds: the current one and the one before
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
_COMPLETE = ".kg-complete"


def is_url(text: str | os.PathLike[str]) -> bool:
    """Whether ``text`` is a URL (``scheme://...``) rather than a local path.

    >>> is_url("s3://bucket/kg"), is_url("memory://x"), is_url("out"), is_url("C:/x")
    (True, True, False, False)
    """
    return isinstance(text, str) and bool(_URL.match(text))


def _fs(url: str) -> tuple[Any, str]:
    """The fsspec file system of ``url`` and the path in it."""
    try:  # (imported by name: the type checker need not have fsspec)
        fsspec = importlib.import_module("fsspec")
    except ImportError:
        raise OutputError(
            f"{shown(url)} is a URL, and URLs need fsspec, which is not installed",
            hint="pip install 'union-kg[dask]' (or just fsspec, plus s3fs for s3://)",
        ) from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise OutputError(
            f"cannot use {shown(url)}: {exc}",
            hint="install the fsspec back end of that protocol (e.g. s3fs for s3://)",
        ) from None
    return fs, path.rstrip("/")


def _join(*parts: str) -> str:
    return "/".join(p.strip("/") if i else p.rstrip("/") for i, p in enumerate(parts))


def _is_local(fs: Any) -> bool:
    protocol = fs.protocol if isinstance(fs.protocol, tuple | list) else (fs.protocol,)
    return "file" in protocol or "local" in protocol


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    """Every file of a build directory, in a fixed order (lock files left out)."""
    return sorted(
        (p for p in root.rglob("*") if p.is_file() and p.name != ".kg-lock"),
        key=lambda p: p.relative_to(root).as_posix(),
    )


# --- writing ------------------------------------------------------------------


def new_build_id(graph: Path | None = None) -> str:
    """``<UTC time>-<content digest>-<random>``: sortable, and never reused."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    digest = _sha256(graph)[:8] if graph is not None and graph.is_file() else "0" * 8
    return f"{stamp}-{digest}-{secrets.token_hex(3)}"


def write_manifest(fs: Any, root: str, manifest: dict[str, Any]) -> None:
    """Switch ``root/MANIFEST.json`` to ``manifest`` in one step."""
    data = (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    target = _join(root, MANIFEST)
    if _is_local(fs):  # a local file is written in pieces: write beside, then rename
        tmp = Path(f"{target}.{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    else:  # one PUT: an object is replaced whole
        fs.pipe_file(target, data)


def upload_build(
    local: Path,
    url: str,
    *,
    build_id: str | None = None,
    keep: int = KEEP,
    on_file: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Upload the build directory ``local`` under ``URL/builds/<id>/``; switch the manifest.

    Returns the manifest.  ``on_file`` is called with each uploaded file's
    relative name (for progress, and for tests that stop an upload half-way).
    """
    fs, root = _fs(url)
    build_id = build_id or new_build_id(local / "graph.trig")
    prefix = _join(BUILDS, build_id)
    entries = []
    made: set[str] = set()
    try:
        for path in _files(local):
            rel = path.relative_to(local).as_posix()
            target = _join(root, prefix, rel)
            parent = target.rsplit("/", 1)[0]
            if parent not in made:
                fs.makedirs(parent, exist_ok=True)
                made.add(parent)
            fs.put_file(str(path), target)
            entries.append({"path": rel, "bytes": path.stat().st_size, "sha256": _sha256(path)})
            if on_file is not None:
                on_file(rel)
        manifest = {
            "format": FORMAT,
            "build": prefix,
            "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "files": entries,
        }
        previous = _read_manifest(fs, root, url, missing_ok=True)
        write_manifest(fs, root, manifest)
    except OSError as exc:
        raise OutputError(
            f"cannot upload the build to {shown(url)}: {exc}",
            hint="check the URL and your credentials; the previous build there is unchanged",
        ) from exc
    _prune(fs, root, keep=keep, protect={prefix, (previous or {}).get("build", "")})
    return manifest


def _prune(fs: Any, root: str, *, keep: int, protect: set[str]) -> None:
    """Remove all but the ``keep`` newest builds (never those in ``protect``)."""
    try:
        names = sorted(
            p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(_join(root, BUILDS), detail=False)
        )
    except (OSError, FileNotFoundError):
        return
    for name in names[: max(0, len(names) - keep)]:
        if _join(BUILDS, name) in protect:
            continue
        with contextlib.suppress(OSError):  # a stale build costs space, not correctness
            fs.rm(_join(root, BUILDS, name), recursive=True)


def build_to_url(
    paths: Sequence[str | os.PathLike[str]], url: str, **options: Any
) -> tuple[Any, dict[str, Any]]:
    """:func:`kg.pipeline.build` into a temporary directory, then :func:`upload_build`.

    Returns the build's summary and the manifest.
    """
    from kg.pipeline import build

    _fs(url)  # a bad URL fails before the work, not after it
    with tempfile.TemporaryDirectory(prefix="kg-build-") as tmp:
        local = Path(tmp) / "build"
        summary = build(paths, local, **options)
        manifest = upload_build(local, url)
    return summary, manifest


def put_file(local: Path, url: str) -> None:
    """Upload one file to ``url`` whole (a JSON Lines output of ``kg extract``)."""
    fs, path = _fs(url)
    try:
        if _is_local(fs):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            tmp = f"{path}.{secrets.token_hex(4)}.tmp"
            shutil.copyfile(local, tmp)
            os.replace(tmp, path)
        else:
            fs.put_file(str(local), path)
    except OSError as exc:
        raise OutputError(f"cannot upload to {shown(url)}: {exc}", hint="check the URL") from exc


# --- reading ------------------------------------------------------------------


def cache_root() -> Path:
    """Where downloaded builds are kept."""
    env = os.environ.get("KG_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "union-kg"


def _read_manifest(
    fs: Any, root: str, url: str, *, missing_ok: bool = False
) -> dict[str, Any] | None:
    try:
        data = fs.cat_file(_join(root, MANIFEST))
    except FileNotFoundError:
        if missing_ok:
            return None
        raise OutputError(
            f"{shown(url)} holds no build (no {MANIFEST})",
            hint=f"write one with kg build PATH... --out {url}",
        ) from None
    try:
        manifest = json.loads(data)
        if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), list):
            raise ValueError(f"not a {FORMAT} manifest")
        if not str(manifest.get("build", "")).startswith(BUILDS + "/"):
            raise ValueError("its build is not under builds/")
    except ValueError as exc:
        raise OutputError(
            f"{shown(url)}/{MANIFEST} is not a union-kg manifest ({exc})",
            hint=f"rebuild with kg build PATH... --out {url}",
        ) from None
    return dict(manifest)


def resolve_build(url: str) -> Path:
    """A local, complete copy of the build that ``URL/MANIFEST.json`` names."""
    fs, root = _fs(url)
    manifest = _read_manifest(fs, root, url)
    assert manifest is not None
    prefix = str(manifest["build"])
    key = hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:16]
    target = cache_root() / key / prefix.rsplit("/", 1)[-1]
    if (target / _COMPLETE).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".download-", dir=target.parent))
    try:
        for entry in manifest["files"]:
            rel = str(entry["path"])
            if rel.startswith("/") or ".." in rel.split("/"):
                raise OutputError(f"{shown(url)}/{MANIFEST} names a file outside its build")
            local = tmp / rel
            local.parent.mkdir(parents=True, exist_ok=True)
            try:
                fs.get_file(_join(root, prefix, rel), str(local))
            except FileNotFoundError:
                raise OutputError(
                    f"{shown(url)}: {prefix}/{shown(rel)}, named by {MANIFEST}, is missing",
                    hint="the build was removed or its upload is incomplete; rebuild it",
                ) from None
            if local.stat().st_size != entry["bytes"] or _sha256(local) != entry["sha256"]:
                raise OutputError(
                    f"{shown(url)}: {prefix}/{shown(rel)} differs from {MANIFEST}",
                    hint="the build there was changed after it was written; rebuild it",
                )
        (tmp / _COMPLETE).write_text(json.dumps(manifest, sort_keys=True) + "\n")
        try:
            os.replace(tmp, target)
        except OSError:  # another reader put the same build in place first
            if not (target / _COMPLETE).is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


@contextmanager
def local_inputs(paths: Sequence[str]) -> Iterator[tuple[list[str], dict[str, str]]]:
    """``paths`` with every URL among them replaced by a downloaded local copy.

    A folder URL becomes a local folder of the same name (its tree kept), a
    file URL a file of the same name, a glob URL a folder of its matches.
    Yields the local paths and the ``sources`` mapping of
    :func:`kg.pipeline.iter_results` (local path -> URL), under which the
    documents are recorded.
    """
    if not any(is_url(p) for p in paths):
        yield list(paths), {}
        return
    with tempfile.TemporaryDirectory(prefix="kg-inputs-") as tmp:
        out: list[str] = []
        sources: dict[str, str] = {}
        for i, path in enumerate(paths):
            if not is_url(path):
                out.append(path)
                continue
            local, remote = _download_input(path, Path(tmp) / str(i))
            out.append(local)
            sources[local] = remote
        yield out, sources


def renamed(doc: Document, sources: Mapping[str, str]) -> Document:
    """``doc`` with its local path replaced by the URL it was downloaded from.

    >>> from kg.model import Document
    >>> renamed(Document("a.txt", "/tmp/x/in/a.txt", "t"), {"/tmp/x/in": "s3://b/in"}).path
    's3://b/in/a.txt'
    """
    for local, remote in sources.items():
        if doc.path == local:
            return dataclasses.replace(doc, path=remote)
        if doc.path.startswith(local.rstrip("/") + "/"):
            return dataclasses.replace(doc, path=remote.rstrip("/") + doc.path[len(local) :])
    return doc


def _download_input(url: str, into: Path) -> tuple[str, str]:
    """Download ``url`` under ``into``: the local path and the URL it stands for."""
    try:
        fs, path = _fs(url)
    except OutputError as exc:
        raise InputError(exc.message, hint=exc.hint) from None
    try:
        if any(ch in path for ch in "*?["):
            base = into / "matches"
            matches = sorted(p for p in fs.glob(path) if fs.isfile(p))
            for p in matches:
                _get(fs, p, base / p.rsplit("/", 1)[-1])
            if not matches:
                raise InputError(f"{shown(url)} matches no file", hint="check the pattern")
            return str(base), url.split("://", 1)[0] + "://" + path.rsplit("/", 1)[0]
        if fs.isdir(path):
            name = path.rsplit("/", 1)[-1] or "input"
            base = into / name
            base.mkdir(parents=True)
            for p in sorted(fs.find(path)):
                _get(fs, p, base / p[len(path) :].lstrip("/"))
            return str(base), url.rstrip("/")
        if fs.isfile(path):
            local = into / path.rsplit("/", 1)[-1]
            _get(fs, path, local)
            return str(local), url
    except OSError as exc:
        raise InputError(f"cannot read {shown(url)}: {exc}", hint="check the URL") from exc
    raise InputError(f"{shown(url)} does not exist", hint="check the URL")


def _get(fs: Any, path: str, local: Path) -> None:
    local.parent.mkdir(parents=True, exist_ok=True)
    fs.get_file(path, str(local))
