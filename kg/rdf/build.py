"""DocResults -> an RDF dataset with one named graph per article, and its files.

The shape of the output (IRIs, classes, provenance nodes, named graphs) is the
contract with the views; it is described in ``docs/RDF.md``.

>>> from kg.model import Document, Article, DocResult, Entity
>>> doc = Document("d.txt", "d.txt", "江苏省总工会")
>>> res = DocResult(doc, [Article("d.txt", 0, 0, 6, "标题")],
...                 {"UnionBody:江苏省总工会": Entity("UnionBody", "江苏省总工会")})
>>> ds = to_dataset([res])
>>> len(list(ds.quads((None, None, None, None)))) > 5
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF as _RDF_NAMESPACE
from rdflib.namespace import RDFS as _RDFS_NAMESPACE
from rdflib.namespace import SKOS as _SKOS_NAMESPACE
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import DataError
from kg.model import ENTITY_TYPES, PREDICATES, DocResult, Entity, Evidence, Fact, Relation
from kg.output import atomic_file
from kg.rdf.iri import (
    BACKGROUND_GRAPH,
    article_iri,
    canonical_number,
    entity_iri,
    evidence_iri,
    fact_iri,
    region_iri,
)
from kg.rdf.iri import (
    KG as _KG_NAMESPACE,
)
from kg.rdf.iri import (
    PROV as _PROV_NAMESPACE,
)
from kg.rdf.iri import (
    SCHEMA as _SCHEMA_NAMESPACE,
)
from kg.rdf.ontology import class_map, worker_group_concepts
from kg.rdf.regions import region_chain
from kg.rdf.serialize import write_trig, write_turtle

Triple3 = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, URIRef]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODE = re.compile(r"\d{6}")
_DEFAULT_GRAPH_IDS = {"urn:x-rdflib:default"}


class _Terms:
    """A namespace whose terms are made once: rdflib mints a new URIRef per lookup."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:  # only called on a miss
        if name.startswith("__"):
            raise AttributeError(name)
        term = URIRef(self._namespace[name])
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)


KG = _Terms(_KG_NAMESPACE)
PROV = _Terms(_PROV_NAMESPACE)
SCHEMA = _Terms(_SCHEMA_NAMESPACE)
RDF = _Terms(_RDF_NAMESPACE)
RDFS = _Terms(_RDFS_NAMESPACE)
SKOS = _Terms(_SKOS_NAMESPACE)


@lru_cache(maxsize=1 << 16)
def _int(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.integer)


@lru_cache(maxsize=1 << 12)
def _plain(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=1 << 12)
def _decimal(value: float) -> Literal:
    try:
        text = format(Decimal(repr(float(value))).normalize(), "f")
    except (InvalidOperation, ValueError, OverflowError) as exc:
        raise DataError(f"confidence {value!r} is not a number", hint="use 0..1") from exc
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _entity_parts(key: str, entities: dict[str, Entity]) -> Entity:
    ent = entities.get(key)
    if ent is not None:
        return ent
    type_, sep, name = key.partition(":")
    if not sep:
        raise DataError(f"relation end {key!r} is not an entity key", hint="use 'Type:name'")
    return Entity(type_, name)


def entity_triples(ent: Entity, implicit: bool) -> tuple[URIRef, list[Triple3], str | None]:
    """The description of one entity; also returns its region code (if any)."""
    node = entity_iri(ent.type, ent.name)
    out: list[Triple3] = [
        (node, RDF.type, c) for c in class_map().classes_for(ent.type, ent.kind, ent.level)
    ]
    out += [(node, RDFS.label, _zh(ent.name)), (node, SKOS.prefLabel, _zh(ent.name))]
    out += [(node, SKOS.altLabel, _zh(a)) for a in sorted(ent.aliases) if a and a != ent.name]
    level = class_map().level_name(ent.level)
    if level:
        out.append((node, KG.level, Literal(level)))
    if implicit:
        out.append((node, KG.implicit, Literal(True)))
    code = ent.region_code if ent.region_code and _CODE.fullmatch(ent.region_code) else None
    if code:
        out.append((node, KG.region, region_iri(code)))
    if ent.type == "WorkerGroup":
        concepts = worker_group_concepts()
        concept = next(
            (concepts[n] for n in [ent.name, *sorted(ent.aliases)] if n in concepts), None
        )
        if concept is not None:
            out.append((node, SKOS.exactMatch, concept.iri))
            if concept.scheme is not None:
                out.append((node, SKOS.inScheme, concept.scheme))
    return node, out, code


