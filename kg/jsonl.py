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
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, Final, TextIO, cast

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
    """The line of ``extraction.jsonl`` for one document (newline included).

    Exactly ``json.dumps(doc_record(result), ensure_ascii=False) + "\\n"``, written
    straight from the result without the intermediate dicts (the writer's hot path;
    ``tests/test_text_speed_round4.py`` holds the two to the same bytes).
    """
    order, by_entity = _ordered_mentions(result)
    ids: dict[str, str] = {}
    for k, key in enumerate(order, 1):
        ids[key] = "e" + str(k)
    out: list[str] = ['{"doc": ', _value(result.doc.doc_id), ', "entities": [']
    first = True
    for key in order:
        if not first:
            out.append(", ")
        first = False
        _entity_json(out, ids[key], result.entities[key], by_entity[key])
    out.append('], "relations": [')
    first = True
    for rel in result.relations:
        if rel.s in ids and rel.o in ids:
            if not first:
                out.append(", ")
            first = False
            _relation_json(out, rel, ids)
    out.append('], "facts": [')
    first = True
    for fact in result.facts:
        if not first:
            out.append(", ")
        first = False
        _fact_json(out, fact, ids)
    out.append("]}\n")
    return "".join(out)


#: ``json``'s own string encoder (the C one where it exists): quotes and escapes
_encode_str: Final[Callable[[str], str]] = encode_basestring
_INF: Final = float("inf")
#: the text of the small whole numbers (offsets, indices), made once
_INT_TEXT: Final[list[str]] = [str(i) for i in range(4096)]
#: float -> its text: confidences repeat (few distinct values), formatting them does not
_FLOAT_TEXT: dict[float, str] = {}
_FLOAT_TEXT_MAX: Final = 4096


def _fact_json(out: list[str], fact: Fact, ids: dict[str, str]) -> None:
    from kg.extract.quantities import plain_value

    out.append('{"kind": ')
    out.append(_value(fact.kind))
    out.append(', "value": ')
    out.append(_value(plain_value(fact.value)))
    out.append(', "unit": ')
    out.append(_value(fact.unit))
    out.append(', "approx": ')
    out.append(_value(fact.approx))
    out.append(', "what": ')
    out.append(_value(fact.what))
    if fact.subject is not None and fact.subject in ids:
        out.append(', "subject": ')
        out.append(_value(ids[fact.subject]))
    if fact.group is not None and fact.group in ids:
        out.append(', "group": ')
        out.append(_value(ids[fact.group]))
    out.append(', "evidence": ')
    out.append(_value(fact.text))
    out.append(', "start": ')
    out.append(_value(fact.start))
    out.append(', "end": ')
    out.append(_value(fact.end))
    out.append(', "evidence_start": ')
    out.append(_value(fact.evidence_start))
    out.append(', "evidence_end": ')
    out.append(_value(fact.evidence_end))
    out.append(', "article": ')
    out.append(_value(fact.article))
    out.append(', "sentence": ')
    out.append(_value(fact.sentence))
    out.append(', "extractor": ')
    out.append(_value(fact.extractor))
    out.append(', "confidence": ')
    out.append(_value(round(fact.confidence, 4)))
    out.append("}")


def _value(v: object) -> str:
    """``v`` as ``json.dumps(v, ensure_ascii=False)`` writes it."""
    if isinstance(v, str):
        return _encode_str(v)
    kind = type(v)
    if kind is int:
        i = cast(int, v)
        return _INT_TEXT[i] if 0 <= i < 4096 else str(i)
    if kind is float:
        return _float_text(cast(float, v))
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    return json.dumps(v, ensure_ascii=False)  # anything else: as json writes it


def _float_text(v: float) -> str:
    """``v`` as json writes a float (``float.__repr__``; NaN and infinities by name)."""
    if v != v:
        return "NaN"
    if v == _INF:
        return "Infinity"
    if v == -_INF:
        return "-Infinity"
    if v == 0.0:
        return str(v)  # 0.0 and -0.0 are one key of a dict, not one text
    got = _FLOAT_TEXT.get(v)
    if got is None:
        got = str(v)
        if len(_FLOAT_TEXT) < _FLOAT_TEXT_MAX:
            _FLOAT_TEXT[v] = got
    return got


def _ordered_mentions(result: DocResult) -> tuple[list[str], dict[str, list[Mention]]]:
    """The emitted entities in order of first mention and each one's mentions in text
    order: what :func:`_entity_order` and :func:`doc_record` compute, in one pass."""
    entities = result.entities
    order: list[str] = []
    by_entity: dict[str, list[Mention]] = {}
    for m in sorted(result.mentions, key=_mention_key):
        key = m.entity
        found = by_entity.get(key)
        if found is None:
            if key not in entities:
                continue
            found = []
            by_entity[key] = found
            order.append(key)
        found.append(m)
    return order, by_entity


