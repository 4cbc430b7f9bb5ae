"""OWL 2 RL reasoning and domain rules, as SPARQL updates run to a fixpoint on pyoxigraph.

The rules are data: one SPARQL update per file in ``kg/rdf/rules/`` with a
comment header (``# rule:``, ``# kind: owl|domain``, ``# description:``).  The
OWL rules read the axioms of ``ontology/kg.ttl`` (subClassOf, domain, range,
subPropertyOf, symmetric, inverse, transitive), so adding an axiom there needs
no code.  Covered OWL 2 RL rules: cax-sco, prp-dom, prp-rng, prp-spo1, prp-symp,
prp-inv1/2, prp-trp.  Domain rules: the union hierarchy from geography and
region containment.

``reason(dir)`` writes ``DIR/inferred.trig``: only the derived triples (none of
the input or ontology triples), in the named graph ``<base>graph/inferred``,
sorted, one triple per line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError
from kg.output import atomic_file
from kg.rdf.iri import INFERRED_GRAPH, PREFIXES
from kg.rdf.store import INFERRED_FILE, check_build_dir, load_trig
from kg.resources import data_path

RULES_DIR = Path(__file__).resolve().parent / "rules"
ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/union-kg/ontology")
MAX_ROUNDS = 64
_HEAD = re.compile(r"#\s*(rule|kind|description)\s*:\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One inference rule: a SPARQL ``INSERT … WHERE`` over the default graph."""

    name: str
    kind: str  # "owl" | "domain"
    description: str
    update: str


@cache
def load_rules() -> tuple[Rule, ...]:
    """The shipped rules, OWL rules first, each group sorted by name."""
    rules = []
    for path in sorted(RULES_DIR.glob("*.ru")):
        text = path.read_text(encoding="utf-8")
        meta: dict[str, list[str]] = {}
        for line in text.splitlines():
            m = _HEAD.match(line.strip())
            if m:
                meta.setdefault(m.group(1), []).append(m.group(2).strip())
        kind = (meta.get("kind") or ["owl"])[0]
        if kind not in ("owl", "domain"):
            raise DataError(f"rule file {path} has kind {kind!r}", hint="use owl or domain")
        name = (meta.get("rule") or [path.stem])[0]
        rules.append(Rule(name, kind, " ".join(meta.get("description", [])), text))
    return tuple(sorted(rules, key=lambda r: (r.kind != "owl", r.name)))


@dataclass
class ReasonReport:
    """What :func:`reason` did."""

    input_triples: int = 0
    inferred: int = 0
    rounds: int = 0
    seconds: float = 0.0
    per_rule: dict[str, int] = field(default_factory=dict)
    path: Path | None = None

    def format(self) -> str:
        """A short human-readable summary."""
        lines = [
            f"input triples     {self.input_triples}",
            f"inferred triples  {self.inferred}",
            f"rounds            {self.rounds}",
            f"seconds           {self.seconds:.2f}",
        ]
        lines += [f"  {name:20} {n}" for name, n in self.per_rule.items()]
        if self.path is not None:
            lines.append(f"wrote {self.path}")
        return "\n".join(lines)


def _ontology_store(store: ox.Store) -> None:
    store.bulk_load(
        path=str(data_path("kg.ttl")), format=ox.RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH
    )


def saturate(store: ox.Store, rules: Sequence[Rule] | None = None) -> tuple[dict[str, int], int]:
    """Run ``rules`` on ``store``'s default graph until nothing new is derived.

    Returns the number of new triples each rule produced and the number of rounds.
    """
    rules = load_rules() if rules is None else rules
    counts = {r.name: 0 for r in rules}
    size = len(store)
    for round_ in range(1, MAX_ROUNDS + 1):
        grew = False
        for rule in rules:
            store.update(rule.update, prefixes=PREFIXES)
            new = len(store)
            if new != size:
                counts[rule.name] += new - size
                size = new
                grew = True
        if not grew:
            return counts, round_
    raise DataError(
        f"reasoning did not reach a fixpoint in {MAX_ROUNDS} rounds",
        hint="a rule in kg/rdf/rules keeps producing new terms; fix that rule",
    )


_UNION = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_DERIVED = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"


def infer(
    store: ox.Store, rules: Sequence[Rule] | None = None, *, with_ontology: bool = True
) -> tuple[list[ox.Triple], dict[str, int], int]:
    """Derive the consequences of the quads in ``store`` (named graphs = input).

    The ontology is loaded into its own named graph (unless ``with_ontology`` is
    false, when the caller put it there), every named graph is copied into the
    default graph, the rules run there, and what is in no named graph is returned.
    """
    if with_ontology:
        _ontology_store(store)
    store.update(_UNION)
    counts, rounds = saturate(store, rules)
    answer = store.query(_DERIVED)
    assert isinstance(answer, ox.QuerySolutions)
    derived = [ox.Triple(sol["s"], sol["p"], sol["o"]) for sol in answer]
    return derived, counts, rounds


def trig_lines(triples: Iterable[ox.Triple]) -> list[str]:
    """Sorted N-Triples-style lines of ``triples``."""
    return sorted(f"{t.subject} {t.predicate} {t.object} ." for t in triples)


def write_inferred(path: Path, triples: Iterable[ox.Triple]) -> None:
    """Write ``triples`` as TriG in the graph ``<base>graph/inferred`` (sorted, atomic)."""
    with atomic_file(path) as fh:
        fh.write(  # type: ignore[attr-defined]
            "# Triples derived by kg reason (OWL 2 RL + domain rules); input triples excluded.\n"
            f"<{INFERRED_GRAPH}> {{\n"
            + "".join(f"    {line}\n" for line in trig_lines(triples))
            + "}\n"
        )


def reason(dir: Path, *, rules: Sequence[Rule] | None = None) -> ReasonReport:
    """Reason over the build in ``dir`` and write ``DIR/inferred.trig`` atomically.

    Raises
    ------
    InputError
        ``dir`` is not a build directory (run ``kg build`` first) or its TriG is broken.
    """
    started = time.perf_counter()
    graph = check_build_dir(Path(dir))
    store = ox.Store()
    load_trig(store, graph)
    input_triples = len(store)
    derived, counts, rounds = infer(store, rules)
    out = Path(dir) / INFERRED_FILE
    write_inferred(out, derived)
    return ReasonReport(
        input_triples=input_triples,
        inferred=len(derived),
        rounds=rounds,
        seconds=time.perf_counter() - started,
        per_rule=counts,
        path=out,
    )
