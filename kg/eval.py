"""Score an extraction against a gold file (GUIDELINES "Scoring").

* Names are compared after :func:`normalise_name`: NFKC, traditional ->
  simplified, whitespace and quotation/title marks removed.
* A predicted entity matches a gold entity of the same type when its name
  equals the gold name or one of the gold aliases.  Matching is one-to-one
  (a maximum bipartite matching per document and type), so two predictions
  that both equal one gold entity give one true positive and one false positive.
* A relation matches when both ends match and the predicate is the same
  (``cooperatesWith`` in either order); the *relaxed* score ignores the
  predicate and the order.
* Precision, recall and F1 are micro-averaged over all documents of the gold
  file, and given per entity type and per predicate.  Predictions for documents
  that the gold file does not contain are not scored (they are listed in
  :attr:`EvalReport.unscored_docs`).
* ``entities (explicit)`` leaves out gold entities marked ``implicit`` and
  predictions marked ``implicit``; a prediction that matched an implicit gold
  entity is left out too (it is neither right nor wrong about an explicit one).
* Every scored prediction (after the de-duplication above) is kept with its
  record and whether it matched (:attr:`EvalReport.scored_entities`,
  :attr:`EvalReport.scored_relations`, strict matching): the reliability
  table of :func:`reliability` and the calibration script read them, so
  "correct" means exactly what the scores above count as a true positive.
* The reliability table puts scored predictions into 10 equal-width bins of
  their ``confidence`` ([0, 0.1), ..., [0.9, 1.0]) and gives each bin's count,
  mean confidence and precision; the expected calibration error is
  ECE = sum over bins of (n_b / N) * |precision_b - mean confidence_b|.

>>> normalise_name(" “一函两书”制度 ")
'一函两书制度'
>>> PRF(tp=3, fp=1, fn=1).f1
0.75
>>> round(reliability([(0.95, True), (0.95, False), (0.25, False)]).ece, 4)
0.3833
"""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.errors import DataError
from kg.jsonl import read_jsonl
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES

__all__ = [
    "PRF",
    "Bin",
    "DocMisses",
    "EvalReport",
    "Reliability",
    "Scored",
    "calibration_tables",
    "evaluate",
    "format_calibration",
    "format_report",
    "normalise_name",
    "reliability",
    "score",
]

_MARKS = frozenset("\"'“”‘’「」『』《》〈〉〔〕‹›«»＂＇")


@cache
def _t2s() -> Callable[[str], str]:
    import opencc

    conv = opencc.OpenCC("t2s")
    return conv.convert


def normalise_name(name: str) -> str:
    """The scoring form of a name: NFKC, simplified, no spaces or quote/title marks."""
    text = unicodedata.normalize("NFKC", name)
    text = _t2s()(text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _MARKS)


