"""Organisation candidates.

* **organisations** – ``[region chain] [zone] designation`` (江苏省总工会,
  深圳南山区总工会, 烟台高新区总工会), ``level word + designation`` resolved in
  context (市检察院, 省高院, 区人社局, 省总), bare generic agencies resolved to the
  acting body's region (法院, 人社 -> implicit), free-text names bounded by
  verbs, function words and punctuation before 工会/联合会/协会/学院
  (工行广东省分行工会, 中国纺织工业联合会), sub-bodies of a union
  (…总工会职工法律援助中心) and national bodies by name (全总).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any

from kg.extract.mentions.context import ArticleContext, Candidate, _Spans
from kg.extract.mentions.regions import (
    _acting_region,
    _chain_after,
    _chain_before,
    _level_region,
    _resolve_chain,
)
from kg.extract.mentions.scan import (
    _boundary_before,
    _ends_with_any,
    _Hits,
    _is_word_char,
    _lengths,
    _scan_back,
    _starts_with_any,
    _starts_word,
)
from kg.lexicon.orgs import Designation, NationalBody, org_lexicon
from kg.lexicon.programs import program_cues
from kg.lexicon.regions import Gazetteer, Region

LEVEL_CHARS = "省市区县州"


_MAX_NAME = 20  # longest free-text name part read backwards


# county): it gives the entity a region code without changing its name


def _in_region(
    d: Designation, text: str, start: int, end: int, region: Region, recogniser: str, conf: float
) -> Candidate:
    """An implicit body of designation ``d`` placed in ``region`` by context."""
    return Candidate(
        d.type,
        start,
        end,
        text[start:end],
        recogniser,
        conf,
        implicit=True,
        kind=d.kind,
        region=region,
        designation=d.canonical_for(region.level),
        level=region.level,
    )


def _select_orgs(hits: _Hits) -> list[tuple[int, int, str, Any]]:
    """Longest non-overlapping designation / national-body hits, left to right."""
    chosen: list[tuple[int, int, str, Any]] = []
    taken = _Spans(len(hits.text))
    for h in sorted(hits.orgs, key=lambda h: (-(h[1] - h[0]), h[0])):
        if taken.overlaps(h[0], h[1]):
            continue
        chosen.append(h)
        taken.add(h[0], h[1])
    chosen.sort()
    return chosen


def _org_candidates(hits: _Hits, ctx: ArticleContext) -> list[Candidate]:
    lex = org_lexicon()
    out: list[Candidate] = []
    floor = 0
    for ds, de, cls, payload in _select_orgs(hits):
        cand: Candidate | None
        if cls == "N":
            cand = _national(hits, ds, de, payload, floor)
        else:
            cand = _designated(hits, ds, de, payload, floor, ctx, out, lex.words("total_blocker"))
        if cand is None and cls == "D" and payload.mode == "ref":
            out.extend(_references(hits, ds, de, payload, ctx, out))
            continue
        if cand is None and cls == "D" and payload.mode in ("union", "region"):
            out.extend(_listed_regions(hits, ds, payload, floor, ctx))
            continue
        if cand is None:
            continue
        if _page_section(hits.text, cand.end):
            continue  # 中国工会新闻>>…, 全总简介: a section of the page, not the body
        if cand.kind in _TITLE_KINDS and _starts_with_any(
            hits.text[cand.end :], lex.words("office_title")
        ):
            continue  # 市人大常委会副主任…: part of a person's title
        written = ctx.unplaced.get(cand.region.code) if cand.region is not None else None
        if written is not None and (cand.implicit or cand.surface.startswith(written)):
            # placed only by the guess (区法院, 宝山区工会): the region as first written
            cand = _as_written(cand, written)
        if cand.recogniser == "org.region":
            out.extend(_coordinated(hits, cand, floor, ctx))
        if cand.designation is not None and ";" in cand.designation:
            # a compound abbreviation names several bodies: 公检法司
            out.extend(replace(cand, designation=x) for x in cand.designation.split(";")[:-1])
            cand.designation = cand.designation.split(";")[-1]
        out.append(cand)
        floor = cand.end
        if cand.region is not None and not cand.implicit:
            ctx.note_region(cand.region)
    return out


def _page_section(text: str, end: int) -> bool:
    """A section word of a web page (新闻, 简介) right after a name, then nothing more of
    the clause: the name labels a breadcrumb or a menu entry.

    >>> _page_section("中国工会新闻>>各地工会", 4), _page_section("全总简介", 2)
    (True, True)
    >>> _page_section("工会新闻发布会", 2)
    False
    """
    words = org_lexicon().words("section")
    for k in _lengths(words):
        if text[end : end + k] in words:
            after = end + k
            return after >= len(text) or not _is_word_char(text[after])
    return False


# kinds of body that a person's title names without the body acting (人大常委会副主任)
_TITLE_KINDS = frozenset({"congress", "cppcc"})


def _as_written(cand: Candidate, region_text: str) -> Candidate:
    """A body placed in a guessed region, named with the region as the text wrote it."""
    d = cand.designation or ""
    name = d.replace("{region}", region_text) if "{region}" in d else region_text + d
    return replace(cand, region=None, name=name, place=cand.region)


#: How many of the article's latest bodies a reference (该工会, 双方) may point back to.
REFERENCE_WINDOW = 200


def _references(
    hits: _Hits, ds: int, de: int, d: Designation, ctx: ArticleContext, sentence: list[Candidate]
) -> list[Candidate]:
    """该工会, 该院, 双方: the body (bodies) of the article the words point back to.

    A reference names the nearest earlier body whose name ends like the reference
    (该院 -> …检察院/…学院); 双方 names the two most recent different bodies.
    """
    # the latest bodies only: a reference points back a short way (and the look-up stays
    # bounded on an article of any length)
    earlier = [
        c for c in ctx.bodies[-REFERENCE_WINDOW:] + sentence if c.recogniser not in ("org.bare",)
    ]
    seen: set[tuple[object, ...]] = set()
    found: list[Candidate] = []
    for c in reversed(earlier):
        ident = (c.type, c.region.code if c.region else None, c.designation, c.name)
        if ident in seen:
            continue
        seen.add(ident)
        ending = c.designation or c.name or c.surface
        if d.canonical != "*" and not (
            ending.endswith(d.canonical) or c.surface.endswith(d.canonical)
        ):
            continue
        found.append(c)
        if d.canonical != "*" or len(found) == 2:
            break
    if d.canonical == "*" and len(found) < 2:
        return []
    return [
        replace(
            c,
            start=ds,
            end=de,
            surface=hits.text[ds:de],
            recogniser="org.reference",
            confidence=0.7,
            implicit=True,
        )
        for c in found
    ]


def _coordinated(hits: _Hits, cand: Candidate, floor: int, ctx: ArticleContext) -> list[Candidate]:
    """Regions listed before a region body share its designation: 吴中区、相城区总工会."""
    out: list[Candidate] = []
    p = cand.start
    while p - 1 > floor and hits.text[p - 1] in "、和及与":
        parts = _chain_before(hits, p - 1, floor)
        if not parts:
            break
        region, parent_named, kept = _resolve_chain(parts, ctx)
        if region is None or cand.region is None or region.level != cand.region.level:
            break
        out.append(
            Candidate(
                cand.type,
                kept,
                p - 1,
                hits.text[kept : p - 1],
                "org.coordinated",
                0.8,
                kind=cand.kind,
                region=region,
                region_parent_named=parent_named,
                designation=cand.designation,
                level=region.level,
            )
        )
        p = kept
    out.reverse()
    return out


# the end of a list of regions before a designation: 等5省市, 等三个市, 等地
_LIST_TAIL = re.compile(
    r"等[0-9一二三四五六七八九十两]*个?(?:省区市|省市区|省市|省区|市县|县市区|省份|省|市|县|区|地)?$"
)


def _listed_regions(
    hits: _Hits, ds: int, d: Designation, floor: int, ctx: ArticleContext
) -> list[Candidate]:
    """Regions listed before 等… and a designation: one body each.

    与北京、深圳、广东等3省市工会 names the federations of unions of the three places.
    """
    text = hits.text
    m = _LIST_TAIL.search(text, max(floor, ds - 10), ds)
    if m is None:
        return []
    found: list[Candidate] = []
    p = m.start()
    while p > floor:
        parts = _chain_before(hits, p, floor)
        if not parts:
            break
        region, parent_named, kept = _resolve_chain(parts, ctx)
        if region is None:
            break
        designation = "总工会" if d.mode == "union" else d.canonical_for(region.level)
        kind = "federation" if d.mode == "union" else d.kind
        found.append(
            Candidate(
                d.type,
                kept,
                p,
                text[kept:p],
                "org.region_list",
                0.75,
                implicit=True,
                kind=kind,
                region=region,
                region_parent_named=parent_named,
                designation=designation,
                level=region.level,
            )
        )
        if kept - 1 <= floor or text[kept - 1] not in _SEPARATORS:
            break
        p = kept - 1
    if len(found) < 2:
        return []
    found.reverse()
    return found


def _national(hits: _Hits, ds: int, de: int, body: NationalBody, floor: int) -> Candidate | None:
    surface = hits.text[ds:de]
    if len(surface) <= 2 and not _boundary_before(hits, ds, floor):
        return None
    return Candidate(
        body.type,
        ds,
        de,
        surface,
        "national",
        1.0,
        kind=body.kind,
        name=body.name,
        level="national",
    )


def _prefixed(
    hits: _Hits, ds: int, de: int, d: Designation, ctx: ArticleContext
) -> Candidate | None:
    """A designation written around its region: 共青团 + region + 委 / 委员会.

    The committee word must end the name (共青团某省委宣传部 is the committee's department,
    another body).
    """
    text = hits.text
    parts = _chain_after(hits, de, len(text))
    if not parts:
        return None
    region, parent_named, _kept = _resolve_chain(parts, ctx)
    if region is None:
        return None
    p = parts[-1][0] + len(parts[-1][1])
    if text.startswith("委员会", p):
        end = p + 3
    elif text.startswith("委", p):
        end = p + 1
    else:
        return None
    if any(s <= end - 1 < e and e > end for s, e, _c, _d in hits.orgs):
        return None  # 委 starts a longer designation (委宣传部)
    return Candidate(
        d.type,
        ds,
        end,
        text[ds:end],
        "org.region",
        0.9,
        kind=d.kind,
        region=region,
        region_parent_named=parent_named,
        designation=d.canonical_for(region.level),
        level=region.level,
    )


def _designated(
    hits: _Hits,
    ds: int,
    de: int,
    d: Designation,
    floor: int,
    ctx: ArticleContext,
    sentence_orgs: list[Candidate],
    total_blockers: frozenset[str],
) -> Candidate | None:
    text = hits.text
    lex = org_lexicon()
    if d.mode == "subunit":
        parent = next((c for c in reversed(sentence_orgs) if c.end == ds), None)
        start, implicit = (parent.start, parent.implicit) if parent is not None else (ds, False)
        if parent is None and text[max(ds - 2, 0) : ds] == "工会" and ds - 2 >= floor:
            # a bare 工会 + sub-body: the union the sentence is about (区总…、工会调解委员会)
            parent = next(
                (c for c in reversed(sentence_orgs) if c.type == "UnionBody" and c.region),
                None,
            )
            start, implicit = ds - 2, True
            if parent is not None and text[start:ds] != "工会":
                parent = None
        if parent is None or parent.type != "UnionBody":
            return None
        ptext = text[start:ds]
        union_word = "总工会" if ptext.endswith("总工会") else "工会"
        return Candidate(
            "UnionBody",
            start,
            de,
            text[start:de],
            "org.subunit",
            0.85,
            implicit=implicit or parent.implicit,
            kind=d.kind,
            region=parent.region,
            region_parent_named=parent.region_parent_named,
            designation=union_word + d.canonical,
            zone=parent.zone,
            name=None if parent.region is not None else (parent.name or "") + d.canonical,
            parent=parent,
            parent_text=union_word,
        )
    if d.mode == "ref":
        return None  # references are resolved by _references once the sentence is read
    if d.mode == "prefix":
        return _prefixed(hits, ds, de, d, ctx)
    if d.mode == "level":
        # the level word is inside the designation: 团市委 is the city's youth league committee
        level_char = next(ch for ch in d.surface if ch in LEVEL_CHARS)
        parts = _chain_before(hits, ds, floor)
        region, parent_named, kept = _resolve_chain(parts, ctx) if parts else (None, False, ds)
        implicit = region is None
        if region is None:
            region = _level_region(level_char, ctx, sentence_orgs, hits, ds)
        if region is None:
            return None
        return Candidate(
            d.type,
            kept,
            de,
            text[kept:de],
            "org.level",
            0.8,
            implicit=implicit,
            kind=d.kind,
            region=region,
            region_parent_named=parent_named,
            designation=d.canonical,
            level=region.level,
        )
    if d.mode == "short":
        if de < len(text) and text[de] in total_blockers and not _starts_word(text, de):
            return None  # 总结, 总体: a word, not the 总 of 省总 (but 省总有关负责人 is)
        if de < len(text) and text[de] == "工":  # 总工会 is a longer designation
            return None
    # region chain (with an optional development-zone word) right before the designation
    zone = ""
    chain_end = ds
    if ds in hits.zones_end and d.mode in ("region", "short", "union"):
        zstart = hits.zones_end[ds]
        if zstart - 1 >= floor and zstart in hits.regions_end:
            zone = text[zstart:ds]
            chain_end = zstart
    parts = _chain_before(hits, chain_end, floor)
    if d.mode in ("region", "short"):
        region, parent_named, kept = _resolve_chain(parts, ctx) if parts else (None, False, ds)
        if region is not None:  # (an unresolved "region" is a word: 会同 in 会同公检法)
            return Candidate(
                d.type,
                kept,
                de,
                text[kept:de],
                "org.region",
                0.95 if d.mode == "region" else 0.85,
                kind=d.kind,
                region=region,
                region_parent_named=parent_named,
                designation=d.canonical_for(region.level) if not zone else d.canonical_for(None),
                zone=zone,
                level=region.level,
            )
        if (
            parts
            and d.mode == "region"
            and len(parts[-1][1]) >= 3
            and parts[-1][1][-1] in "省市区县州旗盟"
        ):
            # a full region name the context cannot place (朝阳区 of which city?): keep the
            # name as written, without a region code
            start = parts[-1][0]
            canonical = d.canonical_for(None)
            guess = Gazetteer.load().prominent(parts[-1][1])
            if guess is not None:  # context for the level words that follow (区法院)
                ctx.note_region(guess)
                ctx.unplaced[guess.code] = parts[-1][1]
            return Candidate(
                d.type,
                start,
                de,
                text[start:de],
                "org.region_unplaced",
                0.75,
                kind=d.kind,
                name=text[start:ds] + canonical,
            )
        if d.mode == "region":
            town = _township_name(hits, ds, floor)
            if town is not None:  # 余杭区仓前街道总工会, 城关镇总工会, 某某镇政府
                return Candidate(
                    d.type,
                    town,
                    de,
                    text[town:de],
                    "org.township",
                    0.85,
                    kind=d.kind,
                    name=text[town:ds] + d.canonical_for("township"),
                    level="township",
                    place=_township_place(hits, town, ds, ctx),
                )
        # a level word: 市检察院, 省高院, 区人社局, 省总; 自治区总工会 (a province-level region)
        lv = ds - 3
        if (
            lv >= floor
            and text[lv:ds] == "自治区"
            and _boundary_before(hits, lv, floor)
            and (region := _level_region("自治区", ctx, sentence_orgs, hits, lv)) is not None
        ):
            return _in_region(d, text, lv, de, region, "org.level", 0.8)
        lv = ds - 1
        if lv >= floor and text[lv] in LEVEL_CHARS and _boundary_before(hits, lv, floor):
            region = _level_region(text[lv], ctx, sentence_orgs, hits, lv)
            if region is None:
                return None
            if text[lv] == "该":
                return None
            return _in_region(d, text, lv, de, region, "org.level", 0.8)
        if lv - 1 >= floor and text[lv - 1 : lv + 1] in (
            "该市",
            "该县",
            "该区",
            "该省",
            "本市",
            "本县",
            "本区",
            "本省",
        ):
            region = _level_region(text[lv], ctx, sentence_orgs, hits, lv)
            if region is None:
                return None
            return _in_region(d, text, lv - 1, de, region, "org.level", 0.75)
        if d.mode == "region" and (national := _national_organ(hits, ds, de, d, floor)) is not None:
            return national
        if d.mode == "region" and (enum := _enumerated(hits, ds, de, d, sentence_orgs)):
            return enum
        if d.type == "PartnerAgency" and (
            town_enum := _township_enumerated(hits, ds, de, d, sentence_orgs)
        ):
            return town_enum
        if (
            d.bare
            and d.mode == "region"
            and _boundary_before(hits, ds, floor)
            and _bare_ok(text, de)
        ):
            region = _acting_region(ctx, sentence_orgs, ds)
            if region is None:
                return None
            return _in_region(d, text, ds, de, region, "org.bare", 0.6)
        return None
    # free-text names: 工会 and the named designations
    if d.mode == "union" and sentence_orgs and sentence_orgs[-1].end == ds:
        body = sentence_orgs[-1]
        if body.type == "PartnerAgency" and not body.implicit:
            # the union of an agency or institution: 深圳海事局工会
            sentence_orgs.pop()
            return Candidate(
                "UnionBody",
                body.start,
                de,
                text[body.start : de],
                "org.body_union",
                0.85,
                kind="enterprise",
                name=text[body.start : de],
            )
    if d.mode == "union" and (founded := _founded_union(hits, ds, de, floor)) is not None:
        return founded
    p0 = _scan_back(hits, ds, floor, hits.org_stop_ends, _MAX_NAME)
    prefix = text[p0:ds]
    if not prefix and d.mode == "institution" and d.type == "PartnerAgency":
        return _township_enumerated(hits, ds, de, d, sentence_orgs)  # 某某街道党工委、办事处
    if not prefix:
        return None
    if d.mode == "union" and de < len(text) and _head_follows(text, de):
        return None  # X工会驿站 is a program of the union, read by the program recogniser
    if prefix[0] in LEVEL_CHARS and _boundary_before(hits, p0, floor):
        # a level word in front: 区工会 (the district's union), 省建设投资集团工会
        region = _level_region(prefix[0], ctx, sentence_orgs, hits, p0)
        if region is None:
            return None
        if len(prefix) == 1 and d.mode == "institution" and region.level != "province":
            # 市体育运动中心, 县医院: the institution of the region the context is about
            return _in_region(d, text, p0, de, region, "org.level", 0.7)
        if len(prefix) == 1 and d.mode == "union":
            return Candidate(
                "UnionBody",
                p0,
                de,
                text[p0:de],
                "org.level",
                0.75,
                implicit=True,
                kind="federation",
                region=region,
                designation="总工会",
                level=region.level,
            )
        rest = prefix[1:]
        if (
            len(rest) >= 2
            and rest not in lex.words("generic")
            and (
                _ends_with_any(rest, lex.words("org_suffix"))
                or _ends_with_any(rest, lex.words("industry"))
            )
        ):
            return Candidate(
                d.type,
                p0,
                de,
                text[p0:de],
                "org.level_named",
                0.7,
                implicit=True,
                kind=d.kind if d.mode != "union" else "enterprise",
                name=region.name + text[p0 + 1 : de],
            )
        return None
    lead = _chain_after(hits, p0, ds)
    lead_end = lead[-1][0] + len(lead[-1][1]) if lead else p0
    rest = text[lead_end:ds]
    generic = lex.words("generic")
    if d.mode == "union":
        if not rest.strip() or (zone and lead_end == chain_end):
            if not lead:
                return None
            region, parent_named, kept = _resolve_chain(lead, ctx)
            if region is None:
                return None
            return Candidate(
                "UnionBody",
                kept,
                de,
                text[kept:de],
                "org.region_union",
                0.8,
                kind="federation",
                region=region,
                region_parent_named=parent_named,
                designation="总工会",
                zone=zone,
                level=region.level,
            )
        if _ends_with_any(rest, generic) or rest in generic:
            return None
        suffix_ok = _ends_with_any(rest, lex.words("org_suffix"))
        industry_ok = _ends_with_any(rest, lex.words("industry"))
        if not (suffix_ok or industry_ok or prefix.startswith("中国")) or len(rest) < 2:
            return None
        return Candidate(
            "UnionBody",
            p0,
            de,
            text[p0:de],
            "org.enterprise_union" if suffix_ok else "org.industrial_union",
            0.85,
            kind="enterprise" if suffix_ok else "industrial",
            name=text[p0:de],
        )
    # named: 联合会, 协会, 大学, 学院, 联合工会 ...
    if d.mode == "institution" and (sub := _sub_body(hits, p0, ds, de, d, sentence_orgs)):
        return sub

    def named() -> Candidate:  # (built only when it is the answer)
        full = _named(text, p0, ds, d)
        return Candidate(d.type, p0, de, text[p0:de], "org.named", 0.85, kind=d.kind, name=full)

    if not rest and lead and (len(d.surface) >= 3 or d.mode == "institution"):
        # a region and a specific designation make the name: 深圳海事局, 长春职业技术大学
        return named()
    if not rest or rest in generic or _starts_with_any(rest, generic):
        return None
    if d.kind == "college" and any(w in prefix for w in lex.words("program_word")):
        return None
    national_lead = prefix.startswith(("中国", "中华", "全国"))
    if d.type == "PartnerAgency" and not (lead or national_lead):
        return None
    if len(rest) < 2:
        return None
    return named()


def _named(text: str, p0: int, ds: int, d: Designation) -> str:
    """A free-text name with its designation in full: 澳门工联总会 -> 澳门工会联合总会."""
    return text[p0:ds] + (d.canonical if "|" not in d.canonical else d.surface)


_SEPARATORS = "、和及与"


def _enumerated(
    hits: _Hits, ds: int, de: int, d: Designation, sentence_orgs: list[Candidate]
) -> Candidate | None:
    """A designation listed right after a body with a region shares its region.

    辽宁省人社厅、发改委、公安厅 names three bodies of 辽宁省; 区人大、政法委、法院 three of
    the district.  Only a separator stands between the two names.
    """
    if ds < 1 or hits.text[ds - 1] not in _SEPARATORS or not sentence_orgs:
        return None
    prev = sentence_orgs[-1]
    region = prev.region or prev.place
    if prev.end != ds - 1 or region is None or prev.level == "national":
        return None
    # a region inherited is no surer than the body it comes from
    conf = min(0.8, prev.confidence)
    return _in_region(d, hits.text, ds, de, region, "org.enumerated", conf)


_FOUNDING = ("成立", "组建", "建立")


def _founded_union(hits: _Hits, ds: int, de: int, floor: int) -> Candidate | None:
    """An enterprise that founds its union (某某科技有限公司成立工会): that enterprise's
    union, implicit (the text names the enterprise and the act, not the union).

    >>> from kg.extract.mentions.scan import _scan
    >>> _founded_union(_scan("推动某某物流有限公司成立工会。"), 12, 14, 0).name
    '某某物流有限公司工会'
    """
    text = hits.text
    if ds < 6 or text[ds - 2 : ds] not in _FOUNDING:
        return None
    if de < len(text) and _is_word_char(text[de]) and text[de] not in "和与及":
        return None  # 成立工会小组, 成立工会联合会: another body
    lex = org_lexicon()
    p0 = _scan_back(hits, ds - 2, floor, hits.org_stop_ends, _MAX_NAME)
    company = text[p0 : ds - 2]
    if len(company) < 4 or not _ends_with_any(company, lex.words("org_suffix")):
        return None
    return Candidate(
        "UnionBody",
        p0,
        de,
        text[p0:de],
        "org.founded_union",
        0.7,
        implicit=True,
        kind="enterprise",
        name=company + "工会",
    )


def _township_enumerated(
    hits: _Hits, ds: int, de: int, d: Designation, sentence_orgs: list[Candidate]
) -> Candidate | None:
    """A designation listed right after a township body shares its township:
    某某街道党工委、办事处 names the street's party committee and its office."""
    if ds < 1 or hits.text[ds - 1] not in _SEPARATORS or not sentence_orgs:
        return None
    prev = sentence_orgs[-1]
    if prev.end != ds - 1 or prev.level != "township" or prev.type != "PartnerAgency":
        return None
    words = org_lexicon().words("township")
    cut = max((prev.surface.rfind(w) + len(w) for w in words if w in prev.surface), default=0)
    if cut < 2:
        return None
    town = prev.surface[:cut]
    return Candidate(
        d.type,
        ds,
        de,
        hits.text[ds:de],
        "org.enumerated",
        min(0.8, prev.confidence),
        implicit=True,
        kind=d.kind,
        name=town + d.canonical_for("township"),
        level="township",
        place=prev.place,
    )


