"""The compiled modules (hatch_build.py, kg.native): what the install compiled, and
stale ones reported rather than silently run."""

from __future__ import annotations

import hashlib
import json
import os
import sysconfig
from pathlib import Path

import pytest

import kg
from kg.cli import main
from kg.native import status


def _package(tmp_path: Path, text: str = "x = 1\n") -> Path:
    pkg = tmp_path / "kg"
    (pkg / "extract").mkdir(parents=True)
    src = pkg / "extract" / "resolve.py"
    src.write_text(text, encoding="utf-8")
    record = {
        "compiled": ["kg/extract/resolve.so"],
        "sources": {"kg/extract/resolve.py": hashlib.sha256(text.encode()).hexdigest()},
    }
    (pkg / "_native.json").write_text(json.dumps(record), encoding="utf-8")
    return pkg


def test_matching_sources_are_ok(tmp_path: Path) -> None:
    s = status(_package(tmp_path))
    assert s.ok and s.compiled == ("kg.extract.resolve",)
    assert "1 modules compiled" in s.describe()


def test_an_edited_source_is_stale_and_says_how_to_fix_it(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    (pkg / "extract" / "resolve.py").write_text("x = 2\n", encoding="utf-8")
    s = status(pkg)
    assert not s.ok and s.stale == ("kg.extract.resolve",)
    assert "pip install -e ." in s.describe() and "KG_NATIVE=off" in s.describe()


def test_a_removed_source_is_stale(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    (pkg / "extract" / "resolve.py").unlink()
    assert status(pkg).stale == ("kg.extract.resolve",)


def test_no_record_means_pure_python(tmp_path: Path) -> None:
    (tmp_path / "kg").mkdir()
    s = status(tmp_path / "kg")
    assert s.ok and s.compiled == () and "pure Python" in s.describe()


def test_an_unreadable_record_is_reported(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    (pkg / "_native.json").write_text("{not json", encoding="utf-8")
    s = status(pkg)
    assert not s.ok and "_native.json" in s.stale[0]


def test_version_says_whether_modules_are_compiled(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"kg {kg.__version__} (") and ("compiled" in out or "pure" in out)


def test_the_installed_modules_are_the_compiled_ones() -> None:
    """Where the install compiled (always in CI: `pip install -e .` with a compiler),
    the extraction modules that run are the compiled ones, all of them."""
    s = status()
    if not s.compiled:
        if os.environ.get("CI"):
            pytest.fail(f"CI installed pure Python: {s.describe()}")
        pytest.skip(s.describe())
    import importlib

    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for name in s.compiled:
        module = importlib.import_module(name)
        assert str(module.__file__).endswith(suffix), name


def test_results_cross_process_boundaries_intact() -> None:
    """Workers (--workers, --dask) send documents and results by pickle: the compiled
    classes round-trip equal (a frozen Document and TextView once failed to unpickle)."""
    import pickle

    from kg.extract import extract_document
    from kg.text import iter_documents, split_articles

    root = Path(__file__).resolve().parents[1]
    doc = next(iter(iter_documents([str(root / "seeds")])))
    assert pickle.loads(pickle.dumps(doc)) == doc
    result = extract_document(doc, split_articles(doc))
    back = pickle.loads(pickle.dumps(result))
    assert back.entities == result.entities and back.relations == result.relations
    assert back.facts == result.facts and back.mentions == result.mentions
    views = [(s.view.text, s.view._segments) for a in back.articles for s in a.sentences]
    assert views == [(s.view.text, s.view._segments) for a in result.articles for s in a.sentences]