@dataclass(slots=True)
class PRF:
    """True positives, false positives, false negatives and the derived scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class DocMisses:
    """What one document got wrong: readable ``Type name`` / ``s -p-> o`` strings."""

    doc: str
    entity_fp: list[str] = field(default_factory=list)
    entity_fn: list[str] = field(default_factory=list)
    relation_fp: list[str] = field(default_factory=list)
    relation_fn: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "entity_fp": self.entity_fp,
            "entity_fn": self.entity_fn,
            "relation_fp": self.relation_fp,
            "relation_fn": self.relation_fn,
        }


@dataclass(slots=True)
class Scored:
    """One scored prediction: its object in the prediction file and whether it matched.

    ``record`` is the entity or relation object exactly as read (with the extras
    ``kg extract`` writes: ``confidence``, ``mentions``, ``evidences``);
    ``correct`` is whether the scorer counted it as a true positive (relations:
    strict matching).
    """

    doc: str
    record: dict[str, Any]
    correct: bool


def _table(keys: Sequence[str]) -> dict[str, PRF]:
    return {"all": PRF(), **{k: PRF() for k in keys}}


@dataclass(slots=True)
class EvalReport:
    """All scores of one evaluation; every table maps ``"all"`` and each type/predicate."""

    pred_path: str
    gold_path: str
    docs: int = 0
    entities: dict[str, PRF] = field(default_factory=lambda: _table(ENTITY_TYPES))
    entities_explicit: dict[str, PRF] = field(default_factory=lambda: _table(ENTITY_TYPES))
    relations: dict[str, PRF] = field(default_factory=lambda: _table(PREDICATES))
    relations_relaxed: PRF = field(default_factory=PRF)
    misses: list[DocMisses] = field(default_factory=list)
    missing_docs: list[str] = field(default_factory=list)  # gold docs with no prediction
    unscored_docs: list[str] = field(default_factory=list)  # predicted docs not in gold
    # every scored prediction with its outcome (not part of as_dict: see calibration_tables)
    scored_entities: list[Scored] = field(default_factory=list)
    scored_relations: list[Scored] = field(default_factory=list)
    # figures (FACTS.md), when a facts gold file was given: by kind and "all"
    facts_value: dict[str, PRF] | None = None
    facts_attached: dict[str, PRF] | None = None
    facts_gold_path: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the report."""
        extra: dict[str, Any] = {}
        if self.facts_value is not None and self.facts_attached is not None:
            extra["facts"] = {
                "gold": self.facts_gold_path,
                "value": {k: v.as_dict() for k, v in self.facts_value.items()},
                "attached": {k: v.as_dict() for k, v in self.facts_attached.items()},
            }
        return extra | {
            "pred": self.pred_path,
            "gold": self.gold_path,
            "docs": self.docs,
            "entities": {k: v.as_dict() for k, v in self.entities.items()},
            "entities_explicit": {k: v.as_dict() for k, v in self.entities_explicit.items()},
            "relations": {k: v.as_dict() for k, v in self.relations.items()},
            "relations_relaxed": self.relations_relaxed.as_dict(),
            "missing_docs": self.missing_docs,
            "unscored_docs": self.unscored_docs,
            "misses": [m.as_dict() for m in self.misses],
        }


# --- parsing -------------------------------------------------------------------


@dataclass(slots=True)
class _Ent:
    type: str
    name: str
    names: frozenset[str]  # normalised name (+ aliases for gold)
    implicit: bool
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(slots=True)
class _Rel:
    s: _Ent
    p: str
    o: _Ent
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _parse_doc(
    rec: dict[str, Any], where: str, *, gold: bool
) -> tuple[str, list[_Ent], list[_Rel]]:
    doc = rec.get("doc")
    if not isinstance(doc, str) or not doc:
        raise DataError(f'{where}: the record has no "doc" name', hint='add "doc": "<file name>"')
    ents: dict[str, _Ent] = {}
    raw_entities = rec.get("entities", [])
    raw_relations = rec.get("relations", [])
    if not isinstance(raw_entities, list) or not isinstance(raw_relations, list):
        raise DataError(
            f'{where} ({doc}): "entities" and "relations" must be lists',
            hint="see GUIDELINES.md, File format",
        )
    for i, e in enumerate(raw_entities):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("type", "name")):
            raise DataError(
                f'{where} ({doc}): entity #{i + 1} needs string "type" and "name"',
                hint="see GUIDELINES.md, File format",
            )
        eid = str(e.get("id", f"#{i}"))
        names = {normalise_name(e["name"])}
        if gold:
            aliases = e.get("aliases") or []
            if not isinstance(aliases, list):
                raise DataError(
                    f'{where} ({doc}): entity {eid} has non-list "aliases"',
                    hint="write aliases as a JSON list of strings",
                )
            names.update(normalise_name(str(a)) for a in aliases)
        names.discard("")
        ents[eid] = _Ent(e["type"], e["name"], frozenset(names), bool(e.get("implicit", False)), e)
    rels: list[_Rel] = []
    for i, r in enumerate(raw_relations):
        if not isinstance(r, dict) or not all(isinstance(r.get(k), str) for k in ("s", "p", "o")):
            raise DataError(
                f'{where} ({doc}): relation #{i + 1} needs string "s", "p" and "o"',
                hint="see GUIDELINES.md, File format",
            )
        s, o = ents.get(r["s"]), ents.get(r["o"])
        if s is None or o is None:
            missing = r["s"] if s is None else r["o"]
            raise DataError(
                f"{where} ({doc}): relation #{i + 1} refers to unknown entity id {missing!r}",
                hint="every relation end must be the id of an entity of the same record",
            )
        rels.append(_Rel(s, r["p"], o, r))
    return doc, list(ents.values()), rels


