"""Entity resolution: candidates of a whole document -> canonical entities and mentions.

* Organisations bound to a region get the GUIDELINES canonical name: the region
  as the text gives it (a county carries its prefecture when a mention names
  the prefecture, a district of a municipality always carries it) followed by
  the full designation (江苏省总 -> 江苏省总工会, 区人社局 -> 永川区人力资源和社会保障局).
* Programs are merged across the document when one name is another plus cue
  words (劳动用工监督评估 + 专项服务行动); the canonical name is the most complete
  form, or the bare name when the others only add a generic head (“一函两书”制度
  -> 一函两书).
* Worker groups take the SKOS prefLabel.

Every mention keeps exact original offsets: ``text == doc.text[start:end]``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.extract.mentions import Candidate
from kg.extract.mentions.scan import _ends_with_any as _ends_with_any_word
from kg.lexicon.orgs import org_lexicon
from kg.lexicon.programs import program_cues
from kg.lexicon.regions import Gazetteer, Region
from kg.model import Article, Document, Entity, Mention, Sentence

__all__ = ["Located", "program_core", "resolve_document"]

_QUOTES = str.maketrans("", "", "“”‘’「」『』《》\"'")


@dataclass(slots=True)
class Located:
    """A candidate with the article and sentence it was read in."""

    cand: Candidate
    article: Article
    sentence: Sentence


@lru_cache(maxsize=65536)
def _clean(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).translate(_QUOTES).split())


def _region_form(region: Region, parent_named: bool) -> str:
    gaz = Gazetteer.load()
    if region.level != "county":
        return region.name
    parent = gaz.get(region.parent) if region.parent is not None else None
    if parent is None or (parent.level == "province" and not parent.is_municipality):
        return region.name
    if parent.is_municipality or parent_named:
        return gaz.qualified_name(region.code)
    return region.name


def _compose(region_text: str, designation: str) -> str:
    """Region and designation: in front, or where ``{region}`` says (共青团{region}委员会)."""
    if "{region}" in designation:
        return designation.replace("{region}", region_text)
    return region_text + designation


def _region_aliases(region: Region, designation: str, zone: str) -> set[str]:
    gaz = Gazetteer.load()
    forms = (
        region.name,
        gaz.qualified_name(region.code),
        gaz.qualified_name(region.code, with_province=True),
    )
    return {_compose(f + zone, designation) for f in forms}


def _program_name(c: Candidate) -> str:
    """The program name as read, without a leading region when a union program type
    follows (四川工会驿站 -> 工会驿站: the region's site of the union program)."""
    name = _clean(c.name or c.surface)
    if c.lead_region and name.startswith(c.lead_region):
        rest = name[len(c.lead_region) :]
        if rest.startswith("工会") and len(rest) >= 4:
            return rest
    return name


@cache
def _droppable() -> tuple[str, ...]:
    cues = program_cues()
    return tuple(sorted(cues.generic | cues.carriers, key=len, reverse=True))


@lru_cache(maxsize=65536)
def program_core(name: str) -> str:
    """``name`` without trailing generic heads and carriers (制度, 机制, 小程序 ...).

    >>> program_core("一函两书制度"), program_core("职工维权直通车微信小程序")
    ('一函两书', '职工维权直通车')
    """
    droppable = _droppable()
    changed = True
    while changed:
        changed = False
        for w in droppable:
            if name.endswith(w) and len(name) - len(w) >= 2:
                name = name[: -len(w)]
                changed = True
                break
    return name


@cache
def _cue_words() -> tuple[frozenset[str], tuple[int, ...]]:
    words = program_cues().all_heads | {"专项", "一体化", "新"}
    return words, tuple(sorted({len(w) for w in words}, reverse=True))


@lru_cache(maxsize=65536)
def _only_cues(rest: str) -> bool:
    """True when ``rest`` is made only of program cue words (专项 allowed as a modifier).

    The longest cue word at each position is taken, as a reader would.

    >>> _only_cues("专项服务行动"), _only_cues("职工服务行动")
    (True, False)
    """
    words, lengths = _cue_words()
    while rest:
        for k in lengths:
            if rest[:k] in words:
                rest = rest[k:]
                break
        else:
            return False
    return True


def _program_names(names: Sequence[str], quoted: frozenset[str] = frozenset()) -> dict[str, str]:
    """Map every program name of a document to its canonical name.

    ``quoted`` are the names read between quotation marks: the text names them on
    purpose, so one is never folded into a longer one that it ends (技能培训班 is not
    青年技能培训班).
    """
    cues = program_cues()
    counts = Counter(names)
    order: dict[str, int] = {}
    for i, n in enumerate(names):
        order.setdefault(n, i)
    by_core: dict[str, list[str]] = {}
    for n in counts:
        by_core.setdefault(program_core(n), []).append(n)
    # a shorter name that ends another one is the same program (创新工作室联盟 ->
    # 全国纺织行业创新工作室联盟; 疗休养活动 -> 一线职工疗休养: a core of three characters will do)
    ending: dict[str, list[str]] = {}  # a suffix (3+ characters) -> the names ending in it
    for c, members in by_core.items():
        if c in members:
            for i in range(1, len(c) - 2):
                ending.setdefault(c[i:], []).append(c)
    for core in sorted(by_core, key=len):
        if core not in by_core or len(core) < 3:
            continue
        supers = [c for c in ending.get(core, ()) if c in by_core]
        if supers and not any(n in quoted for n in by_core[core]):
            # several: the one the document names first (its topic)
            first = min(supers, key=lambda c: min(order[n] for n in by_core[c]))
            by_core[first].extend(by_core.pop(core))
    cores = sorted(by_core, key=len)
    core_set = set(cores)
    # merge a core into a shorter one it extends by cue words only
    parent: dict[str, str] = {}
    for c in cores:
        for j in range(len(c) - 1, 1, -1):
            shorter, rest = c[:j], c[j:]
            if (
                shorter in core_set
                and _only_cues(rest)
                and not _ends_with_strong(rest)  # 平安工匠 and 平安工匠工作室 are two programs
            ):
                parent[c] = parent.get(shorter, shorter)
                break
    groups: dict[str, list[str]] = {}
    for c, members in by_core.items():
        groups.setdefault(parent.get(c, c), []).extend(members)
    droppable = cues.generic | cues.carriers
    out: dict[str, str] = {}
    # “X”劳动法律监督机制 when the text also names “X” alone: the same program
    for root in sorted(groups, key=len, reverse=True):
        base = next(
            (
                root[:j]
                for j in range(len(root) - 1, 1, -1)
                if root[:j] in quoted and root[:j] in groups
            ),
            None,
        )
        if (
            base is not None
            and any(
                _ends_with_any(n, cues.generic)
                # “X”专项法律援助项目 and “X”项目: the quoted words name the program (but
                # “X” and “X”工作室 are two: a facility of the program)
                or (_ends_with_any(n, cues.heads) and not _ends_with_strong(n[len(base) :]))
                for n in groups[root]
            )
        ):
            groups[base].extend(groups.pop(root))
    # an abbreviation of a longer program of the document: 产改 -> 产业工人队伍建设改革
    roots = list(groups)
    for root in roots:
        if len(root) > 3 or root not in groups:
            continue
        longer = [r for r in groups if len(r) >= 5 and r[0] == root[0] and _subsequence(root, r)]
        if len(longer) == 1:
            groups[longer[0]].extend(groups.pop(root))
    for root, members in groups.items():
        longest = max(members, key=lambda n: (len(n), counts[n], n))
        rest = longest[len(root) :] if longest.startswith(root) else longest
        if root in members and (program_core(longest) == root or _only_generic(rest, droppable)):
            canonical = root  # the others only add a generic head: “一函两书”制度 -> 一函两书
        else:
            canonical = longest
        for n in members:
            out[n] = canonical
    return out


def _ends_with_any(s: str, words: frozenset[str]) -> bool:
    """True when ``s`` ends with one of ``words`` (the recogniser's test by word length;
    an empty word ends every string)."""
    return "" in words or _ends_with_any_word(s, words)


@cache
def _strong_facilities() -> frozenset[str]:
    cues = program_cues()
    return cues.strong - cues.carriers


def _ends_with_strong(rest: str) -> bool:
    """True when ``rest`` ends in a facility head (工作室, 驿站) that is not a carrier."""
    return _ends_with_any(rest, _strong_facilities())


def _subsequence(short: str, long: str) -> bool:
    """True when the characters of ``short`` occur in ``long`` in order.

    >>> _subsequence("产改", "产业工人队伍建设改革"), _subsequence("改产", "产业改革")
    (True, False)
    """
    it = iter(long)
    return all(ch in it for ch in short)


def _only_generic(rest: str, droppable: frozenset[str]) -> bool:
    words = sorted(droppable | {"专项"}, key=len, reverse=True)
    while rest:
        for w in words:
            if rest.startswith(w):
                rest = rest[len(w) :]
                break
        else:
            return False
    return True


_MIN_REFERENCE = 4  # a shorter tail (驿站, 热线) names the kind, not the program


def _reference_forms(names: dict[str, set[str]]) -> dict[str, str]:
    """Short forms that refer to one program of an article: its names and their
    tails of 4+ characters (粤黔劳务协作工会智能驿站 -> 智能驿站), unless another
    program of the article has the same tail or is named by it.

    >>> forms = _reference_forms({"Program:某市职工智能驿站": {"某市职工智能驿站"},
    ...                           "Program:智慧工会服务平台": {"智慧工会服务平台"}})
    >>> forms["智能驿站"], forms["工会服务平台"]
    ('Program:某市职工智能驿站', 'Program:智慧工会服务平台')
    >>> "驿站" in forms
    False
    """
    owner: dict[str, str | None] = {}
    own_names = {n for ns in names.values() for n in ns}
    for key, ns in names.items():
        for n in ns:
            for i in range(len(n) - _MIN_REFERENCE + 1):
                tail = n[i:]
                if i and tail in own_names and tail not in ns:
                    continue  # the name of another program of the article
                prev = owner.get(tail, key)
                owner[tail] = key if prev == key else None
    return {t: k for t, k in owner.items() if k is not None and not _only_cues(t)}


def _program_references(
    doc: Document,
    located: list[Located],
    entities: dict[str, Entity],
    mentions: list[Mention],
) -> list[Mention]:
    """Mentions of an article's programs in the sentences that name them only by a
    short form or without a cue the recogniser needs (…全州16个智能驿站已累计服务…).

    A reference never creates an entity: it only points at a program that the
    article names in full; it carries a lower confidence and ``implicit=True``.
    """
    names: dict[int, dict[str, set[str]]] = {}
    articles: dict[int, Article] = {}
    cleaned: dict[str, set[str]] = {}
    for m in mentions:
        if not m.entity.startswith("Program:"):
            continue
        by_entity = names.setdefault(m.article, {})
        if m.entity in by_entity:
            continue
        clean_names = cleaned.get(m.entity)
        if clean_names is None:
            ent = entities[m.entity]
            clean_names = {_clean(n) for n in (ent.name, *ent.aliases)}
            cleaned[m.entity] = clean_names
        by_entity[m.entity] = clean_names
    for loc in located:
        articles.setdefault(loc.article.index, loc.article)
    taken: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for m in mentions:
        taken.setdefault((m.article, m.sentence), []).append((m.start, m.end))
    out: list[Mention] = []
    antecedents = _Antecedents(mentions, out)
    for index, by_entity in names.items():
        forms = _reference_forms(by_entity)
        if not forms:
            continue
        by_ending: dict[str, list[str]] = {}  # the last two characters -> forms, longest first
        for form in sorted(forms, key=len, reverse=True):
            by_ending.setdefault(form[-2:], []).append(form)
        for sent in articles[index].sentences:
            text = sent.view.text
            occupied = list(taken.get((index, sent.index), []))
            out.extend(_demonstratives(doc, sent, index, by_entity, antecedents, occupied))
            present = [e for e in by_ending if e in text]
            if not present:
                continue
            ordered = sorted((f for e in present for f in by_ending[e]), key=len, reverse=True)
            for form in ordered:
                i = text.find(form)
                while i >= 0:
                    start, end = sent.view.to_original(i, i + len(form))
                    if _claim(occupied, start, end):
                        out.append(_reference(doc, forms[form], start, end, index, sent.index))
                    i = text.find(form, i + len(form))
    return out


@cache
def _demonstrative_firsts() -> frozenset[str] | None:
    """The first characters of the demonstratives (该, 这一): a match starts with one
    (None if an empty demonstrative lets a match start anywhere)."""
    dems = program_cues().demonstratives
    return None if "" in dems else frozenset(d[0] for d in dems)


@cache
def _demonstrative_re() -> re.Pattern[str]:
    cues = program_cues()
    heads = sorted(cues.heads | cues.strong, key=len, reverse=True)
    dems = sorted(cues.demonstratives, key=len, reverse=True)
    if not heads or not dems:
        return re.compile(r"(?!)")
    return re.compile(f"(?:{'|'.join(map(re.escape, dems))})({'|'.join(map(re.escape, heads))})")


class _Antecedents:
    """What a demonstrative (该驿站) may point at: the article's program mentions whose
    names end in its head word, indexed once per article and head and searched by
    bisection (a scan of every mention per demonstrative grows with the square of a
    long article), plus the references made so far (``refs``, scanned: few)."""

    def __init__(self, mentions: list[Mention], refs: list[Mention]) -> None:
        self.by_article: dict[int, list[Mention]] = {}
        for m in mentions:
            self.by_article.setdefault(m.article, []).append(m)
        self.refs = refs
        self._index: dict[tuple[int, str, str], tuple[list[int], list[Mention]]] = {}

    def latest(
        self,
        index: int,
        by_entity: dict[str, set[str]],
        head: str,
        start: int,
        edition: str = "",
    ) -> Mention | None:
        """The mention of article ``index`` before ``start`` with the greatest start
        whose program's name ends in ``head`` (mentions before references on a tie);
        with ``edition`` (本届: 届), the latest whose name also has that word, if any."""
        if edition:
            got = self._latest(index, by_entity, head, start, edition)
            if got is not None:
                return got
        return self._latest(index, by_entity, head, start, "")

    def _latest(
        self, index: int, by_entity: dict[str, set[str]], head: str, start: int, edition: str
    ) -> Mention | None:
        def fits(k: Mention) -> bool:
            return k.entity in by_entity and any(
                n.endswith(head) and edition in n for n in by_entity[k.entity]
            )

        got = self._index.get((index, head, edition))
        if got is None:
            found = sorted(filter(fits, self.by_article.get(index, [])), key=lambda k: k.start)
            got = self._index[(index, head, edition)] = ([k.start for k in found], found)
        starts, found = got
        i = bisect_left(starts, start)
        best = found[bisect_left(starts, starts[i - 1])] if i else None
        for k in self.refs:
            if (
                k.article == index
                and k.start < start
                and (best is None or k.start > best.start)
                and fits(k)
            ):
                best = k
        return best


def _demonstratives(
    doc: Document,
    sent: Sentence,
    index: int,
    by_entity: dict[str, set[str]],
    known: _Antecedents,
    occupied: list[tuple[int, int]],
) -> list[Mention]:
    """该驿站, 这一平台: the latest program of the article before it whose name ends in
    the same head word."""
    out: list[Mention] = []
    text = sent.view.text
    firsts = _demonstrative_firsts()
    if firsts is not None and not any(ch in text for ch in firsts):
        return out  # no demonstrative word in the sentence
    for m in _demonstrative_re().finditer(text):
        head = m.group(1)
        start, end = sent.view.to_original(*m.span())
        if _overlaps(occupied, start, end):
            continue
        said = m.group(0)[: -len(head)]
        edition = next((w for w in sorted(program_cues().editions) if w in said), "")
        target = known.latest(index, by_entity, head, start, edition)
        if target is None:
            continue
        occupied.append((start, end))
        out.append(_reference(doc, target.entity, start, end, index, sent.index))
    return out


def _overlaps(occupied: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in occupied)


def _claim(occupied: list[tuple[int, int]], start: int, end: int) -> bool:
    """Take ``[start, end)`` unless it overlaps a span already taken."""
    if _overlaps(occupied, start, end):
        return False
    occupied.append((start, end))
    return True


def _reference(doc: Document, entity: str, start: int, end: int, art: int, sent: int) -> Mention:
    """A context-resolved mention of a program named in full elsewhere in the article."""
    return Mention(
        entity,
        start,
        end,
        doc.text[start:end],
        art,
        sent,
        implicit=True,
        confidence=0.6,
        recogniser="program.reference",
    )


def _industrial_full_form(name: str, names: Sequence[str]) -> str:
    """The one longer industrial union of the document that ``name`` abbreviates by
    leaving words out (海员工会 -> 中国海员建设工会), else ``name``.

    >>> _industrial_full_form("能源工会", ["能源工会", "中国能源化学地质工会"])
    '中国能源化学地质工会'
    >>> _industrial_full_form("化学工会", ["化学工会", "中国化学工会", "某某化学工会"])
    '化学工会'
    """
    core = name.removesuffix("总工会").removesuffix("工会")
    if len(core) < 2 or core == name:
        return name
    longer = [
        n
        for n in names
        if len(n) > len(name) and n.endswith("工会") and core in n and _subsequence(name, n)
    ]
    return longer[0] if len(longer) == 1 else name


def resolve_document(
    doc: Document, located: list[Located]
) -> tuple[dict[str, Entity], list[Mention]]:
    """Resolve a document's candidates into entities (by key) and mentions."""
    # 1. organisations bound to regions: group, then name each group
    region_groups: dict[tuple[str, str, str, str], list[Located]] = {}
    fixed: list[tuple[Located, str]] = []
    program_raw: list[Located] = []
    for loc in located:
        c = loc.cand
        if c.region is not None and c.designation is not None:
            gkey = (c.type, c.region.code, c.zone, c.designation)
            region_groups.setdefault(gkey, []).append(loc)
        elif c.type == "Program":
            program_raw.append(loc)
        elif c.name:
            fixed.append((loc, _clean(c.name)))
    entities: dict[str, Entity] = {}
    assigned: list[tuple[Located, str]] = []

    def entity_for(type_: str, name: str, c: Candidate, region: Region | None) -> Entity:
        key = f"{type_}:{name}"
        ent = entities.get(key)
        if ent is None:
            ent = Entity(
                type_,
                name,
                kind=c.kind,
                level=c.level,
                region_code=region.code if region is not None else None,
                region_name=region.name if region is not None else None,
                implicit=True,
            )
            entities[key] = ent
        return ent

    # a bare generic agency (法院) of a region whose agency of that kind the document names
    # explicitly (成都市中级人民法院) is that agency
    explicit_kind: dict[tuple[str, str, str | None], tuple[str, str, str, str]] = {}
    for gkey, locs in region_groups.items():
        if any(not loc.cand.implicit for loc in locs):
            c = locs[0].cand
            explicit_kind.setdefault((c.type, gkey[1], c.kind), gkey)
    for gkey in list(region_groups):
        locs = region_groups[gkey]
        if any(loc.cand.recogniser != "org.bare" for loc in locs):
            continue
        c = locs[0].cand
        target = explicit_kind.get((c.type, gkey[1], c.kind))
        if target is not None and target != gkey:
            region_groups[target].extend(region_groups.pop(gkey))
    # the text names a county's prefecture once (成都市武侯区总工会): every body of that
    # county carries it (区人社局 -> 成都市武侯区人力资源和社会保障局)
    named_parent = {
        loc.cand.region.code
        for loc in located
        if loc.cand.region is not None and loc.cand.region_parent_named
    }
    for (type_, code, zone, designation), locs in region_groups.items():
        region = locs[0].cand.region
        assert region is not None
        parent_named = code in named_parent
        name = _compose(_region_form(region, parent_named) + zone, designation)
        ent = entity_for(type_, name, locs[0].cand, region)
        ent.aliases |= _region_aliases(region, designation, zone)
        for loc in locs:
            c = loc.cand
            if c.recogniser in ("org.region", "org.subunit") and not c.implicit:
                ent.aliases.add(_clean(c.surface))
            assigned.append((loc, ent.key))
    # 工行广东省分行工会 and 中国工商银行广东省分行工会 are one body: the full form names it
    lex = org_lexicon()
    full_forms = {(loc.cand.type, name) for loc, name in fixed}
    fixed = [
        (loc, full if (loc.cand.type, full := lex.expand(name)) in full_forms else name)
        for loc, name in fixed
    ]
    longest_ending: dict[tuple[str, str], str] = {}  # (type, suffix) -> longest name
    for t, n in {(loc.cand.type, name) for loc, name in fixed}:
        for i in range(1, len(n) - 3):
            suffix_key = (t, n[i:])
            best = longest_ending.get(suffix_key)
            if best is None or (len(n), n) > (len(best), best):
                longest_ending[suffix_key] = n
    industrial = sorted({name for loc, name in fixed if loc.cand.kind == "industrial"})
    for loc, name in fixed:
        # a shorter form of a longer name of the document: 商圈联合工会 -> 某广场商圈联合工会
        longer = longest_ending.get((loc.cand.type, name))
        if (
            longer is not None
            and len(name) >= 4
            # a narrower group named verbatim is another group (相对困难职工, 困难职工)
            # unless its modifier only describes members of the same group (一线环卫工人)
            and (
                loc.cand.type != "WorkerGroup"
                or longer[: -len(name)] in lex.words("group_descriptor")
            )
        ):
            name = longer
        elif loc.cand.kind == "industrial":
            name = _industrial_full_form(name, industrial)
        ent = entity_for(loc.cand.type, name, loc.cand, loc.cand.place)
        if loc.cand.recogniser != "org.reference":  # 该工会 is no name (GUIDELINES aliases)
            ent.aliases.add(_clean(loc.cand.surface))
        assigned.append((loc, ent.key))
    strong = {_clean(loc.cand.name or loc.cand.surface) for loc in program_raw if not loc.cand.weak}
    strong_cores = {program_core(n) for n in strong}
    program_raw = [
        loc
        for loc in program_raw
        if not loc.cand.weak
        or program_core(_clean(loc.cand.name or loc.cand.surface)) in strong_cores
    ]
    quoted = frozenset(
        _program_name(loc.cand) for loc in program_raw if loc.cand.recogniser == "program.quoted"
    )
    canon = _program_names([_program_name(loc.cand) for loc in program_raw], quoted)
    for loc in program_raw:
        raw = _program_name(loc.cand)
        ent = entity_for("Program", canon[raw], loc.cand, None)
        ent.aliases.add(raw)
        assigned.append((loc, ent.key))
    # 2. mentions with original offsets
    mentions: list[Mention] = []
    for loc, key in assigned:
        c = loc.cand
        view = loc.sentence.view
        if c.end <= c.start or c.end > len(view.text):
            continue
        start, end = view.to_original(c.start, c.end)
        ent = entities[key]
        if not c.implicit:
            ent.implicit = False
        mentions.append(
            Mention(
                key,
                start,
                end,
                doc.text[start:end],
                loc.article.index,
                loc.sentence.index,
                implicit=c.implicit,
                confidence=c.confidence,
                recogniser=c.recogniser,
            )
        )
    mentions.extend(_program_references(doc, located, entities, mentions))
    for ent in entities.values():
        ent.aliases.discard(ent.name)
    mentions.sort(key=lambda m: (m.start, m.end, m.entity))
    used = {m.entity for m in mentions}
    return {k: entities[k] for k in sorted(entities) if k in used}, mentions