def article_triples(res: DocResult, index: int) -> list[Triple3]:
    """The description of article ``index`` of ``res``."""
    art = res.articles[index]
    doc = res.doc
    node = article_iri(doc.doc_id, art.index)
    out: list[Triple3] = [
        (node, RDF.type, SCHEMA.NewsArticle),
        (node, RDF.type, PROV.Entity),
        (node, RDF.type, KG.Article),
        (node, KG.sourceFile, Literal(doc.path)),
        (node, KG.docId, Literal(doc.doc_id)),
        (node, KG.articleIndex, _int(art.index)),
    ]
    headline = art.title or (doc.title if len(res.articles) == 1 else None)
    if headline:
        out.append((node, SCHEMA.headline, _zh(headline)))
    date = art.date or doc.date
    if date:
        lit = Literal(date, datatype=XSD.date) if _DATE.fullmatch(date) else Literal(date)
        out.append((node, SCHEMA.datePublished, lit))
    if doc.url:
        out.append((node, SCHEMA.url, Literal(doc.url, datatype=XSD.anyURI)))
    return out


def evidence_triples(
    rel: Relation, ev: Evidence, s: URIRef, o: URIRef, article: URIRef
) -> list[Triple3]:
    """The reified statement for one reading of ``rel``."""
    node = evidence_iri(
        (
            ev.doc_id,
            ev.article,
            ev.sentence,
            rel.s,
            rel.p,
            rel.o,
            ev.sentence_start,
            ev.sentence_end,
            ev.s_start,
            ev.s_end,
            ev.o_start,
            ev.o_end,
            ev.trigger_start,
            ev.trigger_end,
            ev.extractor,
        )
    )
    out = _statement(
        node,
        KG.Evidence,
        (s, KG[rel.p], o),
        (ev.text, ev.sentence_start, ev.sentence_end),
        ev.extractor,
        ev.confidence,
        article,
    )
    out += [
        (node, KG.subjectStart, _int(ev.s_start)),
        (node, KG.subjectEnd, _int(ev.s_end)),
        (node, KG.objectStart, _int(ev.o_start)),
        (node, KG.objectEnd, _int(ev.o_end)),
    ]
    if ev.trigger:
        out.append((node, KG.trigger, _zh(ev.trigger)))
    if ev.trigger_start is not None and ev.trigger_end is not None:
        out.append((node, KG.triggerStart, _int(ev.trigger_start)))
        out.append((node, KG.triggerEnd, _int(ev.trigger_end)))
    return out


#: the entity types a figure may be about (``kg:factAbout``) and be for (``kg:factGroup``)
FACT_SUBJECT_TYPES = ("UnionBody", "PartnerAgency", "Program")
FACT_KINDS = ("money", "people", "count")