# --- matching ------------------------------------------------------------------


def _max_matching(n_pred: int, n_gold: int, ok: Callable[[int, int], bool]) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn); returns ``{pred index: gold index}``.

    Predictions are tried in order, so earlier ones win ties (deterministic).
    """
    adj = [[g for g in range(n_gold) if ok(p, g)] for p in range(n_pred)]
    gold_of: dict[int, int] = {}  # gold -> pred

    def augment(p: int, seen: set[int]) -> bool:
        for g in adj[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in gold_of or augment(gold_of[g], seen):
                gold_of[g] = p
                return True
        return False

    for p in range(n_pred):
        augment(p, set())
    return {p: g for g, p in gold_of.items()}


def _ent_ok(pred: _Ent, gold: _Ent) -> bool:
    return pred.type == gold.type and bool(pred.names & gold.names)


def _dedupe(items: list[Any], key: Callable[[Any], Hashable]) -> list[Any]:
    seen: set[Hashable] = set()
    out = []
    for it in items:
        k = key(it)
        if k not in seen:
            seen.add(k)
            out.append(it)
    return out


def _label(e: _Ent) -> str:
    return f"{e.type} {e.name}" + (" (implicit)" if e.implicit else "")


def _rel_label(r: _Rel) -> str:
    return f"{r.s.name} -{r.p}-> {r.o.name}"


def _score_doc(
    doc: str,
    pred: tuple[list[_Ent], list[_Rel]],
    gold: tuple[list[_Ent], list[_Rel]],
    report: EvalReport,
) -> None:
    misses = DocMisses(doc)
    p_ents = _dedupe(pred[0], lambda e: (e.type, e.names))
    g_ents = gold[0]
    match = _max_matching(len(p_ents), len(g_ents), lambda i, j: _ent_ok(p_ents[i], g_ents[j]))
    matched_gold = set(match.values())
    for i, pe in enumerate(p_ents):
        t = pe.type
        report.scored_entities.append(Scored(doc, pe.raw, i in match))
        for table in (report.entities, report.entities_explicit):
            table.setdefault(t, PRF())
        if i in match:
            ge = g_ents[match[i]]
            report.entities[t].tp += 1
            if not pe.implicit and not ge.implicit:
                report.entities_explicit[t].tp += 1
        else:
            report.entities[t].fp += 1
            if not pe.implicit:
                report.entities_explicit[t].fp += 1
            misses.entity_fp.append(_label(pe))
    for j, ge in enumerate(g_ents):
        if j in matched_gold:
            continue
        for table in (report.entities, report.entities_explicit):
            table.setdefault(ge.type, PRF())
        report.entities[ge.type].fn += 1
        if not ge.implicit:
            report.entities_explicit[ge.type].fn += 1
        misses.entity_fn.append(_label(ge))

    # relations, strict
    def strict_ok(pr: _Rel, gr: _Rel) -> bool:
        if pr.p != gr.p:
            return False
        if _ent_ok(pr.s, gr.s) and _ent_ok(pr.o, gr.o):
            return True
        return pr.p in SYMMETRIC_PREDICATES and _ent_ok(pr.s, gr.o) and _ent_ok(pr.o, gr.s)

    def relaxed_ok(pr: _Rel, gr: _Rel) -> bool:
        return (_ent_ok(pr.s, gr.s) and _ent_ok(pr.o, gr.o)) or (
            _ent_ok(pr.s, gr.o) and _ent_ok(pr.o, gr.s)
        )

    def rel_key(r: _Rel) -> Hashable:
        ends = ((r.s.type, r.s.names), (r.o.type, r.o.names))
        if r.p in SYMMETRIC_PREDICATES:
            return (r.p, frozenset(ends))
        return (r.p, ends)

    p_rels = _dedupe(pred[1], rel_key)
    g_rels = gold[1]
    rmatch = _max_matching(len(p_rels), len(g_rels), lambda i, j: strict_ok(p_rels[i], g_rels[j]))
    for i, pr in enumerate(p_rels):
        report.relations.setdefault(pr.p, PRF())
        report.scored_relations.append(Scored(doc, pr.raw, i in rmatch))
        if i in rmatch:
            report.relations[pr.p].tp += 1
        else:
            report.relations[pr.p].fp += 1
            misses.relation_fp.append(_rel_label(pr))
    rmatched = set(rmatch.values())
    for j, gr in enumerate(g_rels):
        if j not in rmatched:
            report.relations.setdefault(gr.p, PRF())
            report.relations[gr.p].fn += 1
            misses.relation_fn.append(_rel_label(gr))

    # relations, relaxed: predicate and order ignored
    def pair_key(r: _Rel) -> Hashable:
        return frozenset(((r.s.type, r.s.names), (r.o.type, r.o.names)))

    rp = _dedupe(pred[1], pair_key)
    rg = _dedupe(gold[1], pair_key)
    xmatch = _max_matching(len(rp), len(rg), lambda i, j: relaxed_ok(rp[i], rg[j]))
    report.relations_relaxed.add(PRF(len(xmatch), len(rp) - len(xmatch), len(rg) - len(xmatch)))
    report.misses.append(misses)


def _finish_totals(report: EvalReport) -> None:
    for table in (report.entities, report.entities_explicit, report.relations):
        total = PRF()
        for k, v in table.items():
            if k != "all":
                total.add(v)
        table["all"] = total


def score(
    pred: list[dict[str, Any]],
    gold: list[dict[str, Any]],
    *,
    pred_path: str = "<pred>",
    gold_path: str = "<gold>",
) -> EvalReport:
    """Score prediction records against gold records (both as read by ``read_jsonl``).

    >>> g = [{"doc": "d", "entities": [{"id": "e1", "type": "UnionBody",
    ...       "name": "江苏省总工会", "aliases": ["江苏总工会"]}], "relations": []}]
    >>> p = [{"doc": "d", "entities": [{"id": "e1", "type": "UnionBody",
    ...       "name": "江苏总工会"}], "relations": []}]
    >>> score(p, g).entities["all"].f1
    1.0
    """
    report = EvalReport(str(pred_path), str(gold_path))
    golds: dict[str, tuple[list[_Ent], list[_Rel]]] = {}
    preds: dict[str, tuple[list[_Ent], list[_Rel]]] = {}
    for target, records, is_gold, where in (
        (golds, gold, True, gold_path),
        (preds, pred, False, pred_path),
    ):
        for n, rec in enumerate(records, 1):
            if not isinstance(rec, dict):
                raise DataError(f"{where}, record {n}: not a JSON object", hint="fix the record")
            doc, ents, rels = _parse_doc(rec, f"{where}, record {n}", gold=is_gold)
            if doc in target:
                target[doc][0].extend(ents)
                target[doc][1].extend(rels)
            else:
                target[doc] = (ents, rels)
    for doc in sorted(golds):
        report.docs += 1
        if doc not in preds:
            report.missing_docs.append(doc)
        _score_doc(doc, preds.get(doc, ([], [])), golds[doc], report)
    report.unscored_docs = sorted(d for d in preds if d not in golds)
    _finish_totals(report)
    return report


def evaluate(
    pred_path: str | os.PathLike[str],
    gold_path: str | os.PathLike[str],
    facts: str | os.PathLike[str] | None = None,
) -> EvalReport:
    """Score the extraction file ``pred_path`` against the gold file ``gold_path``.

    With ``facts`` (a facts gold file paired with ``gold_path``, FACTS.md) the
    figures are scored too (:func:`score_facts`).

    Raises :class:`~kg.errors.InputError` when a file cannot be read and
    :class:`~kg.errors.DataError` when a record is malformed.
    """
    pred = read_jsonl(pred_path)
    gold = read_jsonl(gold_path)
    report = score(pred, gold, pred_path=str(pred_path), gold_path=str(gold_path))
    if facts is not None:
        score_facts(pred, gold, read_jsonl(facts), report, facts_path=str(facts))
    return report


# --- figures (FACTS.md "Scoring") ------------------------------------------------

FACT_KINDS: tuple[str, ...] = ("money", "people", "count")
#: The largest relative difference of a matched value.
VALUE_TOLERANCE = 0.005


def _number(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float, str)):
        return None
    try:
        v = float(x)
    except ValueError:
        return None
    return v if v == v and abs(v) != float("inf") else None


def _fact_list(rec: dict[str, Any], where: str) -> list[dict[str, Any]]:
    facts = rec.get("facts", [])
    if not isinstance(facts, list) or not all(isinstance(f, dict) for f in facts):
        raise DataError(
            f'{where} ({rec.get("doc")}): "facts" must be a list of objects',
            hint="see FACTS.md, Record format",
        )
    return facts


def _names_by_id(rec: dict[str, Any], *, gold: bool) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for e in rec.get("entities") or []:
        if not isinstance(e, dict) or "id" not in e or not isinstance(e.get("name"), str):
            continue
        names = {normalise_name(e["name"])}
        if gold:
            names.update(normalise_name(str(a)) for a in e.get("aliases") or [])
        names.discard("")
        out[str(e["id"])] = frozenset(names)
    return out


def _accepted_subjects(rec: dict[str, Any]) -> dict[str, frozenset[str]]:
    """For each gold entity id: the names a predicted subject may have for it.

    Its own name and aliases, and those of the entities tied to it by ``runs``
    or ``participatesIn`` (either way).
    """
    names = _names_by_id(rec, gold=True)
    accepted = {eid: set(n) for eid, n in names.items()}
    for r in rec.get("relations") or []:
        if not isinstance(r, dict) or r.get("p") not in ("runs", "participatesIn"):
            continue
        s, o = str(r.get("s")), str(r.get("o"))
        if s in names and o in names:
            accepted[s] |= names[o]
            accepted[o] |= names[s]
    return {k: frozenset(v) for k, v in accepted.items()}


def _unit(u: Any) -> str:
    return normalise_name(str(u)) if u is not None else ""


def score_facts(
    pred: list[dict[str, Any]],
    gold: list[dict[str, Any]],
    facts_gold: list[dict[str, Any]],
    report: EvalReport,
    *,
    facts_path: str = "<facts gold>",
) -> EvalReport:
    """Score the predicted figures of ``pred`` against ``facts_gold`` into ``report``.

    Per document, predicted facts are taken in order; each is matched to the
    first unused gold fact of the same kind and unit whose value differs by at
    most 0.5 %, preferring one whose subject the prediction names correctly
    (the gold subject's name or alias, or that of an entity tied to it by
    ``runs``/``participatesIn`` in the entity gold ``gold``).  ``value`` counts
    the matches; ``attached`` counts a match as correct when the gold fact has
    no subject or the subject is named correctly, and a wrong or missing subject
    as one false positive and one false negative.

    >>> ents = {"doc": "d", "entities": [
    ...     {"id": "e1", "type": "UnionBody", "name": "区总工会"},
    ...     {"id": "e2", "type": "Program", "name": "护薪行动"}], "relations": []}
    >>> fg = [{"doc": "d", "facts": [
    ...     {"kind": "money", "value": 1200000, "unit": "元", "subject": "e1"},
    ...     {"kind": "money", "value": 1200000, "unit": "元", "subject": "e2"}]}]
    >>> p = [{"doc": "d", "entities": [
    ...     {"id": "e1", "type": "Program", "name": "护薪行动"},
    ...     {"id": "e2", "type": "UnionBody", "name": "区总工会"}], "facts": [
    ...     {"kind": "money", "value": 1200000, "unit": "元", "subject": "e1"},
    ...     {"kind": "money", "value": 1200000, "unit": "元", "subject": "e2"}]}]
    >>> r = score_facts(p, [ents], fg, EvalReport("p", "g"))
    >>> r.facts_value["all"].tp, r.facts_attached["all"].tp, r.facts_attached["all"].fp
    (2, 2, 0)
    """
    value = _table(FACT_KINDS)
    attached = _table(FACT_KINDS)
    gold_ents: dict[str, dict[str, Any]] = {}
    for rec in gold:
        if isinstance(rec, dict) and isinstance(rec.get("doc"), str):
            gold_ents.setdefault(rec["doc"], {"entities": [], "relations": []})
            gold_ents[rec["doc"]]["entities"] += rec.get("entities") or []
            gold_ents[rec["doc"]]["relations"] += rec.get("relations") or []
    gold_facts: dict[str, list[dict[str, Any]]] = {}
    for n, rec in enumerate(facts_gold, 1):
        doc = rec.get("doc") if isinstance(rec, dict) else None
        if not isinstance(doc, str) or not doc:
            raise DataError(
                f'{facts_path}, record {n}: the record has no "doc" name',
                hint='add "doc": "<file name>"',
            )
        gold_facts.setdefault(doc, []).extend(_fact_list(rec, f"{facts_path}, record {n}"))
    pred_by_doc: dict[str, list[dict[str, Any]]] = {}
    for rec in pred:
        if isinstance(rec, dict) and isinstance(rec.get("doc"), str):
            pred_by_doc.setdefault(rec["doc"], []).append(rec)
    for doc in sorted(gold_facts):
        accepted = _accepted_subjects(gold_ents.get(doc, {}))
        golds = gold_facts[doc]
        preds: list[tuple[dict[str, Any], frozenset[str]]] = []
        for rec in pred_by_doc.get(doc, []):
            names = _names_by_id(rec, gold=False)
            for f in _fact_list(rec, str(report.pred_path)):
                subj = f.get("subject")
                preds.append((f, names.get(str(subj), frozenset()) if subj else frozenset()))
        used: set[int] = set()
        for f, subj_names in preds:
            kind, unit, pv = f.get("kind"), _unit(f.get("unit")), _number(f.get("value"))
            best: int | None = None
            best_ok = False
            for gi, g in enumerate(golds):
                gv = _number(g.get("value"))
                if gi in used or g.get("kind") != kind or _unit(g.get("unit")) != unit:
                    continue
                if pv is None or gv is None or abs(pv - gv) > VALUE_TOLERANCE * abs(gv):
                    continue
                gs = g.get("subject")
                ok = not gs or bool(subj_names & accepted.get(str(gs), frozenset()))
                if best is None:
                    best, best_ok = gi, ok
                if ok:
                    best, best_ok = gi, ok
                    break
            key = kind if isinstance(kind, str) and kind in value else None
            if best is None:
                for k in ("all", key):
                    if k is not None:
                        value[k].fp += 1
                        attached[k].fp += 1
                continue
            used.add(best)
            for k in ("all", key):
                if k is None:
                    continue
                value[k].tp += 1
                if best_ok:
                    attached[k].tp += 1
                else:
                    attached[k].fp += 1
                    attached[k].fn += 1
        for gi, g in enumerate(golds):
            if gi in used:
                continue
            gk = g.get("kind")
            for k in ("all", gk if isinstance(gk, str) and gk in value else None):
                if k is not None:
                    value[k].fn += 1
                    attached[k].fn += 1
    report.facts_value = value
    report.facts_attached = attached
    report.facts_gold_path = facts_path
    return report


def _rows(title: str, table: dict[str, PRF], order: Sequence[str]) -> list[str]:
    lines = [f"{title:<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    keys = [k for k in order if k in table] + sorted(k for k in table if k not in order)
    for k in keys:
        v = table[k]
        if k != "all" and v.tp + v.fp + v.fn == 0:
            continue
        name = "micro (all)" if k == "all" else k
        lines.append(
            f"  {name:<22}{v.precision:>7.3f}{v.recall:>7.3f}{v.f1:>7.3f}"
            f"{v.tp:>6}{v.fp:>6}{v.fn:>6}"
        )
    return lines


def _fact_rows(value: dict[str, PRF], attached: dict[str, PRF]) -> list[str]:
    """The figures table: ``value`` and ``attached`` rows, per kind and micro."""
    lines = [f"{'facts':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for title, table in (("value", value), ("attached", attached)):
        for k in (*FACT_KINDS, "all"):
            v = table.get(k)
            if v is None or (k != "all" and v.tp + v.fp + v.fn == 0):
                continue
            name = f"{title} {'micro (all)' if k == 'all' else k}"
            lines.append(
                f"  {name:<22}{v.precision:>7.3f}{v.recall:>7.3f}{v.f1:>7.3f}"
                f"{v.tp:>6}{v.fp:>6}{v.fn:>6}"
            )
    return lines


def format_report(report: EvalReport, misses: bool = False) -> str:
    """The score table as text; with ``misses`` also each document's errors."""
    out = [f"scored {report.docs} document(s): {report.pred_path} against {report.gold_path}", ""]
    out += _rows("entities (all)", report.entities, (*ENTITY_TYPES, "all"))
    out.append("")
    out += _rows("entities (explicit)", report.entities_explicit, (*ENTITY_TYPES, "all"))
    out.append("")
    out += _rows("relations (strict)", report.relations, (*PREDICATES, "all"))
    out.append("")
    out += _rows("relations (relaxed)", {"all": report.relations_relaxed}, ("all",))
    if report.facts_value is not None and report.facts_attached is not None:
        out += ["", *_fact_rows(report.facts_value, report.facts_attached)]
    if report.missing_docs:
        out += ["", f"no prediction for {len(report.missing_docs)} gold document(s):"]
        out += [f"  {d}" for d in report.missing_docs]
    if report.unscored_docs:
        out += ["", f"{len(report.unscored_docs)} predicted document(s) not in the gold file:"]
        out += [f"  {d}" for d in report.unscored_docs]
    if misses:
        for m in report.misses:
            out += ["", f"== {m.doc}"]
            for title, items in (
                ("entity false positives", m.entity_fp),
                ("entity false negatives", m.entity_fn),
                ("relation false positives", m.relation_fp),
                ("relation false negatives", m.relation_fn),
            ):
                if items:
                    out.append(f"  {title} ({len(items)}):")
                    out += [f"    {x}" for x in sorted(items)]
    return "\n".join(out) + "\n"


