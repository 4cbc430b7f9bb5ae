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
sorted, one triple per line; when the build has a store (``DIR/store``), a new
store with those triples in that graph and in the default graph is swapped in.
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
from kg.rdf.store import INFERRED_FILE, check_build_dir, has_store, load_trig, replace_store
from kg.resources import data_path

RULES_DIR = Path(__file__).resolve().parent / "rules"
MAX_ROUNDS = 64
_HEAD = re.compile(r"#\s*(rule|kind|order|description)\s*:\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One inference rule: a SPARQL ``INSERT … WHERE`` over the default graph."""

    name: str
    kind: str  # "owl" | "domain"
    description: str
    update: str
    order: int = 100


@cache
def load_rules() -> tuple[Rule, ...]:
    """The shipped rules, sorted by their ``# order:`` (then name).

    The order only affects speed: domain rules first, then the OWL rules in an
    order where one pass usually reaches the fixpoint (transitive, symmetric,
    inverse, sub-property, domain, range, sub-class).
    """
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
        try:
            order = int((meta.get("order") or ["100"])[0])
        except ValueError as exc:
            raise DataError(f"rule file {path} has a non-integer order") from exc
        rules.append(Rule(name, kind, " ".join(meta.get("description", [])), text, order))
    return tuple(sorted(rules, key=lambda r: (r.order, r.name)))


@dataclass
class ReasonReport:
    """What :func:`reason` did."""

    input_triples: int = 0
    inferred: int = 0
    rounds: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds per phase
    per_rule: dict[str, int] = field(default_factory=dict)
    path: Path | None = None

    def format(self) -> str:
        """A short human-readable summary."""
        lines = [
            f"input triples     {self.input_triples}",
            f"inferred triples  {self.inferred}",
            f"rounds            {self.rounds}",
            f"seconds           {self.seconds:.2f} (cpu {self.cpu_seconds:.2f})",
        ]
        lines += [f"  {name:20} {sec:.2f}s" for name, sec in self.phases.items()]
        lines += [f"  {name:20} {n}" for name, n in self.per_rule.items()]
        if self.path is not None:
            lines.append(f"wrote {self.path}")
        return "\n".join(lines)


def load_input(directory: Path) -> ox.Store:
    """The build's triples (the union of its graphs) in the default graph of a new store.

    Reads ``graph.ttl`` (the union the build writes beside ``graph.trig``) when it
    is at least as new as ``graph.trig``, else merges the graphs of ``graph.trig``.
    """
    trig = check_build_dir(directory)
    ttl = trig.with_name("graph.ttl")
    store = ox.Store()
    if ttl.is_file() and ttl.stat().st_mtime >= trig.stat().st_mtime:
        try:
            store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
            return store
        except (SyntaxError, OSError):
            store = ox.Store()
    quads = ox.Store()
    load_trig(quads, trig)
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    return store


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


def infer(
    store: ox.Store, rules: Sequence[Rule] | None = None, *, with_ontology: bool = True
) -> tuple[list[ox.Triple], dict[str, int], int]:
    """Derive the consequences of the triples in ``store``'s default graph.

    The ontology's axioms are added to the default graph (unless ``with_ontology``
    is false: the caller put them there), the rules run to a fixpoint, and the
    triples that were neither input nor ontology are returned (the store keeps them).
    """
    if with_ontology:
        store.bulk_load(path=str(data_path("kg.ttl")), format=ox.RdfFormat.TURTLE)
    before = set(store)
    counts, rounds = saturate(store, rules)
    derived = [ox.Triple(q.subject, q.predicate, q.object) for q in store if q not in before]
    return derived, counts, rounds


def trig_lines(triples: Iterable[ox.Triple]) -> list[str]:
    """Sorted N-Triples lines of ``triples`` (serialised by oxigraph, sorted bytewise)."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return [line.decode("utf-8") for line in sorted(data.splitlines()) if line]


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
    cpu = time.process_time()
    store = load_input(Path(dir))
    input_triples = len(store)
    loaded = time.perf_counter()
    derived, counts, rounds = infer(store, rules)
    inferred = time.perf_counter()
    out = Path(dir) / INFERRED_FILE
    write_inferred(out, derived)
    if has_store(Path(dir)):  # the derived triples join the store's default graph too
        replace_store(Path(dir), inferred_only=True)
    done = time.perf_counter()
    return ReasonReport(
        input_triples=input_triples,
        inferred=len(derived),
        rounds=rounds,
        seconds=done - started,
        cpu_seconds=time.process_time() - cpu,
        phases={"load": loaded - started, "infer": inferred - loaded, "write": done - inferred},
        per_rule=counts,
        path=out,
    )