def fact_triples(
    fact: Fact, doc_id: str, article: URIRef, entities: dict[str, Entity]
) -> list[Triple3]:
    """A figure as a ``schema:QuantitativeValue`` node plus its evidence (a reified
    ``schema:value`` statement, ``kg:FactEvidence``), both with deterministic IRIs.

    The subject and group are linked only when they are entities of the right
    type (``FACT_SUBJECT_TYPES``, ``WorkerGroup``).
    """
    if fact.kind not in FACT_KINDS:
        raise DataError(
            f"figure in {doc_id} has an unknown kind {fact.kind!r}",
            hint=f"use one of {', '.join(FACT_KINDS)}",
        )
    number = canonical_number(fact.value)
    node = fact_iri(doc_id, fact.article, fact.start, fact.end, fact.kind, fact.value, fact.unit)
    if isinstance(fact.value, int) or "." not in number:
        value = Literal(number, datatype=XSD.integer)
    else:
        value = Literal(number, datatype=XSD.decimal)
    out: list[Triple3] = [
        (node, RDF.type, SCHEMA.QuantitativeValue),
        (node, RDF.type, KG.Fact),
        (node, SCHEMA.value, value),
        (node, SCHEMA.unitText, _plain(fact.unit)),
        (node, KG.factKind, _plain(fact.kind)),
        (node, KG.approximate, Literal(bool(fact.approx))),
    ]
    if fact.what:
        out.append((node, KG.measures, _zh(fact.what)))
    if fact.subject:
        ent = _entity_parts(fact.subject, entities)
        if ent.type in FACT_SUBJECT_TYPES:
            out.append((node, KG.factAbout, entity_iri(ent.type, ent.name)))
    if fact.group:
        ent = _entity_parts(fact.group, entities)
        if ent.type == "WorkerGroup":
            out.append((node, KG.factGroup, entity_iri(ent.type, ent.name)))
    ev = evidence_iri(
        (
            "fact",
            doc_id,
            fact.article,
            fact.sentence,
            str(node),
            fact.evidence_start,
            fact.evidence_end,
            fact.start,
            fact.end,
            fact.extractor,
        )
    )
    out += _statement(
        ev,
        KG.FactEvidence,
        (node, SCHEMA.value, value),
        (fact.text, fact.evidence_start, fact.evidence_end),
        fact.extractor,
        fact.confidence,
        article,
    )
    out += [(ev, KG.valueStart, _int(fact.start)), (ev, KG.valueEnd, _int(fact.end))]
    return out


def _statement(
    node: Node,
    cls: URIRef,
    spo: tuple[Node, Node, Node],
    sentence: tuple[str, int, int],
    extractor: str,
    confidence: float,
    article: Node,
) -> list[Triple3]:
    """The reified statement every reading shares: what was said, where and by whom."""
    s, p, o = spo
    text, start, end = sentence
    return [
        (node, RDF.type, cls),
        (node, RDF.subject, s),
        (node, RDF.predicate, p),
        (node, RDF.object, o),
        (node, KG.sentence, _zh(text)),
        (node, KG.sentenceStart, _int(start)),
        (node, KG.sentenceEnd, _int(end)),
        (node, KG.extractor, _plain(extractor)),
        (node, KG.confidence, _decimal(confidence)),
        (node, PROV.wasDerivedFrom, article),
    ]


def region_triples(codes: dict[str, str | None]) -> list[Triple3]:
    """Region nodes for ``codes`` (code -> name extraction gave) and their parent chains."""
    seen: dict[str, list[Triple3]] = {}
    for code in sorted(codes):
        for info in region_chain(code, codes[code]):
            if info.code in seen:
                continue
            node = region_iri(info.code)
            trip: list[Triple3] = [
                (node, RDF.type, KG.Region),
                (node, KG.adminCode, Literal(info.code)),
                (node, KG.adminLevel, Literal(info.level)),
            ]
            if info.name:
                trip.append((node, RDFS.label, _zh(info.name)))
            if info.parent:
                trip.append((node, KG.partOf, region_iri(info.parent)))
            seen[info.code] = trip
    return [t for code in sorted(seen) for t in seen[code]]


def to_dataset(results: Iterable[DocResult]) -> Dataset:
    """Build the RDF dataset of ``results``: one named graph per article plus background.

    Entity descriptions go into every article graph where the entity is mentioned
    or is the end of a relation read there; regions (with their parent chains) go
    into the background graph ``<base>graph/background``.  The quads are those of
    :func:`build_quads`.

    Raises
    ------
    DataError
        When a result carries an unknown predicate, entity type or a malformed key.
    """
    quads = build_quads(results)
    ds = Dataset()
    named = {name: ds.graph(name) for name in sorted({q[3] for q in quads}, key=str)}
    ds.addN((s, p, o, named[g]) for s, p, o, g in quads)
    return ds


