"""Regions: region chains before and after a designation, and article context.

A chain of region surfaces (广东省深圳市南山区) resolves to one region; a level word
(市, 区) or a bare agency takes its region from the article's context, which the
places a dateline, headline or sentence names update.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kg.extract.mentions.context import ArticleContext, Candidate
from kg.extract.mentions.scan import _Hits, _scan
from kg.lexicon.regions import Gazetteer, Region


def _resolve_chain(
    parts: list[tuple[int, str, list[Region]]], ctx: ArticleContext
) -> tuple[Region | None, bool, int]:
    """Resolve a left-to-right chain of region surfaces.

    Returns the innermost region, whether a prefecture was named above a county,
    and the start of the part of the chain that was kept.
    """
    gaz = Gazetteer.load()
    current: Region | None = None
    parent_named = False
    kept_start = parts[0][0] if parts else 0
    for start, surface, _cands in parts:
        context = [current.code] if current is not None else ctx.context_codes[-8:]
        r = gaz.resolve(surface, context)
        if r is None and current is not None:
            r = gaz.resolve(surface, ctx.context_codes[-8:])
        if r is None:
            return None, False, kept_start
        if current is not None and gaz.is_within(r.code, current.code) and r.code != current.code:
            if current.level == "prefecture" and r.level == "county":
                parent_named = True
            current = r
        else:
            # a new chain starts here (the left part did not contain this region)
            current = r
            parent_named = False
            kept_start = start
        if r.needs_context(surface) and not _supported(r, ctx, parts):
            return None, False, kept_start
    return current, parent_named, kept_start


def _supported(r: Region, ctx: ArticleContext, parts: list[tuple[int, str, list[Region]]]) -> bool:
    gaz = Gazetteer.load()
    if len(parts) > 1:
        return True
    # the region itself named before in the article (青岛市市北区…, later 市北区) supports it
    return any(gaz.is_within(r.code, c) or gaz.is_within(c, r.code) for c in ctx.context_codes)


def _chain_before(hits: _Hits, pos: int, floor: int) -> list[tuple[int, str, list[Region]]]:
    """Region surfaces ending exactly at ``pos`` and chained leftwards (up to 3)."""
    parts: list[tuple[int, str, list[Region]]] = []
    p = pos
    while len(parts) < 3 and p in hits.regions_end:
        options = [o for o in hits.regions_end[p] if o[0] >= floor]
        if not options:
            break
        start, surface, cands = options[0]
        parts.append((start, surface, cands))
        p = start
    parts.reverse()
    return parts


def _chain_after(hits: _Hits, pos: int, limit: int) -> list[tuple[int, str, list[Region]]]:
    """Region surfaces starting at ``pos`` and chained rightwards, ending by ``limit``."""
    parts: list[tuple[int, str, list[Region]]] = []
    p = pos
    while len(parts) < 3 and p in hits.regions_start:
        options = [o for o in hits.regions_start[p] if o[0] <= limit]
        if not options:
            break
        end, surface, cands = options[0]
        parts.append((p, surface, cands))
        p = end
    return parts


def _level_region(
    level_char: str,
    ctx: ArticleContext,
    sentence_orgs: list[Candidate],
    hits: _Hits | None = None,
    pos: int = 0,
) -> Region | None:
    """The region of the given level that the context is about (市 -> the acting city).

    Looks at the regions named earlier in the sentence (nearest first), then at
    the bodies of the sentence and of the article, then at the article's regions.
    """
    gaz = Gazetteer.load()

    def pool() -> Iterator[Region]:
        if hits is not None:
            ends = [e for e in range(pos, max(pos - 80, 0) - 1, -1) if e in hits.regions_end]
            for end in ends:
                _start, surface, _cands = hits.regions_end[end][0]
                r = gaz.resolve(surface, ctx.context_codes[-8:])
                if r is not None and not r.needs_context(surface):
                    yield r
        for c in reversed(sentence_orgs[-8:]):
            if c.region is not None:
                yield from reversed(gaz.chain(c.region.code))
        for c in reversed(ctx.acting[-8:]):
            if c.region is not None:
                yield from reversed(gaz.chain(c.region.code))
        for code in reversed(ctx.context_codes[-8:]):
            yield from reversed(gaz.chain(code))

    for r in pool():
        if level_char == "自治区":
            if r.level == "province" and r.name.endswith("自治区"):
                return r
            continue
        if level_char == "省" and r.level == "province":
            if r.name.endswith("特别行政区"):
                continue  # 省总工会 next to 澳门…: a region is never called 省
            return r if r.name.endswith("省") or not r.is_municipality else None
        if level_char == "市" and r.name.endswith("市"):
            return r
        if level_char == "区" and r.name.endswith("区") and r.level != "province":
            return r
        if level_char == "县" and r.name.endswith("县"):
            return r
        if level_char == "州" and r.name.endswith("州"):
            return r
    return None


def _acting_region(ctx: ArticleContext, sentence_orgs: list[Candidate], pos: int) -> Region | None:
    """The region of the body acting in this sentence (nearest organisation before ``pos``)."""
    acting = [c for c in sentence_orgs if c.region is not None and c.recogniser != "org.bare"]
    before = [c for c in acting if c.start < pos]
    if before:
        return before[-1].region
    after = acting
    if after:
        return after[0].region
    for c in reversed(ctx.acting):
        if c.region is not None and c.type == "UnionBody":
            return c.region
    return None


def seed_context(ctx: ArticleContext, text: str) -> None:
    """Note the places named in ``text`` (a dateline, a headline) as article context.

    >>> ctx = ArticleContext()
    >>> seed_context(ctx, "本报南宁5月20日电")
    >>> ctx.context_codes
    ['450100']
    """
    if text:
        _note_sentence_regions(_scan(text), ctx)


# a place followed by a union designation: the article's own union (杭州市总工会, 宜宾市工会)
_HOME_UNION = re.compile(r"([\u4e00-\u9fff]{1,9}?[省市州县区盟旗])(?:总工会|工会)")


def seed_home_region(ctx: ArticleContext, sentences: Iterable[str]) -> None:
    """Note the place of the first union named with its place anywhere in the article,
    as the oldest context: level words read before that name (市总工会…, 市司法局 in
    an article that names 杭州市 only later) then have their region; every place the
    article names on the way comes later and wins.

    >>> ctx = ArticleContext()
    >>> seed_home_region(ctx, ["市总工会举办活动。", "杭州市工会职工法律援助实施办法出台。"])
    >>> ctx.context_codes
    ['330100']
    """
    gaz = Gazetteer.load()
    for text in sentences:
        if "工会" not in text:
            continue  # (every match holds it: the pattern need not be tried)
        for m in _HOME_UNION.finditer(text):
            surface = m.group(1)
            for k in range(len(surface) - 1):  # the longest region surface ending there
                r = gaz.resolve(surface[k:])
                if r is not None and not r.needs_context(surface[k:]):
                    if r.code not in ctx.context_codes:
                        ctx.context_codes.insert(0, r.code)
                    return


def _note_sentence_regions(hits: _Hits, ctx: ArticleContext) -> None:
    """Remember the places a sentence names (本报南宁5月20日电 -> 南宁市) as article context."""
    gaz = Gazetteer.load()
    for end in sorted(hits.regions_end):
        _start, surface, _cands = hits.regions_end[end][0]
        r = gaz.resolve(surface, ctx.context_codes[-8:])
        known = r is None or r.needs_context(surface) or r.code in ctx.context_codes
        if not known and r is not None:
            ctx.context_codes.insert(0, r.code)  # weaker than the bodies' regions