# --- calibration: reliability table and expected calibration error ----------

#: The number of equal-width confidence bins of the reliability table.
BINS = 10


@dataclass(slots=True)
class Bin:
    """One confidence bin ``[lo, hi)`` (the last one ``[lo, 1.0]``)."""

    lo: float
    hi: float
    count: int = 0
    correct: int = 0
    confidence_sum: float = 0.0

    @property
    def mean_confidence(self) -> float:
        return self.confidence_sum / self.count if self.count else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.count if self.count else 0.0

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "lo": self.lo,
            "hi": self.hi,
            "count": self.count,
            "mean_confidence": round(self.mean_confidence, 4) if self.count else None,
            "precision": round(self.precision, 4) if self.count else None,
        }


@dataclass(slots=True)
class Reliability:
    """A reliability table: predictions binned by confidence, and the ECE."""

    bins: list[Bin]

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bins)

    @property
    def ece(self) -> float:
        """Expected calibration error: sum of (n_b / N) * |precision_b - confidence_b|."""
        n = self.total
        if not n:
            return 0.0
        return sum(b.count / n * abs(b.precision - b.mean_confidence) for b in self.bins)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.total,
            "ece": round(self.ece, 4),
            "bins": [b.as_dict() for b in self.bins],
        }


def _bin_index(confidence: float, bins: int) -> int:
    # round first so that 0.3 (= 2.9999999999999996 / 10 in binary) falls into [0.3, 0.4)
    return min(math.floor(round(confidence * bins, 9)), bins - 1)


