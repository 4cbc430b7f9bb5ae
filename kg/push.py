"""``kg push``: upload a build to a SPARQL 1.1 Graph Store HTTP Protocol server.

One ``PUT`` per graph of the build's store (Oxigraph ``/store``, Fuseki
``/DATASET/data``, GraphDB ``/repositories/REPO/rdf-graphs/service``): each
article graph and the background graph as ``?graph=IRI``, and the default graph
(the merged graph, the ontology and the index links, see :mod:`kg.rdf.store`)
as ``?default``.  ``PUT`` replaces a graph, so pushing the same build again, or
again after an interrupted push, leaves the server with exactly the build's
quads (graphs that only an older build had are left alone).

Credentials come from the environment only, never from the command line:
``KG_PUSH_TOKEN`` (sent as ``Authorization: Bearer …``), or ``KG_PUSH_USER``
and ``KG_PUSH_PASSWORD`` (HTTP Basic).
"""

from __future__ import annotations

import base64
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import OutputError, UsageError

ENV_TOKEN = "KG_PUSH_TOKEN"
ENV_USER = "KG_PUSH_USER"
ENV_PASSWORD = "KG_PUSH_PASSWORD"
CONTENT_TYPE = "application/n-triples"


@dataclass
class PushReport:
    """What :func:`push` uploaded."""

    endpoint: str
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def format(self) -> str:
        return (
            f"pushed     {self.graphs} graphs, {self.triples} triples "
            f"({self.bytes:,} bytes of N-Triples) to {self.endpoint} in {self.seconds:.1f} s"
        )


def auth_header(env: Mapping[str, str]) -> str | None:
    """The ``Authorization`` header from the environment, or None.

    >>> auth_header({"KG_PUSH_TOKEN": "t"})
    'Bearer t'
    >>> auth_header({"KG_PUSH_USER": "u", "KG_PUSH_PASSWORD": "p"})
    'Basic dTpw'
    """
    token = env.get(ENV_TOKEN)
    if token:
        return f"Bearer {token}"
    user, password = env.get(ENV_USER), env.get(ENV_PASSWORD)
    if user is None and password is None:
        return None
    if not user or password is None:
        raise UsageError(
            f"{ENV_USER} and {ENV_PASSWORD} must be set together",
            hint=f"export both (or {ENV_TOKEN} for a bearer token)",
        )
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _check_endpoint(endpoint: str) -> str:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--endpoint {endpoint!r} is not an http(s) URL",
            hint="pass the Graph Store endpoint, e.g. http://localhost:7878/store",
        )
    if parts.username or parts.password:
        raise UsageError(
            "credentials in the --endpoint URL are not accepted (they would show in the "
            "process list and shell history)",
            hint=f"set {ENV_TOKEN}, or {ENV_USER} and {ENV_PASSWORD}, in the environment",
        )
    return endpoint


def _target(endpoint: str, graph: ox.NamedNode | None) -> str:
    query = "default" if graph is None else urllib.parse.urlencode({"graph": graph.value})
    return endpoint + ("&" if "?" in endpoint else "?") + query


def _put(url: str, path: Path, auth: str | None, endpoint: str, timeout: float) -> None:
    size = path.stat().st_size
    headers = {"Content-Type": CONTENT_TYPE, "Content-Length": str(size)}
    if auth:
        headers["Authorization"] = auth
    with open(path, "rb") as body:
        request = urllib.request.Request(url, data=body, headers=headers, method="PUT")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            text = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
            if exc.code in (401, 403):
                raise OutputError(
                    f"{endpoint} refused the upload: {exc.code} {exc.reason}",
                    hint=f"set {ENV_TOKEN}, or {ENV_USER} and {ENV_PASSWORD}, to credentials "
                    "the server accepts",
                ) from None
            raise OutputError(
                f"{endpoint} refused the upload: {exc.code} {exc.reason}"
                + (f": {text}" if text else ""),
                hint="check that --endpoint is the server's Graph Store endpoint "
                "(Oxigraph: /store, Fuseki: /DATASET/data)",
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise OutputError(
                f"cannot reach {endpoint}: {reason}",
                hint="is the server running? check --endpoint; rerun kg push to resume "
                "(each graph is replaced, so repeating is safe)",
            ) from None


def push(
    directory: Path,
    endpoint: str,
    *,
    env: Mapping[str, str] | None = None,
    progress: bool | None = None,
    timeout: float = 300.0,
) -> PushReport:
    """Upload every graph of the build in ``directory`` to ``endpoint`` (one PUT each).

    Raises
    ------
    InputError
        ``directory`` is not a build.
    UsageError
        ``endpoint`` is not an http(s) URL, or the credential variables are half set.
    OutputError
        The server cannot be reached or refuses an upload (the message names it).
    """
    from kg.rdf.store import open_build

    started = time.perf_counter()
    endpoint = _check_endpoint(endpoint)
    auth = auth_header(os.environ if env is None else env)
    store = open_build(Path(directory)).ox
    graphs: list[ox.NamedNode | None] = [
        g for g in store.named_graphs() if isinstance(g, ox.NamedNode)
    ]
    graphs.sort(key=lambda g: g.value if g is not None else "")
    graphs.insert(0, None)  # the default graph first
    report = PushReport(endpoint)
    show = progress if progress is not None else sys.stderr.isatty()
    from tqdm import tqdm

    with tempfile.TemporaryDirectory(prefix="kg-push-") as tmp:
        path = Path(tmp) / "graph.nt"
        for graph in tqdm(
            graphs, unit="graph", file=sys.stderr, disable=not show, leave=False, delay=0.5
        ):
            source: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph() if graph is None else graph
            store.dump(str(path), ox.RdfFormat.N_TRIPLES, from_graph=source)
            _put(_target(endpoint, graph), path, auth, endpoint, timeout)
            report.graphs += 1
            report.bytes += path.stat().st_size
            with open(path, "rb") as fh:
                report.triples += sum(1 for line in fh if line.strip())
    report.seconds = time.perf_counter() - started
    return report
