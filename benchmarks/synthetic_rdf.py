"""Graphs of a requested size in the project's RDF shape (SPARQL, reasoning, HTML).

Extraction is not needed for these benchmarks, so the graphs are made from
synthetic :class:`kg.model.DocResult` objects: the casts of
:class:`benchmarks.generate.Generator` (regions from the gazetteer, bodies,
agencies, programs and worker groups from the shipped lexicons) become
entities, and each article states cooperation, runs, participates and serves
relations, each with an evidence sentence.  They go through the product's own
``kg.rdf.build.to_dataset`` and ``write_graphs``, so the files have exactly the
shape of a real build (named graph per article, evidence nodes, regions).

Command line::

    python -m benchmarks.synthetic_rdf --triples 100000 --out /tmp/rdf100k
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.generate import Generator
from kg.model import Article, DocResult, Document, Entity, Evidence, Mention, Relation

SYNTHETIC_VERSION = 6  # 3: with the store (DIR/store); 4: its index links; 5: compacted;
# 6: no evidence nodes in the default graph
_LEVEL = {"province": "provincial", "prefecture": "prefectural", "county": "county"}


def _program_name(surface: str) -> str:
    return surface.replace("“", "").replace("”", "")


def synthetic_results(n_articles: int, *, seed: int = 0, per_doc: int = 4) -> Iterator[DocResult]:
    """``n_articles`` synthetic articles, ``per_doc`` to a document.

    Examples
    --------
    >>> rs = list(synthetic_results(3, seed=1))
    >>> len(rs), sum(len(r.articles) for r in rs), all(r.relations for r in rs)
    (1, 3, True)
    """
    gen = Generator(seed)
    rng = random.Random(seed)
    places = gen.vocab.places
    made = 0
    doc_no = 0
    while made < n_articles:
        n = min(per_doc, n_articles - made)
        doc_id = f"synthetic_{doc_no:07d}.txt"
        doc = Document(doc_id=doc_id, path=f"synthetic/{doc_id}", text="")
        res = DocResult(doc=doc, articles=[])
        for a in range(n):
            _article(gen, rng, res, a, places)
        made += n
        doc_no += 1
        yield res


def _article(gen: Generator, rng: random.Random, res: DocResult, a: int, places: Any) -> None:
    cast = gen._cast(rng)
    area = cast.region
    parent = places.get(area.parent) if area.parent else None
    title = f"{cast.union}开展{cast.programs[0]}"
    res.articles.append(
        Article(
            doc_id=res.doc.doc_id,
            index=a,
            start=0,
            end=0,
            title=title,
            date=f"20{rng.randint(15, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        )
    )

    def ent(type_: str, name: str, place: Any = None) -> str:
        e = Entity(type=type_, name=name, kind=gen.vocab.kind_of(type_, name))
        if place is not None and gen.qualified(place) + "总工会" == name:
            e.region_code, e.region_name = place.code, place.name
            e.level = _LEVEL.get(place.level)
        key = e.key
        res.entities.setdefault(key, e)
        res.mentions.append(Mention(key, 0, len(name), name, a, 0))
        return key

    u = ent("UnionBody", cast.union, area)
    u2 = ent("UnionBody", cast.union2, parent)
    ags = [ent("PartnerAgency", x) for x in cast.agencies]
    progs = [ent("Program", _program_name(p)) for p in cast.programs]
    groups = [ent("WorkerGroup", g) for g in cast.groups]
    facts = [
        (u, "cooperatesWith", ags[0], "联合"),
        (u, "cooperatesWith", ags[1], "协同"),
        (u, "runs", progs[0], "开展"),
        (u, "runs", progs[1], "推出"),
        (ags[0], "participatesIn", progs[0], "参与"),
        (u2, "participatesIn", progs[1], "参加"),
        (progs[0], "serves", groups[0], "面向"),
        (progs[1], "serves", groups[1], "服务"),
        (u, "serves", groups[-1], "慰问"),
    ]
    for i, (s, p, o, trig) in enumerate(facts):
        if rng.random() < 0.15:
            continue  # not every article states every kind of fact
        sn, on = s.split(":", 1)[1], o.split(":", 1)[1]
        text = f"{sn}{trig}{on}。"
        ev = Evidence(
            doc_id=res.doc.doc_id,
            article=a,
            sentence=i,
            sentence_start=0,
            sentence_end=len(text),
            text=text,
            s_start=0,
            s_end=len(sn),
            o_start=len(sn) + len(trig),
            o_end=len(sn) + len(trig) + len(on),
            extractor="synthetic",
            confidence=round(0.6 + 0.4 * rng.random(), 2),
            trigger=trig,
            trigger_start=len(sn),
            trigger_end=len(sn) + len(trig),
        )
        res.relations.append(Relation(s, p, o, [ev]))


def _triples_per_article(seed: int) -> float:
    from kg.rdf.build import to_dataset

    sample = 200
    ds = to_dataset(synthetic_results(sample, seed=seed + 1))
    union = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
    return len(union) / sample


def build_dir(out: str | Path, triples: int, *, seed: int = 0) -> dict[str, Any]:
    """Write a build directory (``graph.trig``, ``graph.ttl``) of about ``triples`` triples.

    A directory already written with the same request is reused.  Returns the
    counts of ``write_graphs`` plus the request (``target_triples``, ``articles``).
    """
    from kg.output import MARKER
    from kg.rdf.build import to_dataset, write_graphs

    out = Path(out)
    manifest = out / "synthetic.json"
    want = {"version": SYNTHETIC_VERSION, "seed": seed, "target_triples": triples}
    if manifest.exists() and (out / "graph.trig").exists() and (out / "store").is_dir():
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        if all(old.get(k) == v for k, v in want.items()):
            return dict(old)
    # the entity vocabulary grows with size, so the density drifts: calibrate once, then top up
    articles = max(1, round(triples / _triples_per_article(seed)))
    ds = to_dataset(synthetic_results(articles, seed=seed))
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by benchmarks.synthetic_rdf\n", encoding="utf-8")
    (out / "inferred.trig").unlink(missing_ok=True)
    counts = write_graphs(ds, out)
    info = dict(want, synthetic_articles=articles, **counts)
    manifest.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def ensure_build_dir(out: str | Path, triples: int, *, seed: int = 0) -> dict[str, Any]:
    """:func:`build_dir` in a child process, so that its memory is given back.

    Building a million-triple dataset with rdflib leaves gigabytes in the
    Python heap; the benchmark that then loads the files should not carry them.
    """
    import subprocess

    cmd = [sys.executable, "-m", "benchmarks.synthetic_rdf", "--triples", str(triples)]
    proc = subprocess.run(
        [*cmd, "--out", str(out), "--seed", str(seed)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"synthetic graph of {triples} triples failed: {tail}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.synthetic_rdf --triples N --out DIR``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.synthetic_rdf", description=__doc__)
    ap.add_argument("--triples", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    print(json.dumps(build_dir(args.out, args.triples, seed=args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