def reliability(pairs: Iterable[tuple[float, bool]], bins: int = BINS) -> Reliability:
    """The reliability table of ``(confidence, correct)`` pairs, in ``bins`` equal bins.

    >>> r = reliability([(0.95, True), (0.91, True), (0.3, False)])
    >>> [(b.lo, b.count) for b in r.bins if b.count]
    [(0.3, 1), (0.9, 2)]
    >>> round(r.ece, 4)
    0.1467
    """
    table = [Bin(round(k / bins, 10), round((k + 1) / bins, 10)) for k in range(bins)]
    for conf, ok in pairs:
        b = table[_bin_index(conf, bins)]
        b.count += 1
        b.correct += int(ok)
        b.confidence_sum += conf
    return Reliability(table)


def _confidence(s: Scored, what: str) -> float:
    value = s.record.get("confidence")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        name = s.record.get("name") or f"{s.record.get('s')} -{s.record.get('p')}-> ..."
        raise DataError(
            f"{s.doc}: the predicted {what} {name!r} has no confidence in [0, 1] (found {value!r})",
            hint="--calibration needs the predictions' confidence as kg extract writes it",
        )
    return float(value)


def calibration_tables(report: EvalReport) -> dict[str, Reliability]:
    """The reliability tables of a report's entities and (strict) relations.

    Raises :class:`~kg.errors.DataError` when a scored prediction has no
    numeric ``confidence`` in [0, 1].
    """
    return {
        "entities": reliability(
            (_confidence(s, "entity"), s.correct) for s in report.scored_entities
        ),
        "relations": reliability(
            (_confidence(s, "relation"), s.correct) for s in report.scored_relations
        ),
    }


def format_calibration(tables: dict[str, Reliability]) -> str:
    """Reliability tables as text: per bin count, mean confidence and precision, then ECE."""
    out: list[str] = []
    for title, table in tables.items():
        if out:
            out.append("")
        out.append(
            f"calibration: {title} (strict)" if title == "relations" else f"calibration: {title}"
        )
        out.append(f"  {'confidence':<14}{'n':>6}{'mean conf':>11}{'precision':>11}{'|gap|':>8}")
        for b in table.bins:
            close = "]" if b.hi >= 1.0 else ")"
            label = f"[{b.lo:.1f}, {b.hi:.1f}{close}"
            if b.count:
                gap = abs(b.precision - b.mean_confidence)
                out.append(
                    f"  {label:<14}{b.count:>6}{b.mean_confidence:>11.3f}"
                    f"{b.precision:>11.3f}{gap:>8.3f}"
                )
            else:
                out.append(f"  {label:<14}{0:>6}{'-':>11}{'-':>11}{'-':>8}")
        out.append(f"  ECE {table.ece:.4f} over {table.total} prediction(s)")
    return "\n".join(out) + "\n"
