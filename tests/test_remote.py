"""Builds to and from fsspec URLs: uploads under a new prefix, a manifest switched last.

``memory://`` is an fsspec file system inside this process, so the commands
run in-process (``kg.cli.main``); ``file://`` goes through the same code with
real files.
"""

from __future__ import annotations

import doctest
import json
import uuid
from pathlib import Path

import pytest

import kg.remote
from kg.cli import main
from kg.errors import OutputError
from kg.remote import MANIFEST, resolve_build, upload_build

fsspec = pytest.importorskip("fsspec")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Downloaded builds go to a cache of this test's own."""
    path = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(path))
    return path


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds built into a local directory (the reference)."""
    out = tmp_path_factory.mktemp("local") / "out"
    assert main(["build", str(SEEDS), "--out", str(out), "--no-html", "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second, different build (two of the seed pages)."""
    out = tmp_path_factory.mktemp("other") / "out"
    pages = sorted(SEEDS.glob("*.txt"))[:2]
    assert main(["build", *map(str, pages), "--out", str(out), "--no-html", "-q"]) == 0
    return out


def _url() -> str:
    return f"memory://kg-test-{uuid.uuid4().hex[:8]}/graph"


def _manifest(url: str) -> dict[str, object]:
    fs, path = fsspec.core.url_to_fs(url)
    return dict(json.loads(fs.cat_file(f"{path}/{MANIFEST}")))


def test_build_to_a_url_and_read_it_back(local: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _url()
    assert main(["build", str(SEEDS), "--out", url, "--no-html", "-q"]) == 0
    manifest = _manifest(url)
    assert str(manifest["build"]).startswith("builds/")
    copy = resolve_build(url)
    for name in ("graph.trig", "extraction.jsonl", "graph.ttl"):
        assert (copy / name).read_bytes() == (local / name).read_bytes(), name
    # the reading commands follow the manifest
    assert main(["stats", url, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert main(["stats", str(local), "--json"]) == 0
    assert stats == json.loads(capsys.readouterr().out)
    assert main(["query", url, "partners", "--param", "body=江苏省总工会", "--format", "csv"]) == 0
    remote_rows = capsys.readouterr().out
    assert (
        main(["query", str(local), "partners", "--param", "body=江苏省总工会", "--format", "csv"])
        == 0
    )
    assert remote_rows == capsys.readouterr().out and remote_rows.count("\n") > 1


def test_a_reader_during_a_second_build_sees_the_first(local: Path, other: Path) -> None:
    url = _url()
    first = upload_build(local, url)
    seen: list[bytes] = []

    def read_meanwhile(rel: str) -> None:  # called after each file of the second upload
        seen.append((resolve_build(url) / "graph.trig").read_bytes())

    second = upload_build(other, url, on_file=read_meanwhile)
    assert first["build"] != second["build"]
    assert seen and all(s == (local / "graph.trig").read_bytes() for s in seen)
    assert (resolve_build(url) / "graph.trig").read_bytes() == (other / "graph.trig").read_bytes()


def test_a_half_uploaded_build_is_never_followed(local: Path, other: Path) -> None:
    url = _url()
    upload_build(local, url)
    before = _manifest(url)
    count = 0

    def fail_half_way(rel: str) -> None:
        nonlocal count
        count += 1
        if count == 3:
            raise KeyboardInterrupt  # the uploader is stopped in the middle

    with pytest.raises(KeyboardInterrupt):
        upload_build(other, url, on_file=fail_half_way)
    assert _manifest(url) == before  # not switched
    assert (resolve_build(url) / "graph.trig").read_bytes() == (local / "graph.trig").read_bytes()


def test_a_changed_or_missing_file_is_an_error_not_a_wrong_answer(local: Path) -> None:
    url = _url()
    manifest = upload_build(local, url)
    fs, root = fsspec.core.url_to_fs(url)
    fs.pipe_file(f"{root}/{manifest['build']}/graph.trig", b"tampered")
    with pytest.raises(OutputError, match=r"differs from MANIFEST\.json"):
        resolve_build(url)
    fs.rm(f"{root}/{manifest['build']}/graph.trig")
    with pytest.raises(OutputError, match="is missing"):
        resolve_build(url)


def test_no_manifest_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    url = _url()
    assert main(["stats", url]) == OutputError.exit_code == 5
    err = capsys.readouterr().err
    assert "holds no build (no MANIFEST.json)" in err and f"--out {url}" in err


def test_reason_refuses_a_url(local: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = _url()
    upload_build(local, url)
    assert main(["reason", url]) == 2
    assert "builds at URLs are read-only" in capsys.readouterr().err


def test_old_builds_are_pruned_but_the_previous_is_kept(local: Path, other: Path) -> None:
    url = _url()
    names = [upload_build(b, url)["build"] for b in (local, other, local, other)]
    fs, root = fsspec.core.url_to_fs(url)
    left = sorted(
        "builds/" + p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(f"{root}/builds", detail=False)
    )
    assert left == sorted(names[-2:])


def test_file_url_inputs_and_outputs(local: Path, tmp_path: Path) -> None:
    out = tmp_path / "remote"
    assert main(["build", SEEDS.as_uri(), "--out", out.as_uri(), "--no-html", "-q"]) == 0
    assert (out / MANIFEST).is_file()
    copy = resolve_build(out.as_uri())
    assert (copy / "extraction.jsonl").read_bytes() == (local / "extraction.jsonl").read_bytes()
    # the documents are recorded under their URLs, not under a temporary copy
    trig = (copy / "graph.trig").read_text(encoding="utf-8")
    assert f'kg:sourceFile "{SEEDS.as_uri()}/' in trig and "kg-inputs-" not in trig
    # the same URL inputs give the same bytes again
    again = tmp_path / "again"
    assert main(["build", SEEDS.as_uri(), "--out", str(again), "--no-html", "-q"]) == 0
    assert (again / "graph.trig").read_text(encoding="utf-8") == trig


def test_extract_to_and_from_urls(local: Path, tmp_path: Path) -> None:
    url = _url() + "/pred.jsonl"
    page = sorted(SEEDS.glob("*.txt"))[0]
    assert main(["extract", str(SEEDS), "--out", url, "-q"]) == 0
    fs, path = fsspec.core.url_to_fs(url)
    assert fs.cat_file(path) == (local / "extraction.jsonl").read_bytes()
    glob = SEEDS.as_uri() + "/*.txt"
    assert main(["extract", glob, "--out", str(tmp_path / "p.jsonl"), "-q"]) == 0
    assert (tmp_path / "p.jsonl").read_bytes() == (local / "extraction.jsonl").read_bytes()
    assert main(["extract", page.as_uri(), "--out", str(tmp_path / "one.jsonl"), "-q"]) == 0
    assert (
        (tmp_path / "one.jsonl").read_text(encoding="utf-8").startswith(f'{{"doc": "{page.name}"')
    )


def test_missing_input_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", _url() + "/nothing", "--out", str(tmp_path / "p.jsonl")])
    assert code == 3
    assert "does not exist" in capsys.readouterr().err


def test_module_doctests() -> None:
    assert doctest.testmod(kg.remote).failed == 0
