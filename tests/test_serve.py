"""``kg serve``: a real oxigraph server behind the front, on loopback ports."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.cli import main
from kg.rdf.query import select
from kg.serve import free_port, is_update, uses_service

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve") / "out"
    assert main(["build", str(SEEDS), "--out", str(out), "--quiet", "--no-html"]) == 0
    return out


@dataclass
class Server:
    proc: subprocess.Popen[str]
    url: str
    lines: list[str]

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(10)


def start(directory: Path, *args: str) -> Server:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", str(directory), "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    lines: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("serving"):
            break
    if not lines or not lines[-1].startswith("serving"):
        proc.kill()
        raise AssertionError(f"kg serve did not start: {lines}")

    def pump() -> None:
        assert proc.stdout is not None
        for ln in proc.stdout:
            lines.append(ln)

    threading.Thread(target=pump, daemon=True).start()
    return Server(proc, f"http://127.0.0.1:{port}/query", lines)


@pytest.fixture(scope="module")
def server(build: Path) -> Iterator[Server]:
    srv = start(build)
    yield srv
    assert srv.stop() == 0


def get(url: str, query: str, accept: str = "application/sparql-results+json") -> dict:
    full = url + "?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(full, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def post(url: str, body: bytes, ctype: str) -> tuple[int, str]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_service_and_update_detection() -> None:
    assert uses_service("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    assert uses_service("SELECT * {\n  sErViCe#comment\n<http://x/> {} }")
    assert uses_service("SELECT * { SERVICE SILENT ?where {} }")
    assert not uses_service('SELECT ?service { ?service ?p "SERVICE <x>" } # SERVICE')
    assert not uses_service("PREFIX service: <http://s/> SELECT * { ?s service:x ex:SERVICE }")
    assert not uses_service("SELECT * { ?s ?p '''a\\n SERVICE b''' }")
    assert is_update("DROP ALL") and is_update("PREFIX a: <http://a/>\n INSERT DATA {}")
    assert is_update("# c\nCLEAR DEFAULT") and not is_update("SELECT * { ?s ?p 'DROP ALL' }")


def test_answers_like_kg_query(server: Server, build: Path) -> None:
    text = (ROOT / "ontology" / "queries" / "procuratorate_cooperation.rq").read_text("utf-8")
    data = get(server.url, text)  # the standard prefixes are predeclared
    got = sorted(
        (b["unionName"]["value"], b["procuratorateName"]["value"])
        for b in data["results"]["bindings"]
    )
    want = sorted(
        (r["unionName"], r["procuratorateName"]) for r in select(build, "procuratorate_cooperation")
    )
    assert got == want and len(got) >= 3
    status, body = post(server.url, b"ASK { ?x a kg:Procuratorate }", "application/sparql-query")
    assert status == 200 and json.loads(body)["boolean"] is True
    form = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).encode()
    status, body = post(server.url, form, "application/x-www-form-urlencoded")
    assert status == 200 and "n" in body


def test_rdflib_sparqlstore(server: Server) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(server.url, returnFormat="json"))
    rows = list(
        g.query(
            "SELECT ?name WHERE { ?b a <https://w3id.org/union-kg/ontology#NationalUnion> ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?name }"
        )
    )
    assert [str(r[0]) for r in rows] == ["中华全国总工会"]


def test_query_page(server: Server) -> None:
    with urllib.request.urlopen(server.url.rsplit("/", 1)[0] + "/", timeout=10) as r:
        page = r.read().decode("utf-8")
    assert "<textarea" in page and "/query" in page


def test_updates_are_refused(server: Server, build: Path) -> None:
    before = get(server.url, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    cases = [
        (b"INSERT DATA { <http://a/> <http://b/> <http://c/> }", "application/sparql-update"),
        (b"update=DROP+ALL", "application/x-www-form-urlencoded"),
        (b"query=DROP+ALL", "application/x-www-form-urlencoded"),
        (b"CLEAR ALL", "application/sparql-query"),
    ]
    for body, ctype in cases:
        status, text = post(server.url, body, ctype)
        assert status == 403 and "updates are not supported" in text, (body, status, text)
    status, text = post(server.url.replace("/query", "/update"), b"update=DROP+ALL", "a/b")
    assert status == 403
    req = urllib.request.Request(
        server.url.replace("/query", "/store") + "?default", data=b"", method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req, timeout=10)
    assert exc.value.code == 403
    assert get(server.url, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }") == before


class Listener:
    """A loopback TCP listener that records every connection and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        held = []
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            held.append(conn)
        for c in held:
            c.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(5)
        self.sock.close()


