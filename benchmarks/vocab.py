"""The vocabulary of the corpus generator, read from data files.

Regions, body designations, program cue words and worker groups come from the
shipped lexicons under ``ontology/`` (the same files the product reads).  While
one of them is missing (the product is being written), the generator falls back
to the small ``benchmarks/data/fallback.tsv`` and says so in
:attr:`Vocab.sources`.  Templates and generic filler words are the benchmark's
own data (``benchmarks/data/templates.tsv`` and ``words.tsv``).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import DataError

DATA = Path(__file__).resolve().parent / "data"
LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True, slots=True)
class Place:
    """One administrative division of the gazetteer (``ontology/lexicon/regions.tsv``)."""

    code: str
    name: str
    level: str  # province | prefecture | county
    parent: str | None
    province: str
    short: tuple[str, ...]


@dataclass(slots=True)
class Vocab:
    """Everything the generator draws from."""

    places: dict[str, Place]
    agencies: list[tuple[str, str]]  # (designation, level or "any")
    cues: list[str]
    groups: list[str]
    templates: dict[str, list[str]]
    words: dict[str, list[str]]
    joint_designations: list[str] = field(default_factory=list)
    subunits: list[str] = field(default_factory=list)
    named_agencies: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    national: list[tuple[str, str]] = field(default_factory=list)  # (name, type)
    kinds: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, designation) -> kind
    sources: dict[str, str] = field(default_factory=dict)

    def kind_of(self, type_: str, name: str) -> str | None:
        """The ontology kind key of a body, from the longest designation it ends with.

        >>> v = load_vocab()
        >>> v.kind_of("PartnerAgency", "某某市人民检察院") in (None, "procuratorate")
        True
        """
        best: tuple[int, str] | None = None
        for (t, designation), kind in self.kinds.items():
            fits = t == type_ and (name == designation or name.endswith(designation))
            if fits and (best is None or len(designation) > best[0]):
                best = (len(designation), kind)
        return best[1] if best else None

    def agencies_for(self, level: str) -> list[str]:
        """Agency designations used at ``level`` (falls back to all of them)."""
        found = [d for d, lv in self.agencies if lv in (level, "any")]
        return found or [d for d, _ in self.agencies]


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a ``#``-commented TSV with a header row, as dicts.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.tsv"
    >>> _ = p.write_text("# note\\na\\tb\\n1\\t2\\n\\n", encoding="utf-8")
    >>> list(read_tsv(p))
    [{'a': '1', 'b': '2'}]
    """
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(
            f"cannot read {path}: {exc}", hint="restore the file from the repository"
        ) from exc
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        yield {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}


def _ontology_dir() -> Path | None:
    try:
        from kg.resources import ontology_dir

        return ontology_dir()
    except (ImportError, DataError):
        return None


def _load_places(root: Path | None) -> dict[str, Place] | None:
    path = root / "lexicon" / "regions.tsv" if root else None
    if path is None or not path.exists():
        return None
    places: dict[str, Place] = {}
    for row in read_tsv(path):
        code, name, level = row.get("code", ""), row.get("name", ""), row.get("level", "")
        if not code or not name or level not in LEVELS:
            continue
        places[code] = Place(
            code=code,
            name=name,
            level=level,
            parent=row.get("parent") or None,
            province=row.get("province") or code,
            short=tuple(s for s in row.get("short", "").split("|") if s),
        )
    return places or None


def _fallback() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in read_tsv(DATA / "fallback.tsv"):
        out[row["kind"]].append((row["word"], row.get("level") or "any"))
    return out


_CJK = re.compile(r"^[\u3400-\u9fff]+$")


def _worker_groups(root: Path | None) -> list[str] | None:
    """Preferred and alternative Chinese labels of ``ontology/worker_groups.ttl``."""
    path = root / "worker_groups.ttl" if root else None
    if path is None or not path.exists():
        return None
    import rdflib
    from rdflib.namespace import SKOS

    g = rdflib.Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise DataError(f"cannot parse {path}: {exc}", hint="fix the Turtle syntax") from exc
    labels = {
        str(o)
        for p in (SKOS.prefLabel, SKOS.altLabel)
        for o in g.objects(None, p)
        if isinstance(o, rdflib.Literal) and (o.language or "").startswith("zh")
    }
    out = sorted(s for s in labels if _CJK.match(s))
    return out or None


def _rows(root: Path | None, name: str, *columns: str) -> list[dict[str, str]] | None:
    """Rows of ``ontology/lexicon/<name>`` when it exists and has ``columns``."""
    path = root / "lexicon" / name if root else None
    if path is None or not path.exists():
        return None
    try:
        rows = list(read_tsv(path))
    except (DataError, csv.Error):
        return None
    if not rows or any(c not in rows[0] for c in columns):
        return None
    return rows


def _level_of(designation: str, choice: str) -> str:
    """The administrative level a designation belongs to.

    ``choice`` is the ``province:`` / ``prefecture:`` / ``*:`` prefix of a
    level-dependent canonical form; otherwise the designation's own words say it
    (高级人民法院 and …厅 are provincial, 中级人民法院 prefectural).
    """
    if choice in LEVELS:
        return choice
    if designation.startswith("高级") or designation.endswith("厅"):
        return "province"
    if designation.startswith("中级"):
        return "prefecture"
    return "any"


