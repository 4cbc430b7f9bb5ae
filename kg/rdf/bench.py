"""Synthetic build data and the measurements quoted in docs/RDF.md.

``python -m kg.rdf.bench --docs 400 --owlrl`` builds a synthetic graph (real
region codes from the gazetteer, invented body and program names), then times
``kg reason`` against owlrl's ``DeductiveClosure(OWLRL_Semantics)`` and the
named queries on oxigraph against rdflib's in-memory SPARQL engine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from kg.model import Article, DocResult, Document, Entity, Evidence, Mention, Relation

_GROUPS = ("外卖骑手", "快递员", "货车司机", "网约车司机", "环卫工人", "农民工", "女职工")
_AGENCIES = (
    ("人民法院", "court"),
    ("人民检察院", "procuratorate"),
    ("人力资源和社会保障局", "hrss"),
    ("司法局", "justice"),
    ("法律援助中心", "legal_aid"),
)


def _regions(rng: random.Random) -> list[tuple[str, str, str, str, str, str]]:
    """(province code, name, prefecture code, name, county code, name) triples."""
    from kg.lexicon.regions import Gazetteer

    gaz = Gazetteer.load()
    out = []
    for county in gaz.by_level("county"):
        chain = gaz.chain(county.code)
        pref = next((r for r in chain if r.level == "prefecture"), None)
        prov = next((r for r in chain if r.level == "province"), None)
        if pref is not None and prov is not None:
            out.append((prov.code, prov.name, pref.code, pref.name, county.code, county.name))
    rng.shuffle(out)
    return out


def synthetic_results(n_docs: int, seed: int = 1) -> list[DocResult]:
    """``n_docs`` invented documents, each with ~12 entities and ~10 relations."""
    rng = random.Random(seed)
    regions = _regions(rng)[: max(1, n_docs // 2)]
    results = []
    for d in range(n_docs):
        pc, pn, fc, fn, cc, cn = regions[d % len(regions)]
        doc_id = f"synthetic_{d:05d}.txt"
        ents = [
            Entity(
                "UnionBody",
                f"{pn}总工会",
                kind="provincial",
                level="provincial",
                region_code=pc,
                region_name=pn,
            ),
            Entity(
                "UnionBody",
                f"{fn}总工会",
                kind="prefectural",
                level="prefectural",
                region_code=fc,
                region_name=fn,
            ),
            Entity(
                "UnionBody",
                f"{fn}{cn}总工会",
                kind="county",
                level="county",
                region_code=cc,
                region_name=cn,
            ),
            Entity(
                "UnionBody", "中华全国总工会", aliases={"全总"}, kind="national", level="national"
            ),
        ]
        for suffix, kind in rng.sample(_AGENCIES, 3):
            ents.append(
                Entity(
                    "PartnerAgency",
                    f"{fn}{suffix}",
                    kind=kind,
                    level="prefectural",
                    region_code=fc,
                    region_name=fn,
                )
            )
        programs = [
            Entity("Program", f"专项行动{rng.randrange(3 * n_docs + 10)}") for _ in range(3)
        ]
        groups = [Entity("WorkerGroup", g) for g in rng.sample(_GROUPS, 2)]
        ents += programs + groups
        orgs = ents[:7]
        sentences = []
        rels: list[Relation] = []
        for k in range(10):
            s = rng.choice(orgs)
            if k < 4:
                p, o = "cooperatesWith", rng.choice([e for e in orgs if e is not s])
            elif k < 7:
                p, o = rng.choice(("runs", "participatesIn")), rng.choice(programs)
            else:
                s, p, o = rng.choice(programs), "serves", rng.choice(groups)
            text = f"{s.name}与{o.name}共同推进第{k}项工作。"
            sentences.append(text)
            start = sum(len(t) for t in sentences[:-1])
            ev = Evidence(
                doc_id,
                0,
                k,
                start,
                start + len(text),
                text,
                start,
                start + len(s.name),
                start + len(s.name) + 1,
                start + len(s.name) + 1 + len(o.name),
                "synthetic",
                round(rng.uniform(0.5, 1.0), 2),
                "共同推进",
                None,
                None,
            )
            rels.append(Relation(s.key, p, o.key, [ev]))
        text = "".join(sentences)
        doc = Document(doc_id, doc_id, text, date="2025-01-01")
        art = Article(doc_id, 0, 0, len(text), f"合成稿件{d}", date="2025-01-01")
        mentions = [Mention(e.key, 0, 1, text[0:1], 0, 0) for e in ents[:3]]
        results.append(DocResult(doc, [art], {e.key: e for e in ents}, mentions, rels))
    return results


def _time(fn: object, repeat: int = 3) -> float:
    """Median CPU seconds of ``fn()`` (CPU, not wall: the machine is shared)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()  # type: ignore[operator]
        times.append(time.process_time() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    """Print the measurements (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m kg.rdf.bench")
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--dir", type=Path, default=None, help="an existing build dir instead")
    ap.add_argument("--owlrl", action="store_true", help="also time owlrl (slow)")
    ap.add_argument("--queries", action="store_true", help="time named queries on both engines")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per rdflib query")
    args = ap.parse_args(argv)

    from kg.rdf.build import to_dataset, write_graphs
    from kg.rdf.reason import reason

    out = args.dir
    if out is None:
        out = Path(tempfile.mkdtemp(prefix="kg-bench-"))
        t = time.perf_counter()
        counts = write_graphs(to_dataset(synthetic_results(args.docs)), out)
        print(f"built {counts} in {time.perf_counter() - t:.2f}s -> {out}")
    report = reason(out)
    print(
        f"kg reason: {report.seconds:.2f}s wall, {report.cpu_seconds:.2f}s cpu, "
        f"{report.input_triples} triples in, {report.inferred} inferred, {report.rounds} rounds"
    )
    if args.owlrl:
        import owlrl
        from rdflib import Graph

        from kg.rdf.ontology import ontology_graph

        g = Graph()
        g.parse(out / "graph.ttl", format="turtle")
        g += ontology_graph()
        n = len(g)
        t = time.perf_counter()
        cpu = time.process_time()
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
        print(
            f"owlrl: {time.perf_counter() - t:.2f}s wall, {time.process_time() - cpu:.2f}s cpu "
            f"on {n} triples"
        )
    if args.queries:
        _bench_queries(out, args.timeout)


def _bench_queries(out: Path, timeout: int) -> None:
    """Median CPU time of each named query on oxigraph and on rdflib's engine."""
    import signal

    from rdflib import Dataset

    from kg.rdf.query import bindings, list_named, query_oxigraph, query_rdflib
    from kg.rdf.store import open_build

    store = open_build(out)
    ds = Dataset(default_union=True)
    for f in store.files:
        ds.parse(f, format="trig")

    def _alarm(signum: int, frame: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, _alarm)
    for nq in list_named():
        subs = bindings(nq, {})
        tox = _time(lambda nq=nq, subs=subs: query_oxigraph(store.ox, nq.text, subs))
        signal.alarm(timeout)
        try:
            trl = _time(lambda nq=nq, subs=subs: query_rdflib(ds, nq.text, subs), repeat=1)
            rl = f"{trl * 1000:9.1f} ms   x{trl / max(tox, 1e-9):.0f}"
        except TimeoutError:
            rl = f"> {timeout} s (stopped)"
        finally:
            signal.alarm(0)
        print(f"{nq.name:28} oxigraph {tox * 1000:8.1f} ms   rdflib {rl}", flush=True)


if __name__ == "__main__":
    main()