def build_quads(results: Iterable[DocResult]) -> list[Quad]:
    """The quads of the dataset of ``results`` (see :func:`to_dataset`), as a list.

    The pipeline writes its files straight from these, without an in-memory
    rdflib store: adding to rdflib's store costs far more than making the terms.
    """
    builder = QuadBuilder()
    for res in results:
        builder.add(res)
    return builder.finish()


class QuadBuilder:
    """:func:`build_quads` one document at a time, so the documents need not be kept.

    The only facts that depend on later documents are collected as they come:
    ``kg:implicit true`` (an entity implicit in *every* document; added to the
    graphs holding its description by :meth:`finish`) and the region nodes of
    the background graph.
    """

    def __init__(self) -> None:
        self.quads: list[Quad] = []
        self._implicit: dict[str, bool] = {}
        # graphs holding the description of an entity that is implicit so far
        self._described: dict[str, tuple[URIRef, list[URIRef]]] = {}
        self._region_codes: dict[str, str | None] = {}
        #: the region codes the last document named (code -> its first name), for replays
        self.doc_regions: dict[str, str | None] = {}

    def add(self, res: DocResult) -> None:
        """Add the quads of one document (raises :class:`DataError` like :func:`to_dataset`)."""
        quads = self.quads
        region_codes = self._region_codes
        doc_regions: dict[str, str | None] = {}
        self.doc_regions = doc_regions

        def region(code: str, name: str | None) -> None:
            """The first name given to a region code wins (in this document and overall)."""
            if doc_regions.get(code) is None:
                doc_regions[code] = name
            if region_codes.get(code) is None:
                region_codes[code] = name

        for key, ent in res.entities.items():
            self._implicit[key] = self._implicit.get(key, True) and ent.implicit
            if not self._implicit[key]:
                self._described.pop(key, None)
        doc_id = res.doc.doc_id
        graphs = {art.index: article_iri(doc_id, art.index) for art in res.articles}

        def graph_of(index: int, _graphs: dict[int, URIRef] = graphs, _doc: str = doc_id) -> URIRef:
            if index not in _graphs:
                _graphs[index] = article_iri(_doc, index)
            return _graphs[index]

        for i, art in enumerate(res.articles):
            g = graphs[art.index]
            quads += [(s, p, o, g) for s, p, o in article_triples(res, i)]
        where: dict[str, set[int]] = defaultdict(set)
        relation_ends = {k for rel in res.relations for k in (rel.s, rel.o)}
        for m in res.mentions:
            where[m.entity].add(m.article)
        for rel in res.relations:
            if rel.p not in PREDICATES:
                raise DataError(
                    f"relation {rel.s} {rel.p} {rel.o} in {doc_id} has an unknown predicate",
                    hint=f"use one of {', '.join(PREDICATES)}",
                )
            s_ent = _entity_parts(rel.s, res.entities)
            o_ent = _entity_parts(rel.o, res.entities)
            s = entity_iri(s_ent.type, s_ent.name)
            o = entity_iri(o_ent.type, o_ent.name)
            if not rel.evidence:
                quads.append((s, KG[rel.p], o, BACKGROUND_GRAPH))
                where[rel.s].add(-1)
                where[rel.o].add(-1)
            for ev in rel.evidence:
                g = graph_of(ev.article)
                quads.append((s, KG[rel.p], o, g))
                quads += [(a, b, c, g) for a, b, c in evidence_triples(rel, ev, s, o, g)]
                where[rel.s].add(ev.article)
                where[rel.o].add(ev.article)
        for fact in res.facts:
            g = graph_of(fact.article)
            quads += [(a, b, c, g) for a, b, c in fact_triples(fact, doc_id, g, res.entities)]
            for end in (fact.subject, fact.group):
                if end:
                    where[end].add(fact.article)
        keys = set(res.entities) | set(where)
        for key in sorted(keys):
            ent = _entity_parts(key, res.entities)
            if ent.type not in ENTITY_TYPES and key not in relation_ends:
                # places, companies, people: only their region is kept (as a Region node)
                code = ent.region_code
                if code and _CODE.fullmatch(code):
                    region(code, ent.region_name if ent.type == "Region" else None)
                continue
            # kg:implicit is decided once every document is in (finish)
            node, desc, code = entity_triples(ent, False)
            if code:
                region(code, ent.region_name)
            targets = sorted(where.get(key, set())) or [-1]
            described: list[URIRef] | None = None
            if self._implicit.get(key, True):  # implicit so far, or not seen as an entity yet
                described = self._described.setdefault(key, (node, []))[1]
            for index in targets:
                g = BACKGROUND_GRAPH if index < 0 else graph_of(index)
                quads += [(a, b, c, g) for a, b, c in desc]
                if index >= 0:
                    quads.append((node, KG.mentionedIn, g, g))
                if described is not None:
                    described.append(g)

    def finish(self) -> list[Quad]:
        """All quads: the documents', ``kg:implicit``, then the background's regions."""
        true = Literal(True)
        for key, (node, graphs) in sorted(self._described.items()):
            if self._implicit.get(key, False):
                self.quads += [(node, KG.implicit, true, g) for g in dict.fromkeys(graphs)]
        self._described.clear()
        self.quads += [
            (s, p, o, BACKGROUND_GRAPH) for s, p, o in region_triples(self._region_codes)
        ]
        return self.quads


