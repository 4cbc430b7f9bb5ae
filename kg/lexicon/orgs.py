"""Organisation knowledge: body designations, national bodies and name-word classes.

Data files (``ontology/lexicon/``):

* ``designations.tsv`` – head words that make an organisation name (总工会, 人民法院,
  人社局, 律师协会 ...), with canonical form, type, kind and how a name is built;
* ``organs.tsv`` – the functional organs of government as stems, standard
  abbreviations and heads (财政 + 厅/局, 发改 + 委): every combination becomes a
  designation (:func:`organ_designations`), so that 住建厅, 发改委 and 水利局 need no
  row of their own;
* ``national_bodies.tsv`` – national bodies known by name (中华全国总工会 ...);
* ``name_words.tsv`` – word classes that bound and judge free-text names.

Everything is read once, on first use.

>>> lex = org_lexicon()
>>> d = lex.designations["人社局"]
>>> d.canonical_for("county"), d.type
('人力资源和社会保障局', 'PartnerAgency')
>>> lex.designations["法院"].canonical_for("province")
'高级人民法院'
>>> "各地" in lex.words("generic")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from kg.errors import DataError
from kg.lexicon.tables import read_tsv
from kg.model import ENTITY_TYPES

__all__ = ["Designation", "NationalBody", "OrgLexicon", "org_lexicon"]

MODES = frozenset(
    {"region", "named", "institution", "union", "short", "subunit", "level", "ref", "prefix"}
)
WORD_KINDS = frozenset(
    {
        "verb",
        "function",
        "time",
        "generic",
        "org_suffix",
        "industry",
        "zone",
        "total_blocker",
        "program_word",
        "name_verb",
        "group_blocker",
        "group_modifier",
        "office_title",
        "honour_verb",
        "actor_verb",
        "actor_lead",
        "township",
        "section",
        "group_head",
        "group_descriptor",
    }
)


@dataclass(frozen=True, slots=True)
class Designation:
    """A body designation as written in text (``surface``) and what it means."""

    surface: str
    canonical: str  # may be level-conditional: "province:X|*:Y"
    type: str
    kind: str
    mode: str
    bare: bool

    def canonical_for(self, level: str | None) -> str:
        """The full designation for a body of a region at ``level``.

        >>> Designation("人社", "province:厅|*:局", "PartnerAgency", "hrss", "region", True
        ...             ).canonical_for("county")
        '局'
        """
        if ":" not in self.canonical:
            return self.canonical
        default = self.canonical
        for part in self.canonical.split("|"):
            cond, _, value = part.partition(":")
            if cond == level:
                return value
            if cond == "*":
                default = value
        return default


@dataclass(frozen=True, slots=True)
class NationalBody:
    """A national body known by name (no region in front)."""

    name: str
    type: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrgLexicon:
    """All organisation word lists, loaded once by :func:`org_lexicon`."""

    designations: dict[str, Designation]
    national: dict[str, NationalBody]  # surface (name or alias) -> body
    word_classes: dict[str, frozenset[str]]
    abbreviations: dict[str, str]  # short enterprise name -> full name
    # the distinct lengths of the short names, longest first (derived, for expand)
    _short_lengths: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lengths = tuple(sorted({len(s) for s in self.abbreviations}, reverse=True))
        object.__setattr__(self, "_short_lengths", lengths)

    def expand(self, name: str) -> str:
        """``name`` with a leading short enterprise name written out (工行… -> 中国工商银行…).

        >>> org_lexicon().expand("工行广东省分行工会")
        '中国工商银行广东省分行工会'
        """
        # at most one short name of each length can begin ``name``: the longest wins
        for k in self._short_lengths:
            full = self.abbreviations.get(name[:k])
            if full is not None and len(name) >= k:
                return name if name.startswith(full) else full + name[k:]
        return name

    def words(self, kind: str) -> frozenset[str]:
        """The words of one class of ``name_words.tsv`` (empty for an unknown class)."""
        return self.word_classes.get(kind, frozenset())


# the abbreviated form of a head after an abbreviated stem: 发改 + 委, 文明 + 办
_HEAD_SHORT = {"委员会": "委", "办公室": "办", "委员会办公室": "办"}


def organ_designations(rows: list[dict[str, str]]) -> dict[str, Designation]:
    """Designations generated from the rows of ``organs.tsv``.

    Each stem and each of its abbreviations is combined with each head; an
    abbreviation also takes the short form of a head (发改委); ``X部门`` is a bare
    reference to the organ of the acting body's region.

    >>> ds = organ_designations([{"stem": "发展和改革", "short": "发改",
    ...                           "heads": "委员会|局", "kind": "government"}])
    >>> ds["发改委"].canonical, ds["发展和改革局"].canonical, ds["发展和改革委"].canonical
    ('发展和改革委员会', '发展和改革局', '发展和改革委员会')
    >>> ds["发改部门"].bare, ds["发改部门"].canonical_for("province")
    (True, '发展和改革委员会')
    """
    out: dict[str, Designation] = {}
    for row in rows:
        stem, kind = row["stem"], row["kind"] or "government"
        shorts = [s for s in row["short"].split("|") if s]
        heads = [h for h in row["heads"].split("|") if h]
        for head in heads:
            full = stem + head
            forms = [stem + head] + [s + head for s in shorts]
            if head in _HEAD_SHORT:  # 发改委, and the full stem too: 交通运输委
                forms += [s + _HEAD_SHORT[head] for s in (stem, *shorts)]
            for surface in forms:
                if len(surface) >= 3:
                    out.setdefault(
                        surface,
                        Designation(surface, full, "PartnerAgency", kind, "region", False),
                    )
        if "厅" in heads and "局" in heads:
            generic = f"province:{stem}厅|*:{stem}局"
        else:
            generic = stem + heads[0]
        for s in [stem, *shorts]:
            if len(s) >= 2:
                surface = s + "部门"
                out.setdefault(
                    surface, Designation(surface, generic, "PartnerAgency", kind, "region", True)
                )
    return out


@cache
def org_lexicon() -> OrgLexicon:
    """The shipped organisation lexicon (read on first call, then cached)."""
    from kg.resources import data_path

    path = data_path("lexicon", "organs.tsv")
    designations = organ_designations(read_tsv(path, ("stem", "short", "heads", "kind")))
    path = data_path("lexicon", "designations.tsv")
    cols = ("surface", "canonical", "type", "kind", "mode", "bare")
    for row in read_tsv(path, cols):
        if row["type"] not in ENTITY_TYPES or row["mode"] not in MODES:
            raise DataError(
                f"{path}: designation {row['surface']!r} has type {row['type']!r} "
                f"and mode {row['mode']!r}",
                hint=f"type is one of {', '.join(ENTITY_TYPES)}; mode one of {', '.join(MODES)}",
            )
        designations[row["surface"]] = Designation(
            row["surface"],
            row["canonical"] or row["surface"],
            row["type"],
            row["kind"],
            row["mode"],
            row["bare"] == "yes",
        )
    path = data_path("lexicon", "national_bodies.tsv")
    national: dict[str, NationalBody] = {}
    for row in read_tsv(path, ("name", "type", "kind", "aliases")):
        if row["type"] not in ENTITY_TYPES:
            raise DataError(
                f"{path}: national body {row['name']!r} has unknown type {row['type']!r}",
                hint=f"use one of {', '.join(ENTITY_TYPES)}",
            )
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        body = NationalBody(row["name"], row["type"], row["kind"], aliases)
        for surface in (body.name, *aliases):
            national[surface] = body
    path = data_path("lexicon", "name_words.tsv")
    classes: dict[str, set[str]] = {}
    for row in read_tsv(path, ("kind", "word")):
        if row["kind"] not in WORD_KINDS:
            raise DataError(
                f"{path}: unknown word class {row['kind']!r}",
                hint=f"use one of {', '.join(sorted(WORD_KINDS))}",
            )
        classes.setdefault(row["kind"], set()).add(row["word"])
    path = data_path("lexicon", "org_abbreviations.tsv")
    abbreviations = {r["short"]: r["full"] for r in read_tsv(path, ("short", "full"))}
    return OrgLexicon(
        designations, national, {k: frozenset(v) for k, v in classes.items()}, abbreviations
    )