def test_service_is_refused_before_any_connection(server: Server) -> None:
    listener = Listener()
    try:
        target = f"http://127.0.0.1:{listener.port}/sparql"
        queries = [
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"select * {{ service silent <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
            f"SELECT * {{ SERVICE#x\n<{target}> {{ ?s ?p ?o }} }}",
        ]
        for q in queries:
            status, text = post(server.url, q.encode(), "application/sparql-query")
            assert status == 403 and "SERVICE is refused" in text, (q, status, text)
            with pytest.raises(urllib.error.HTTPError) as exc:
                get(server.url, q)
            assert exc.value.code == 403
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_serves_the_build_it_started_on(build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(build, out)
    srv = start(out)
    try:
        count = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
        before = get(srv.url, count)
        one = SEEDS / sorted(os.listdir(SEEDS))[0]
        assert main(["build", str(one), "--out", str(out), "--quiet", "--no-html"]) == 0
        assert get(srv.url, count) == before  # still the build it started on
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any("restart" in ln for ln in srv.lines):
            time.sleep(0.2)
        assert any("rebuilt" in ln and "restart kg serve" in ln for ln in srv.lines)
    finally:
        assert srv.stop() == 0
    # the private copy of the store is gone, and so is the oxigraph child
    assert not [p for p in tmp_path.iterdir() if ".serve-" in p.name]


def test_query_time_limit(build: Path) -> None:
    srv = start(build, "--timeout", "1")
    try:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        started = time.monotonic()
        status, text = post(srv.url, heavy.encode(), "application/sparql-query")
        assert time.monotonic() - started < 15
        assert status == 503 and "time limit of 1 s" in text
        # the runaway query was stopped (oxigraph restarted): the next one answers at once
        started = time.monotonic()
        status, text = post(srv.url, b"ASK { ?s ?p ?o }", "application/sparql-query")
        assert status == 200 and time.monotonic() - started < 5, (status, text)
    finally:
        assert srv.stop() == 0


def test_missing_or_half_written_build_exits_3(tmp_path: Path, build: Path) -> None:
    def run(d: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kg.cli", "serve", str(d), "--port", str(free_port())],
            capture_output=True,
            text=True,
            timeout=60,
        )

    proc = run(tmp_path / "nowhere")
    assert proc.returncode == 3 and "kg build" in proc.stderr
    half = tmp_path / "half"
    half.mkdir()
    shutil.copy(build / "graph.trig", half / "graph.trig")
    proc = run(half)
    assert proc.returncode == 3 and "kg build" in proc.stderr and "store" in proc.stderr


class _Answer:
    """oxigraph's answer as the front reads it: a status, headers, a body in chunks."""

    def __init__(self, chunks: list[bytes]) -> None:
        import email.message

        self.status = 200
        self.headers = email.message.Message()
        self.headers["Content-Type"] = "application/sparql-results+json"
        self.chunks = list(chunks)

    def read(self, _size: int) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""


def _relay(chunks: list[bytes]) -> tuple[bytes, bool]:
    import io
    import types

    from kg import serve as srv

    h = srv._Handler.__new__(srv._Handler)
    h.wfile = io.BytesIO()
    h.request_version = "HTTP/1.1"
    h.requestline = "POST /query HTTP/1.1"
    h.command = "POST"
    h.client_address = ("127.0.0.1", 0)
    h.close_connection = False
    h.server = types.SimpleNamespace(log=None)  # type: ignore[assignment]
    h._relay(_Answer(chunks), 1.0)  # type: ignore[arg-type]
    return h.wfile.getvalue(), h.close_connection


def test_an_answer_oxigraph_cancelled_is_a_503_not_a_200() -> None:
    """Regression: oxigraph sends 200 and the head of a result before it evaluates
    the rest; when its time limit passed, the front forwarded a 200 whose body
    ended in oxigraph's message (seen with a cross join of a small store)."""
    from kg.serve import _CANCELLED

    out, _ = _relay([b'{"head":{"vars":["n"]},"results":{"bindings":[', _CANCELLED])
    assert out.startswith(b"HTTP/1.1 503") and b"time limit of 1 s" in out
    assert _CANCELLED not in out


def test_an_answer_cancelled_after_its_200_is_cut_off() -> None:
    from kg.serve import _CANCELLED, _HOLD

    big = [b"x" * (1 << 16)] * (_HOLD // (1 << 16) + 2)
    out, closed = _relay([*big, b"tail", _CANCELLED])
    assert out.startswith(b"HTTP/1.1 200")
    assert _CANCELLED not in out and not out.endswith(b"0\r\n\r\n") and closed
    # a whole answer goes through unchanged, with its last chunk
    out, closed = _relay([*big, b"tail"])
    assert out.endswith(b"4\r\ntail\r\n0\r\n\r\n") and not closed
    assert out.count(b"x" * (1 << 16)) == len(big)
