"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build.

The engine is the ``oxigraph`` package's own server, ``oxigraph
serve-read-only``, started on a private copy of the build's store (table files
hard-linked, so it is instant and a new build swapped into ``DIR`` changes
nothing under the server) and bound to a free port on 127.0.0.1.  A thin front
(:class:`Front`, the standard library's threading HTTP server) listens on the
public address and

* serves a small query page at ``/`` (and at ``/query`` for a browser);
* forwards SPARQL 1.1 Protocol query requests (``GET /query?query=…``, ``POST``
  form-encoded or ``application/sparql-query``) to oxigraph, with the prefixes
  of ``kg query`` predeclared (kg, id, rdf, rdfs, …), and streams the answer back;
* refuses updates (``/update``, ``update=``, ``application/sparql-update``, or
  update text sent as a query) with 403, and queries with ``SERVICE`` with 403
  unless started with ``allow_service`` — nothing is sent to oxigraph then, so a
  refused query never leaves the machine;
* applies the query time limit (oxigraph's ``--timeout-s``; oxigraph checks it
  only now and then, so when an answer is 2 s late the front restarts oxigraph,
  which stops the runaway query for sure).

SERVICE is found by :func:`kg.rdf.guard.uses_service` on the query's tokens with its comments,
strings and IRIs removed, so ``"SERVICE"`` in a literal or ``?service`` does not
trip it and no spelling of the keyword gets through.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.errors import DataError, InputError, OutputError
from kg.rdf.guard import is_update, uses_service

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
MAX_BODY = 1 << 20  # bytes of query text accepted


def find_oxigraph() -> str:
    """The ``oxigraph`` server executable (installed with the ``oxigraph`` package)."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise DataError(
        "the oxigraph server (the `oxigraph` command) is not installed",
        hint="reinstall union-kg (it depends on the oxigraph package): pip install -e .",
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the oxigraph child gets SIGTERM when kg serve dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def check_servable(directory: Path) -> Path:
    """The store of a complete build, or an :class:`InputError` saying what to run."""
    from kg.output import MARKER
    from kg.rdf.store import STORE_DIR, check_build_dir, has_store

    directory = Path(directory)
    check_build_dir(directory)
    if not (directory / MARKER).is_file() or not has_store(directory):
        raise InputError(
            f"{directory} is not a complete build with a store ({STORE_DIR}/ is missing "
            "or half-written)",
            hint=f"run `kg build <inputs> --out {directory}` and then kg serve again",
        )
    return directory / STORE_DIR


@dataclass
class Backend:
    """The oxigraph server process on its private port, and its copy of the store."""

    process: subprocess.Popen[bytes]
    port: int
    workdir: Path
    lock: int | None = None  # flock on workdir/.kg-lock: a live server's copy is never removed
    command: tuple[str, ...] = ()  # the oxigraph command line, without --bind
    restarting: threading.Lock = field(default_factory=threading.Lock)
    # restarts run on this one long-lived thread: the child's parent-death signal
    # (PR_SET_PDEATHSIG) fires when the *thread* that started it ends
    launcher: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="kg-serve-launch")
    )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def restart(self, port: int) -> None:
        """Kill oxigraph (still busy with a query over the limit) and start it afresh.

        ``port`` is the port the overrunning request used: when another request
        restarted the server meanwhile, nothing more is done.
        """
        with self.restarting:
            if port != self.port:
                return
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            proc, new_port = self.launcher.submit(_launch, list(self.command)).result()
            self.process, self.port = proc, new_port

    def stop(self) -> None:
        self.launcher.shutdown(wait=False)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)
        from kg.output import release_lock

        release_lock(self.workdir, self.lock)


def start_backend(directory: Path, timeout: float) -> Backend:
    """Copy the build's store and start ``oxigraph serve-read-only`` on it (loopback)."""
    from kg.rdf.store import snapshot

    check_servable(directory)
    exe = find_oxigraph()
    parent = Path(directory).resolve().parent
    try:
        workdir = Path(tempfile.mkdtemp(prefix=f".{Path(directory).name}.serve-", dir=parent))
    except OSError:
        workdir = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    from kg.output import hold_lock, remove_stale

    lock = hold_lock(workdir)  # released when this process ends, however it ends
    remove_stale(workdir.parent, f".{Path(directory).name}.serve-")  # of killed servers
    try:
        snapshot(Path(directory), workdir / "store")
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise OutputError(
            f"cannot copy the store of {directory} for the server: {exc}",
            hint="make room or serve a build on a writable disk",
        ) from exc
    command: tuple[str, ...] = (exe, "serve-read-only", "--location", str(workdir / "store"))
    command += ("--timeout-s", str(max(1, round(timeout))))
    try:
        proc, port = _launch(list(command))
    except OutputError:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return Backend(proc, port, workdir, lock, command)


def _launch(command: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    """Start the oxigraph server on a free loopback port; wait until it accepts connections."""
    for _attempt in range(5):
        port = free_port()
        proc = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                return proc, port
            time.sleep(0.05)
        err = b""
        if proc.poll() is not None and proc.stderr is not None:
            err = proc.stderr.read()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if b"in use" not in err.lower():
            text = " ".join(err.decode("utf-8", "replace").split())[:300]
            raise OutputError(
                f"the oxigraph server did not start: {text or 'no message'}",
                hint="rerun with --debug; check that the oxigraph package is installed",
            )
    raise OutputError("no free loopback port for the oxigraph server", hint="try again")


# ---------------------------------------------------------------- the front

PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>union-kg SPARQL</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:70em}
textarea{width:100%;height:14em;font-family:monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px}
#msg{color:#a00;white-space:pre-wrap}
</style></head><body>
<h1>union-kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint over the build <code>__DIR__</code>:
<code>__ENDPOINT__</code> (YASGUI, SPARQLWrapper, rdflib <code>SPARQLStore</code>).
Queries stop after __TIMEOUT__ s; updates and SERVICE are refused.</p>
<form id="f"><textarea id="q" name="query">__QUERY__</textarea><br>
<button type="submit">Run</button></form>
<div id="msg"></div><div id="out"></div>
<script>
document.getElementById('f').onsubmit = async (e) => {
  e.preventDefault();
  const msg = document.getElementById('msg'), out = document.getElementById('out');
  msg.textContent = ''; out.textContent = 'running…';
  const r = await fetch('query', {method: 'POST',
    headers: {'Content-Type': 'application/sparql-query',
              'Accept': 'application/sparql-results+json, text/plain'},
    body: document.getElementById('q').value});
  const text = await r.text();
  out.textContent = '';
  if (!r.ok) { msg.textContent = r.status + ': ' + text; return; }
  let data; try { data = JSON.parse(text); } catch (_) { out.textContent = text; return; }
  if ('boolean' in data) { out.textContent = String(data.boolean); return; }
  const t = document.createElement('table'), h = t.insertRow();
  for (const v of data.head.vars) {
    const c = document.createElement('th'); c.textContent = v; h.appendChild(c);
  }
  for (const b of data.results.bindings) {
    const row = t.insertRow();
    for (const v of data.head.vars) row.insertCell().textContent = b[v] ? b[v].value : '';
  }
  out.appendChild(t);
};
</script></body></html>
"""

EXAMPLE_QUERY = """PREFIX kg: <https://w3id.org/union-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?union ?name WHERE { ?union a kg:UnionBody ; rdfs:label ?name } LIMIT 20
"""

_FORWARD_HEADERS = ("Content-Type", "Content-Length", "Content-Encoding")
#: what oxigraph's server writes at the end of an answer that its time limit stopped
_CANCELLED = b"The SPARQL operation has been cancelled"
#: bytes of an answer held back before its status is sent (see ``_Handler._relay``)
_HOLD = 1 << 20


def _prefix_lines() -> str:
    from kg.rdf.iri import PREFIXES

    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


#: predeclared for every query (the same prefixes as ``kg query``); a query may redeclare them
_PREFIX_LINES = _prefix_lines()


class Front(ThreadingHTTPServer):
    """The public HTTP server: checks each query, forwards the rest to oxigraph."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        backend: Backend,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        allow_service: bool = False,
        directory: str = "",
        log: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.backend = backend
        self.query_timeout = timeout
        self.allow_service = allow_service
        self.directory = directory
        self.log = log

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{port}/query"


class _Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    # -- replies

    def _reply(self, status: int, body: str, ctype: str = "text/plain; charset=utf-8") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _page(self) -> None:
        page = (
            PAGE.replace("__DIR__", html.escape(self.server.directory))
            .replace("__ENDPOINT__", html.escape(self.server.url))
            .replace("__TIMEOUT__", f"{self.server.query_timeout:g}")
            .replace("__QUERY__", html.escape(EXAMPLE_QUERY))
        )
        self._reply(200, page, "text/html; charset=utf-8")

    # -- requests

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            return self._page()
        if url.path in ("/update", "/store"):
            return self._refuse_update()
        if url.path != "/query":
            return self._reply(404, f"no such page {url.path}; the SPARQL endpoint is /query\n")
        if "update" in params:
            return self._refuse_update()
        if "query" not in params:
            return self._page()
        self._forward(params["query"][0], params)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/update", "/store"):
            return self._refuse_update()
        if url.path != "/query":
            return self._reply(404, f"no such page {url.path}; the SPARQL endpoint is /query\n")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._reply(413, f"the query is longer than {MAX_BODY} bytes\n")
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return self._refuse_update()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-query":
            text = body.decode("utf-8", "replace")
        elif ctype in ("application/x-www-form-urlencoded", ""):
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form or "update" in params:
                return self._refuse_update()
            if "query" not in form:
                return self._reply(400, "no query: send query=… or application/sparql-query\n")
            text = form["query"][0]
            params.update(form)
        else:
            return self._reply(
                415, f"unsupported Content-Type {ctype}; use application/sparql-query\n"
            )
        self._forward(text, params)

    def do_PUT(self) -> None:
        self._refuse_update()

    do_DELETE = do_PATCH = do_PUT

    def _refuse_update(self) -> None:
        self._reply(403, "updates are not supported: the build is read-only\n")

    def _forward(self, text: str, params: dict[str, list[str]]) -> None:
        """Check ``text``, then send it (with the standard prefixes) to oxigraph."""
        if is_update(text):
            return self._refuse_update()
        if uses_service(text) and not self.server.allow_service:
            return self._reply(
                403,
                "SERVICE is refused: queries do not leave this machine unless kg serve "
                "runs with --allow-service\n",
            )
        fields = [(k, v) for k, values in params.items() if k != "query" for v in values]
        fields.insert(0, ("query", _PREFIX_LINES + text))
        data = urllib.parse.urlencode(fields).encode("ascii")
        headers = {
            "Accept": self.headers.get("Accept") or "*/*",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        backend = self.server.backend
        port = backend.port
        request = urllib.request.Request(backend.url, data=data, headers=headers)
        limit = self.server.query_timeout
        try:
            answer = urllib.request.urlopen(request, timeout=limit + 2)
        except urllib.error.HTTPError as exc:
            message = exc.read().decode("utf-8", "replace")
            if exc.code >= 500 and "timeout" in message.lower():
                return self._reply(503, f"the query ran over the time limit of {limit:g} s\n")
            return self._reply(exc.code if exc.code < 500 else 502, message)
        except TimeoutError:
            # oxigraph checks its own limit only now and then: stop it for sure
            try:
                backend.restart(port)
            except OutputError as exc:
                return self._reply(502, f"{exc}\n")
            return self._reply(503, f"the query ran over the time limit of {limit:g} s\n")
        except (urllib.error.URLError, OSError) as exc:
            return self._reply(502, f"the oxigraph server did not answer: {exc}\n")
        with answer:
            self._relay(answer, limit)

    def _relay(self, answer: http.client.HTTPResponse, limit: float) -> None:
        """Stream oxigraph's answer to the client, unless oxigraph cancelled it.

        oxigraph sends its status and the head of a result before it evaluates
        the rest, and when its time limit passes it ends the body with a message
        (:data:`_CANCELLED`) instead.  So the first :data:`_HOLD` bytes are held
        back: an answer cancelled within them is a 503; one cancelled later (its
        200 already sent) is cut off without its last chunk and the message, so
        that a client sees a broken transfer, never a complete-looking result.
        """
        held: list[bytes] = []
        size = 0
        ended = False
        while size < _HOLD:
            chunk = answer.read(1 << 16)
            if not chunk:
                ended = True
                break
            held.append(chunk)
            size += len(chunk)
        body = b"".join(held)
        if ended and body.endswith(_CANCELLED):
            return self._reply(503, f"the query ran over the time limit of {limit:g} s\n")
        self.send_response(answer.status)
        for name in _FORWARD_HEADERS:
            value = answer.headers.get(name)
            if value is not None:
                self.send_header(name, value)
        chunked = answer.headers.get("Content-Length") is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            pending = body  # one chunk is kept back: the message comes last
            while chunk := (b"" if ended else answer.read(1 << 16)):
                self._write(pending, chunked)
                pending = chunk
            if pending.endswith(_CANCELLED):
                self.close_connection = True  # no last chunk: the client sees the cut
                return
            self._write(pending, chunked)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except TimeoutError:
            self.close_connection = True

    def _write(self, data: bytes, chunked: bool) -> None:
        if not data:
            return
        if chunked:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        else:
            self.wfile.write(data)


def serve(
    directory: Path,
    *,
    port: int = DEFAULT_PORT,
    bind: str = "127.0.0.1",
    timeout: float = DEFAULT_TIMEOUT,
    allow_service: bool = False,
    say: Callable[[str], None] = print,
    log: Callable[[str], None] | None = None,
) -> None:
    """Serve the build in ``directory`` until interrupted (Ctrl-C or SIGTERM).

    Raises
    ------
    InputError
        ``directory`` is missing, not a build or has no complete store (exit 3).
    OutputError
        The address is taken or the oxigraph server cannot start (exit 5).
    """
    directory = Path(directory)
    check_servable(directory)
    backend = start_backend(directory, timeout)
    try:
        try:
            front = Front(
                (bind, port),
                backend,
                timeout=timeout,
                allow_service=allow_service,
                directory=str(directory),
                log=log,
            )
        except OSError as exc:
            raise OutputError(
                f"cannot listen on {bind}:{port}: {exc.strerror}",
                hint="choose another --port (or --bind)",
            ) from exc
        marker = _build_id(directory)
        say(
            f"serving {directory} at {front.url} (read-only; queries stop after {timeout:g} s"
            + ("" if allow_service else "; SERVICE refused")
            + ")"
        )
        say(
            f"point YASGUI, SPARQLWrapper or rdflib's SPARQLStore at {front.url}; "
            f"a query page is at {front.url[: -len('query')]}; Ctrl-C stops"
        )
        watcher = threading.Thread(
            target=_watch, args=(directory, marker, say), daemon=True, name="kg-serve-watch"
        )
        watcher.start()
        with front:
            front.serve_forever(poll_interval=0.2)
    finally:
        backend.stop()


def _build_id(directory: Path) -> tuple[int, int] | None:
    try:
        st = (Path(directory) / "store").stat()
        return (st.st_ino, st.st_mtime_ns)
    except OSError:
        return None


def _watch(directory: Path, marker: tuple[int, int] | None, say: Callable[[str], None]) -> None:
    """Say once when a new build replaced the one being served."""
    while True:
        time.sleep(2.0)
        now = _build_id(directory)
        if now is not None and now != marker:
            say(
                f"{directory} was rebuilt; this server still answers from the build it "
                "started on: restart kg serve to serve the new one"
            )
            return


__all__ = ["Front", "check_servable", "is_update", "serve", "uses_service"]