def _designations(root: Path | None, vocab: dict[str, Any], sources: dict[str, str]) -> None:
    rows = _rows(root, "designations.tsv", "canonical", "type", "mode")
    if rows is None:
        return
    src = "ontology/lexicon/designations.tsv"
    agencies: set[tuple[str, str]] = set()
    for row in rows:
        canonical, etype, mode = row["canonical"], row["type"], row["mode"]
        for part in canonical.split("|"):
            designation = part.rpartition(":")[2]
            if row.get("kind") and _CJK.match(designation):
                vocab["kinds"][(etype, designation)] = row["kind"]
        if etype == "PartnerAgency" and mode == "region":
            for part in canonical.split("|"):
                level, _, designation = part.rpartition(":")
                if _CJK.match(designation):
                    agencies.add((designation, _level_of(designation, level)))
        elif etype == "UnionBody" and mode == "named" and _CJK.match(canonical):
            vocab["joint_designations"].add(canonical)
        elif etype == "UnionBody" and mode == "subunit" and _CJK.match(canonical):
            vocab["subunits"].add(canonical)
        elif etype == "PartnerAgency" and mode == "named" and _CJK.match(canonical):
            vocab["named_agencies"].add(canonical)
    if agencies:
        vocab["agencies"] = sorted(agencies)
        sources["agencies"] = src
    if vocab["joint_designations"]:
        sources["union_designations"] = src


def _name_words(root: Path | None, vocab: dict[str, Any], sources: dict[str, str]) -> None:
    rows = _rows(root, "name_words.tsv", "kind", "word")
    if rows is None:
        return
    for row in rows:
        if row["kind"] == "industry" and _CJK.match(row["word"]):
            vocab["industries"].add(row["word"])
    if vocab["industries"]:
        sources["industries"] = "ontology/lexicon/name_words.tsv"


def _cues(root: Path | None, vocab: dict[str, Any], sources: dict[str, str]) -> None:
    rows = _rows(root, "program_cues.tsv", "kind", "word")
    if rows is None:
        return
    cues = {r["word"] for r in rows if r["kind"] in ("head", "generic") and _CJK.match(r["word"])}
    if cues:
        vocab["cues"] = sorted(cues)
        sources["cues"] = "ontology/lexicon/program_cues.tsv"


def _national(root: Path | None, vocab: dict[str, Any], sources: dict[str, str]) -> None:
    rows = _rows(root, "national_bodies.tsv", "name", "type")
    if rows is None:
        return
    vocab["national"] = sorted((r["name"], r["type"]) for r in rows if _CJK.match(r["name"]))
    for r in rows:
        if r.get("kind") and _CJK.match(r["name"]):
            vocab["kinds"][(r["type"], r["name"])] = r["kind"]
    if vocab["national"]:
        sources["national"] = "ontology/lexicon/national_bodies.tsv"


@cache
def load_vocab() -> Vocab:
    """Read the generator's vocabulary (cached).

    Examples
    --------
    >>> v = load_vocab()
    >>> len(v.places) > 30 and bool(v.groups) and bool(v.templates["runs"])
    True
    """
    root = _ontology_dir()
    places = _load_places(root)
    if places is None:
        raise DataError(
            "the gazetteer ontology/lexicon/regions.tsv is missing",
            hint="restore it from the repository (scripts/gen_gazetteer.py regenerates it)",
        )
    sources: dict[str, str] = {"regions": "ontology/lexicon/regions.tsv"}
    fb = _fallback()
    found: dict[str, Any] = {
        "agencies": fb["agency"],
        "cues": [w for w, _ in fb["cue"]],
        "joint_designations": set(),
        "subunits": set(),
        "named_agencies": set(),
        "industries": set(),
        "national": [],
        "kinds": {},
    }
    sources.update(agencies="fallback", cues="fallback")
    _designations(root, found, sources)
    _name_words(root, found, sources)
    _cues(root, found, sources)
    _national(root, found, sources)
    groups = _worker_groups(root)
    if groups is None:
        groups = [w for w, _ in fb["group"]]
        sources["groups"] = "fallback"
    else:
        sources["groups"] = "ontology/worker_groups.ttl"
    templates: dict[str, list[str]] = defaultdict(list)
    for row in read_tsv(DATA / "templates.tsv"):
        templates[row["kind"]].append(row.get("template", ""))
    words: dict[str, list[str]] = defaultdict(list)
    for row in read_tsv(DATA / "words.tsv"):
        words[row["kind"]].append(row["word"])
    return Vocab(
        places=places,
        agencies=sorted(set(found["agencies"])),
        cues=sorted(set(found["cues"])),
        groups=groups,
        templates=dict(templates),
        words=dict(words),
        joint_designations=sorted(found["joint_designations"]),
        subunits=sorted(found["subunits"]),
        named_agencies=sorted(found["named_agencies"]),
        industries=sorted(found["industries"]),
        national=list(found["national"]),
        kinds=dict(found["kinds"]),
        sources=sources,
    )