def dataset_quads(ds: Dataset) -> list[tuple[Node, Node, Node, Node | None]]:
    """All quads of ``ds``; ``None`` stands for the default graph."""
    out: list[tuple[Node, Node, Node, Node | None]] = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        out.append((s, p, o, None if name is None or str(name) in _DEFAULT_GRAPH_IDS else name))
    return out


def write_graphs(
    source: Dataset | Sequence[tuple[Node, Node, Node, Node | None]],
    out_dir: Path,
    *,
    store: bool = True,
) -> dict[str, int]:
    """Write ``graph.trig`` (named graphs) and ``graph.ttl`` (their union) into ``out_dir``.

    Unless ``store`` is false, also bulk-loads them into the on-disk oxigraph
    store ``out_dir/store`` (see :mod:`kg.rdf.store`), replacing one already there.

    ``source`` is a Dataset or the quads of :func:`build_quads`.  The files are
    byte-identical for the same data.  Returns counts: ``triples`` (distinct
    triples of the union), ``quads``, ``graphs``, ``articles``, ``entities``,
    ``relations`` (distinct relation triples) and ``evidence``.
    """
    quads = dataset_quads(source) if isinstance(source, Dataset) else list(dict.fromkeys(source))
    union = {(s, p, o) for s, p, o, _ in quads}
    out_dir = Path(out_dir)
    with atomic_file(out_dir / "graph.trig") as fh:
        fh.write(write_trig(quads))  # type: ignore[attr-defined]
    with atomic_file(out_dir / "graph.ttl") as fh:
        fh.write(write_turtle(union))  # type: ignore[attr-defined]
    if store:
        from kg.rdf.store import replace_store

        replace_store(out_dir)
    # counted on plain strings: rdflib's term __eq__/__hash__ are slow in bulk
    bases = {str(c) for c in class_map().base.values()}
    rel_preds = {str(KG[p]) for p in PREDICATES}
    rdf_type = str(RDF.type)
    article, evidence = str(SCHEMA.NewsArticle), str(KG.Evidence)
    entities: set[str] = set()
    articles: set[str] = set()
    evidences: set[str] = set()
    relations = 0
    for s, p, o in union:
        p_str = str(p)
        if p_str == rdf_type:
            o_str = str(o)
            if o_str in bases:
                entities.add(str(s))
            elif o_str == article:
                articles.add(str(s))
            elif o_str == evidence:
                evidences.add(str(s))
        elif p_str in rel_preds:
            relations += 1
    return {
        "triples": len(union),
        "quads": len(quads),
        "graphs": len({g for *_, g in quads}),
        "articles": len(articles),
        "entities": len(entities),
        "relations": relations,
        "evidence": len(evidences),
    }