def _national_organ(hits: _Hits, ds: int, de: int, d: Designation, floor: int) -> Candidate | None:
    """国家 + an organ designation is a national organ: 国家林业和草原局, 国家林草局."""
    start = ds - 2
    if start < floor or hits.text[start:ds] != "国家" or not _boundary_before(hits, start, floor):
        return None
    name = "国家" + d.canonical_for(None)
    return Candidate(
        d.type,
        start,
        de,
        hits.text[start:de],
        "org.national_organ",
        0.85,
        kind=d.kind,
        name=name,
        level="national",
    )


def _sub_body(
    hits: _Hits, p0: int, ds: int, de: int, d: Designation, sentence_orgs: list[Candidate]
) -> Candidate | None:
    """An institution of the body named right before it: 国家林业和草原局宣传中心."""
    if not sentence_orgs:
        return None
    parent = sentence_orgs[-1]
    if parent.end != p0 or parent.implicit:
        return None
    text = hits.text
    inner = text[parent.end : de]
    # named in its parent's region (region + designation), else after its parent's name
    placed = parent.region is not None and parent.designation is not None
    if not placed and parent.name is None:
        return None
    return replace(
        parent,  # a union's office is a union body (…工会联合总会广东办事处)
        end=de,
        surface=text[parent.start : de],
        recogniser="org.sub_body",
        confidence=0.8,
        kind=d.kind,
        region=parent.region if placed else None,
        designation=(parent.designation or "") + inner if placed else None,
        name=None if placed else (parent.name or "") + inner,
        parent=None,
        parent_text="",
        weak=False,
    )


