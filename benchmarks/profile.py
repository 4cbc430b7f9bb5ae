"""``python -m benchmarks.profile``: where extraction's time goes (pyinstrument).

Profiles ``kg.text.split_articles`` + ``kg.extract.extract_document`` over the
seeds repeated to ``--size`` bytes (5 MB by default) on one core, after one
warm-up document, and writes the text report to ``OUT/profile.txt`` (and
``profile.html``).  ``--build`` profiles a whole ``kg.pipeline.build`` of the
generated corpus at ``--scale`` instead (all stages: text, extraction, RDF,
networkx, HTML), which names the slowest stage end to end.  ``--process N``
profiles ``kg extract`` as a whole process over the seeds repeated N times
(issue 14's whole-process measure: interpreter start-up, imports and lexicon
loading included) in a child ``python -m pyinstrument`` and writes
``OUT/profile-process.txt``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import DEFAULT_OUT, missing, seed_paths


def _extraction(size: int) -> tuple[object, float, int]:
    from pyinstrument import Profiler

    from benchmarks.bench_extraction import _docs, _repeat_to
    from kg.extract import extract_document
    from kg.text import split_articles

    docs = _repeat_to(_docs(seed_paths()), size)
    extract_document(docs[0], split_articles(docs[0]))  # warm-up: lexicons, automata
    profiler = Profiler(interval=0.001)
    t0 = time.perf_counter()
    profiler.start()
    for d in docs:
        extract_document(d, split_articles(d))
    profiler.stop()
    return profiler, time.perf_counter() - t0, sum(len(d.text) for d in docs)


def _build(scale: float) -> tuple[object, float, int]:
    from pyinstrument import Profiler

    from benchmarks.bench_scale import seed_chars
    from benchmarks.common import out_dir
    from benchmarks.generate import generate_corpus
    from kg.pipeline import build

    label = f"{scale:g}x"
    corpus = out_dir() / "corpus" / f"scale-{label}"
    manifest = generate_corpus(corpus, int(scale * seed_chars()))
    profiler = Profiler(interval=0.001)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        profiler.start()
        build([str(corpus)], Path(tmp) / "out", progress=False)
        profiler.stop()
        seconds = time.perf_counter() - t0
    return profiler, seconds, int(manifest["chars"])


def _process(copies: int, out: Path) -> int:
    """Profile ``kg extract`` as a child process over the seeds repeated ``copies`` times."""
    import subprocess

    texts = [p.read_text(encoding="utf-8") for p in seed_paths()]
    report = out / "profile-process.txt"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-profile-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(copies):
            for k, text in enumerate(texts):
                (folder / f"c{i:03d}_{k}.txt").write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-m", "pyinstrument", "--no-color", "-o", str(report)]
        cmd += ["-m", "kg.cli", "extract", str(folder), "--out", str(Path(tmp) / "x.jsonl")]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        return 1
    text = report.read_text(encoding="utf-8")
    print(text[:4000])
    print(f"wrote {report}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    ap.add_argument("--size", type=int, default=5_000_000, help="bytes of repeated seeds")
    ap.add_argument("--build", action="store_true", help="profile a whole kg build instead")
    ap.add_argument("--scale", type=float, default=10, help="corpus scale for --build")
    ap.add_argument(
        "--process", type=int, metavar="N", help="profile kg extract as a process, seeds x N"
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if args.process:
        why = missing("pyinstrument:Profiler")
        if why:
            print(f"profile not available: {why}", file=sys.stderr)
            return 1
        return _process(args.process, args.out)
    needs = ["pyinstrument:Profiler", "kg.text:split_articles", "kg.extract:extract_document"]
    if args.build:
        needs.append("kg.pipeline:build")
    why = missing(*needs)
    if why:
        print(f"profile not available: {why}", file=sys.stderr)
        return 1
    if args.build:
        profiler, seconds, chars = _build(args.scale)
        name = "profile-build"
    else:
        profiler, seconds, chars = _extraction(args.size)
        name = "profile"
    args.out.mkdir(parents=True, exist_ok=True)
    head = f"# {name}: {chars:,} chars in {seconds:.2f} s = {chars / seconds:,.0f} chars/s\n"
    text = profiler.output_text(unicode=True, color=False, show_all=False)  # type: ignore[attr-defined]
    (args.out / f"{name}.txt").write_text(head + text, encoding="utf-8")
    (args.out / f"{name}.html").write_text(profiler.output_html(), encoding="utf-8")  # type: ignore[attr-defined]
    print(head + text[:4000])
    print(f"wrote {args.out / (name + '.txt')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