def _mention_key(m: Mention) -> tuple[int, int, str]:
    return (m.start, m.end, m.entity)


def _entity_json(out: list[str], eid: str, ent: Entity, mentions: list[Mention]) -> None:
    out.append('{"id": ')
    out.append(_value(eid))
    out.append(', "type": ')
    out.append(_value(ent.type))
    out.append(', "name": ')
    out.append(_value(ent.name))
    out.append(', "aliases": [')
    name = ent.name
    first = True
    for a in sorted(ent.aliases):
        if a != name:
            if not first:
                out.append(", ")
            first = False
            out.append(_value(a))
    out.append("]")
    if ent.implicit:
        out.append(', "implicit": true')
    if ent.kind is not None:
        out.append(', "kind": ')
        out.append(_value(ent.kind))
    if ent.level is not None:
        out.append(', "level": ')
        out.append(_value(ent.level))
    if ent.region_code is not None:
        out.append(', "region_code": ')
        out.append(_value(ent.region_code))
    if ent.region_name is not None:
        out.append(', "region_name": ')
        out.append(_value(ent.region_name))
    best = 0.0
    seen = False
    for m in mentions:
        if not seen or m.confidence > best:
            best = m.confidence
            seen = True
    out.append(', "confidence": ')
    out.append(_value(round(best, 4)))
    out.append(', "mentions": [')
    first = True
    for m in mentions:
        out.append('{"start": ' if first else ', {"start": ')
        first = False
        out.append(_value(m.start))
        out.append(', "end": ')
        out.append(_value(m.end))
        out.append(', "text": ')
        out.append(_value(m.text))
        out.append(', "article": ')
        out.append(_value(m.article))
        out.append(', "sentence": ')
        out.append(_value(m.sentence))
        out.append(', "implicit": ')
        out.append(_value(m.implicit))
        out.append(', "confidence": ')
        out.append(_value(round(m.confidence, 4)))
        out.append(', "recogniser": ')
        out.append(_value(m.recogniser))
        out.append("}")
    out.append("]}")


def _evidence_key(e: Evidence) -> tuple[int, int, int, int]:
    return (e.article, e.sentence, e.s_start, e.o_start)


def _relation_json(out: list[str], rel: Relation, ids: dict[str, str]) -> None:
    evidence = sorted(rel.evidence, key=_evidence_key)
    best: Evidence | None = None
    for e in evidence:
        if best is None or e.confidence > best.confidence:
            best = e
    out.append('{"s": ')
    out.append(_value(ids[rel.s]))
    out.append(', "p": ')
    out.append(_value(rel.p))
    out.append(', "o": ')
    out.append(_value(ids[rel.o]))
    out.append(', "evidence": ')
    out.append(_value(best.text if best is not None else ""))
    conf = 0.0  # rel.confidence: the max over the evidence in its own order
    seen = False
    for e in rel.evidence:
        if not seen or e.confidence > conf:
            conf = e.confidence
            seen = True
    out.append(', "confidence": ')
    out.append(_value(round(conf, 4)))
    if best is not None:
        out.append(', "article": ')
        out.append(_value(best.article))
        out.append(', "extractor": ')
        out.append(_value(best.extractor))
        if best.trigger is not None:
            out.append(', "trigger": ')
            out.append(_value(best.trigger))
    out.append(', "evidences": [')
    first = True
    for ev in evidence:
        out.append('{"article": ' if first else ', {"article": ')
        first = False
        out.append(_value(ev.article))
        out.append(', "sentence": ')
        out.append(_value(ev.sentence))
        out.append(', "sentence_start": ')
        out.append(_value(ev.sentence_start))
        out.append(', "sentence_end": ')
        out.append(_value(ev.sentence_end))
        out.append(', "text": ')
        out.append(_value(ev.text))
        out.append(', "s_start": ')
        out.append(_value(ev.s_start))
        out.append(', "s_end": ')
        out.append(_value(ev.s_end))
        out.append(', "o_start": ')
        out.append(_value(ev.o_start))
        out.append(', "o_end": ')
        out.append(_value(ev.o_end))
        out.append(', "extractor": ')
        out.append(_value(ev.extractor))
        out.append(', "confidence": ')
        out.append(_value(round(ev.confidence, 4)))
        if ev.trigger is not None:
            out.append(', "trigger": ')
            out.append(_value(ev.trigger))
            out.append(', "trigger_start": ')
            out.append(_value(ev.trigger_start))
            out.append(', "trigger_end": ')
            out.append(_value(ev.trigger_end))
        out.append("}")
    out.append("]}")


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
            fh.write(doc_line(result))
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