def _township_name(hits: _Hits, ds: int, floor: int) -> int | None:
    """Start of a township-level name before ``ds`` (…街道, …镇), or ``None``.

    The gazetteer stops at county level, so a township is read as free text that
    ends in a township word and is not a generic reference (各乡镇).
    """
    text = hits.text
    lex = org_lexicon()
    p0 = _scan_back(hits, ds, floor, hits.org_stop_ends, _MAX_NAME)
    prefix = text[p0:ds]
    lead = _chain_after(hits, p0, ds)
    lead_end = lead[-1][0] + len(lead[-1][1]) if lead else p0
    rest = text[lead_end:ds]
    if len(rest) < 2 or rest in lex.words("township"):
        # 城关镇, 某某街道: the place name itself looks like a region's short form
        rest = prefix
    if len(rest) < 2 or len(prefix) < 3 or not _ends_with_any(rest, lex.words("township")):
        return None
    if _starts_with_any(rest, lex.words("generic")) or prefix[0] in LEVEL_CHARS:
        return None
    return p0


def _township_place(hits: _Hits, start: int, ds: int, ctx: ArticleContext) -> Region | None:
    """The county a township body lies in: the region chain its name starts with
    (某某区某某街道总工会), else the article's county when the context has one."""
    lead = _chain_after(hits, start, ds)
    if lead:
        region, _parent_named, _kept = _resolve_chain(lead, ctx)
        if region is not None:
            return region
    gaz = Gazetteer.load()
    for code in reversed(ctx.context_codes[-8:]):
        r = gaz.get(code)
        if r is not None and r.level == "county":
            return r
    return None


def _head_follows(text: str, pos: int) -> bool:
    """True when a program head word starts at ``pos`` (工会驿站, 工会服务站)."""
    return text.startswith(_strong_heads(), pos)


@cache
def _strong_heads() -> tuple[str, ...]:
    """The strong program head words, as a tuple for ``str.startswith``."""
    return tuple(program_cues().strong)


def _bare_ok(text: str, de: int) -> bool:
    """A bare generic agency word must end there (法院、 / 法院等 / 法院和), not run on."""
    if de >= len(text):
        return True
    ch = text[de]
    return not _is_word_char(ch) or ch in "等和与及的协共联合建签开在对为就同一"
