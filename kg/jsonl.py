"""The extraction JSON Lines format (GUIDELINES "File format").

One line per document::

    {"doc": "000.txt",
     "entities": [{"id": "e1", "type": "UnionBody", "name": "江苏省总工会",
                   "aliases": ["江苏总工会"], "mentions": [...]}],
     "relations": [{"s": "e1", "p": "runs", "o": "e2", "evidence": "...",
                    "confidence": 0.9, "evidences": [...]}],
     "facts": [{"kind": "money", "value": 1200000, "unit": "元", "approx": false,
                "what": "欠薪", "subject": "e1", "evidence": "...", "start": 40, ...}]}

The keys the gold files use (``id``, ``type``, ``name``, ``aliases``, ``implicit``,
``s``, ``p``, ``o``, ``evidence``) come first; everything else is an extra that a
scorer ignores (mentions with exact offsets, kind, level, region, every piece of
evidence with its offsets, trigger and extractor).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO, cast

from kg.errors import DataError, InputError
from kg.model import DocResult, Entity, Evidence, Fact, Mention, Relation
from kg.output import atomic_file

__all__ = ["doc_record", "read_jsonl", "write_extraction"]


def _entity_order(result: DocResult) -> list[str]:
    """Entity keys in order of first mention (then by key), only those mentioned."""
    first: dict[str, tuple[int, int, str]] = {}
    for m in result.mentions:
        pos = (m.start, m.end, m.entity)
        if m.entity not in first or pos < first[m.entity]:
            first[m.entity] = pos
    return sorted((k for k in first if k in result.entities), key=lambda k: (first[k], k))


def _mention_record(m: Mention) -> dict[str, Any]:
    return {
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "article": m.article,
        "sentence": m.sentence,
        "implicit": m.implicit,
        "confidence": round(m.confidence, 4),
        "recogniser": m.recogniser,
    }


def _entity_record(eid: str, ent: Entity, mentions: list[Mention]) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": eid,
        "type": ent.type,
        "name": ent.name,
        "aliases": sorted(a for a in ent.aliases if a != ent.name),
    }
    if ent.implicit:
        rec["implicit"] = True
    for key in ("kind", "level", "region_code", "region_name"):
        value = getattr(ent, key)
        if value is not None:
            rec[key] = value
    rec["confidence"] = round(max((m.confidence for m in mentions), default=0.0), 4)
    rec["mentions"] = [_mention_record(m) for m in mentions]
    return rec


def _evidence_record(ev: Evidence) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "article": ev.article,
        "sentence": ev.sentence,
        "sentence_start": ev.sentence_start,
        "sentence_end": ev.sentence_end,
        "text": ev.text,
        "s_start": ev.s_start,
        "s_end": ev.s_end,
        "o_start": ev.o_start,
        "o_end": ev.o_end,
        "extractor": ev.extractor,
        "confidence": round(ev.confidence, 4),
    }
    if ev.trigger is not None:
        rec["trigger"] = ev.trigger
        rec["trigger_start"] = ev.trigger_start
        rec["trigger_end"] = ev.trigger_end
    return rec


def _relation_record(rel: Relation, ids: dict[str, str]) -> dict[str, Any]:
    evidence = sorted(rel.evidence, key=lambda e: (e.article, e.sentence, e.s_start, e.o_start))
    best = max(evidence, key=lambda e: e.confidence) if evidence else None
    rec: dict[str, Any] = {
        "s": ids[rel.s],
        "p": rel.p,
        "o": ids[rel.o],
        "evidence": best.text if best is not None else "",
        "confidence": round(rel.confidence, 4),
    }
    if best is not None:
        rec["article"] = best.article
        rec["extractor"] = best.extractor
        if best.trigger is not None:
            rec["trigger"] = best.trigger
    rec["evidences"] = [_evidence_record(e) for e in evidence]
    return rec


def _fact_record(fact: Fact, ids: dict[str, str]) -> dict[str, Any]:
    from kg.extract.quantities import plain_value

    rec: dict[str, Any] = {
        "kind": fact.kind,
        "value": plain_value(fact.value),
        "unit": fact.unit,
        "approx": fact.approx,
        "what": fact.what,
    }
    if fact.subject is not None and fact.subject in ids:
        rec["subject"] = ids[fact.subject]
    if fact.group is not None and fact.group in ids:
        rec["group"] = ids[fact.group]
    rec.update(
        evidence=fact.text,
        start=fact.start,
        end=fact.end,
        evidence_start=fact.evidence_start,
        evidence_end=fact.evidence_end,
        article=fact.article,
        sentence=fact.sentence,
        extractor=fact.extractor,
        confidence=round(fact.confidence, 4),
    )
    return rec


def doc_record(result: DocResult) -> dict[str, Any]:
    """The GUIDELINES record of one document (a JSON-ready ``dict``).

    Entity ids are ``e1, e2, ...`` in order of first mention; entities without a
    mention and relations whose ends are not emitted are left out.
    """
    order = _entity_order(result)
    ids = {key: f"e{i}" for i, key in enumerate(order, 1)}
    by_entity: dict[str, list[Mention]] = {k: [] for k in order}
    for m in sorted(result.mentions, key=lambda m: (m.start, m.end, m.entity)):
        if m.entity in by_entity:
            by_entity[m.entity].append(m)
    entities = [_entity_record(ids[k], result.entities[k], by_entity[k]) for k in order]
    relations = [
        _relation_record(rel, ids) for rel in result.relations if rel.s in ids and rel.o in ids
    ]
    facts = [_fact_record(f, ids) for f in result.facts]
    return {"doc": result.doc.doc_id, "entities": entities, "relations": relations, "facts": facts}


def doc_line(result: DocResult) -> str:
    """The line of ``extraction.jsonl`` for one document (newline included)."""
    return json.dumps(doc_record(result), ensure_ascii=False) + "\n"


def write_lines(lines: Iterable[str], path: str | os.PathLike[str]) -> int:
    """Write lines (each ending in a newline) to ``path`` atomically; returns their number."""
    n = 0
    with atomic_file(path) as raw:
        fh = cast(TextIO, raw)
        for line in lines:
            fh.write(line)
            n += 1
    return n


def write_extraction(results: Iterable[DocResult], path: str | os.PathLike[str]) -> int:
    """Write one JSON line per document to ``path`` atomically.

    Returns the number of lines written.  Raises :class:`~kg.errors.OutputError`
    when the file cannot be written.
    """
    n = 0
    with atomic_file(path) as raw:
        fh = cast(TextIO, raw)
        for result in results:
            fh.write(json.dumps(doc_record(result), ensure_ascii=False) + "\n")
            n += 1
    return n


def read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a JSON Lines file of objects (blank lines are skipped).

    Raises
    ------
    InputError
        The file is missing or unreadable.
    DataError
        A line is not a JSON object; the message names the file and the line.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read {p}: {exc.strerror}", hint="check the path of the JSON Lines file"
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{p} is not UTF-8 (byte {exc.start})", hint="save the JSON Lines file as UTF-8"
        ) from exc
    records: list[dict[str, Any]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"{p}, line {lineno}: not valid JSON ({exc.msg} at column {exc.colno})",
                hint="fix or remove that line; every line must be one JSON object",
            ) from exc
        if not isinstance(obj, dict):
            raise DataError(
                f"{p}, line {lineno}: expected a JSON object, found {type(obj).__name__}",
                hint="every line must be one JSON object",
            )
        records.append(obj)
    return records
