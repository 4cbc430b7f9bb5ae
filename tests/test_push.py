"""``kg push``: a real read-write oxigraph server on loopback, and a recording one."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from kg.cli import main
from kg.rdf.store import open_build
from kg.serve import find_oxigraph, free_port

ROOT = Path(__file__).resolve().parents[1]
COUNT = "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("push") / "out"
    assert main(["build", str(ROOT / "seeds"), "--out", str(out), "--quiet", "--no-html"]) == 0
    return out


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            find_oxigraph(),
            "serve",
            "--location",
            str(tmp_path / "db"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def count(base: str) -> int:
    req = urllib.request.Request(
        base + "/query?" + urllib.parse.urlencode({"query": COUNT}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        data = json.loads(r.read())
    return int(data["results"]["bindings"][0]["n"]["value"])


def test_push_is_complete_and_idempotent(build: Path, oxigraph_server: str) -> None:
    local = len(open_build(build).ox)
    assert count(oxigraph_server) == 0
    assert main(["push", str(build), "--endpoint", oxigraph_server + "/store", "-q"]) == 0
    assert count(oxigraph_server) == local
    assert main(["push", str(build), "--endpoint", oxigraph_server + "/store", "-q"]) == 0
    assert count(oxigraph_server) == local
    # the same graphs, graph by graph
    req = urllib.request.Request(
        oxigraph_server
        + "/query?"
        + urllib.parse.urlencode({"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        remote = {b["g"]["value"] for b in json.loads(r.read())["results"]["bindings"]}
    assert remote == {g.value for g in open_build(build).ox.named_graphs()}


def test_push_to_a_server_that_is_down(build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    assert main(["push", str(build), "--endpoint", endpoint]) == 5
    err = capsys.readouterr().err
    assert endpoint in err and "cannot reach" in err and len(err.strip().splitlines()) == 1


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str, str | None]]] = []

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Recorder.seen.append((self.command, self.path, self.headers.get("Authorization")))
        self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_credentials_come_from_the_environment(
    build: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    httpd = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{httpd.server_address[1]}/store"
    try:
        monkeypatch.setenv("KG_PUSH_TOKEN", "s3cret")
        assert main(["push", str(build), "--endpoint", endpoint]) == 5
        err = capsys.readouterr().err
        assert "refused the upload: 401" in err and endpoint in err and "KG_PUSH_TOKEN" in err
        assert "s3cret" not in err
        assert _Recorder.seen[-1][0] == "PUT" and _Recorder.seen[-1][1].endswith("?default")
        assert _Recorder.seen[-1][2] == "Bearer s3cret"
        monkeypatch.delenv("KG_PUSH_TOKEN")
        monkeypatch.setenv("KG_PUSH_USER", "u")
        monkeypatch.setenv("KG_PUSH_PASSWORD", "p")
        assert main(["push", str(build), "--endpoint", endpoint]) == 5
        assert _Recorder.seen[-1][2] == "Basic dTpw"
    finally:
        httpd.shutdown()
        httpd.server_close()
    # no credentials in the URL, where the process list would show them
    assert main(["push", str(build), "--endpoint", "http://u:p@127.0.0.1:1/store"]) == 2


def test_push_needs_a_build(tmp_path: Path) -> None:
    assert main(["push", str(tmp_path / "nope"), "--endpoint", "http://127.0.0.1:1/"]) == 3
