"""The gazetteer of PRC administrative divisions (province, prefecture and county level).

The data is ``ontology/lexicon/regions.tsv``, generated from the PyPI package
``cpca`` by ``scripts/gen_gazetteer.py`` (see ``docs/GAZETTEER.md`` for the
columns and the short-form grammar).  This module reads it with the standard
library only and caches the result.

>>> gaz = Gazetteer.load()
>>> [r.name for r in gaz.lookup("黔南州")]
['黔南布依族苗族自治州']
>>> gaz.qualified_name(gaz.resolve("万州区").code)
'重庆市万州区'
>>> [r.name for r in gaz.chain(gaz.resolve("澜沧县").code)]
['云南省', '普洱市', '澜沧拉祜族自治县']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DataError

__all__ = ["LEVELS", "Gazetteer", "Region"]

#: The three levels, from the top.
LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
_RANK = {level: i for i, level in enumerate(LEVELS)}
_COLUMNS = ("code", "name", "level", "parent", "province", "status", "short", "former", "risky")
_STATUSES = ("current", "former")
_RELATIVE_PATH = ("lexicon", "regions.tsv")


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative division.

    Attributes
    ----------
    code : str
        Six-digit division code, e.g. ``"320000"``.
    name : str
        Full official name, e.g. ``"江苏省"``.
    level : str
        ``"province"``, ``"prefecture"`` or ``"county"``.
    parent : str or None
        Code of the parent division (``None`` for a province).  Districts of a
        municipality and province-administered county-level units (仙桃市)
        have the province as parent.
    province : str
        Code of the province-level division the region lies in (itself for a
        province).
    short : tuple of str
        Accepted short forms, most natural first, e.g. ``("黔南州", "黔南", "黔南自治州")``.
    former : tuple of str
        Earlier names of the same code and their short forms (襄都区 was 桥东区).
    status : str
        ``"current"``, or ``"former"`` for a division abolished since about 2016
        (许昌县, 莱芜市), kept so that older articles still resolve.
    risky : tuple of str
        The surfaces of this region (full name, short or former forms) that need
        supporting context before a recogniser takes them as this region: a
        common word (城区, 互助), a positional word (市北, 城关), or a form
        shared with another region that is the default reading (本溪 is
        本溪市, so it is risky for 本溪满族自治县).

    Examples
    --------
    >>> r = Region("530828", "澜沧拉祜族自治县", "county", "530800", "530000", ("澜沧县", "澜沧"))
    >>> r.surfaces
    ('澜沧拉祜族自治县', '澜沧县', '澜沧')
    >>> r.needs_context("澜沧")
    False
    """

    code: str
    name: str
    level: str
    parent: str | None
    province: str
    short: tuple[str, ...]
    former: tuple[str, ...] = ()
    status: str = "current"
    risky: tuple[str, ...] = ()

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The full name, the short forms, then the former names."""
        return (self.name, *self.short, *self.former)

    @property
    def is_current(self) -> bool:
        """False for a division that no longer exists (a ``former`` entry)."""
        return self.status == "current"

    @property
    def is_municipality(self) -> bool:
        """True for the four province-level cities (北京市, 天津市, 上海市, 重庆市)."""
        return self.level == "province" and self.name.endswith("市")

    def needs_context(self, surface: str) -> bool:
        """Whether ``surface``, read as this region, needs supporting context."""
        return surface in self.risky


class Gazetteer:
    """Lookup, hierarchy and disambiguation over a set of :class:`Region` s.

    Use :meth:`load` for the shipped gazetteer (cached).  The constructor
    checks the hierarchy and raises :class:`~kg.errors.DataError` when it is
    broken (duplicate code, unknown parent, unknown level).

    Parameters
    ----------
    regions : iterable of Region
        The divisions; parents must be included.
    source : str
        Where the regions came from, for error messages.
    """

    def __init__(self, regions: Iterable[Region], *, source: str = "<regions>") -> None:
        by_code: dict[str, Region] = {}
        for r in regions:
            if r.code in by_code:
                raise DataError(
                    f"{source}: division code {r.code} appears twice",
                    hint="regenerate the gazetteer with scripts/gen_gazetteer.py",
                )
            if r.level not in _RANK or r.status not in _STATUSES:
                raise DataError(
                    f"{source}: division {r.code} has unknown level {r.level!r} "
                    f"or status {r.status!r}",
                    hint=f"levels are {', '.join(LEVELS)}; statuses {', '.join(_STATUSES)}",
                )
            by_code[r.code] = r
        for r in by_code.values():
            for ref in (r.parent, r.province):
                if ref is not None and ref not in by_code:
                    raise DataError(
                        f"{source}: division {r.code} {r.name} refers to unknown division {ref}",
                        hint="regenerate the gazetteer with scripts/gen_gazetteer.py",
                    )
            if (r.parent is None) != (r.level == "province"):
                raise DataError(
                    f"{source}: division {r.code} {r.name} ({r.level}) has parent {r.parent!r}",
                    hint="only province-level divisions have no parent",
                )
        self._by_code = by_code
        children: dict[str, list[Region]] = {}
        for r in by_code.values():
            if r.parent is not None:
                children.setdefault(r.parent, []).append(r)
        self._children = children
        index: dict[str, list[Region]] = {}
        for r in sorted(by_code.values(), key=lambda r: (_RANK[r.level], r.code)):
            for surface in r.surfaces:
                bucket = index.setdefault(surface, [])
                if r not in bucket:
                    bucket.append(r)
        self._index = index

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls) -> Gazetteer:
        """The shipped gazetteer (``ontology/lexicon/regions.tsv``), read once and cached."""
        return _shipped()

    @classmethod
    def from_path(cls, path: str | Path) -> Gazetteer:
        """Read a gazetteer TSV file (the format of ``regions.tsv``).

        Raises
        ------
        DataError
            The file is missing, undecodable or malformed.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(
                f"cannot read the gazetteer {path}: {exc}",
                hint="restore ontology/lexicon/regions.tsv or regenerate it "
                "with scripts/gen_gazetteer.py",
            ) from exc
        return cls(_parse(text, str(path)), source=str(path))

    # ------------------------------------------------------------------ access

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Region:
        """The region with this six-digit code; :class:`KeyError` if there is none."""
        return self._by_code[code]

    def by_level(self, level: str) -> list[Region]:
        """All regions of one level, in code order."""
        return [r for r in self._by_code.values() if r.level == level]

    def lookup(self, surface: str) -> list[Region]:
        """Every region that has ``surface`` as full name or short form.

        Candidates come from the top level down, then in code order.  Matching
        is exact on simplified characters; an unknown string gives ``[]``.

        >>> sorted(r.code for r in Gazetteer.load().lookup("朝阳区"))
        ['110105', '220104']
        """
        return list(self._index.get(surface, ()))

    def surfaces(self) -> Iterator[tuple[str, Region, bool]]:
        """``(surface, region, is_full_name)`` for every surface of every region.

        Short forms and former names come with ``is_full_name`` false; check
        :meth:`Region.needs_context` before accepting a risky one.
        """
        for r in self._by_code.values():
            yield r.name, r, True
            for s in dict.fromkeys((*r.short, *r.former)):
                if s != r.name:
                    yield s, r, False

    def is_ambiguous(self, surface: str) -> bool:
        """True when more than one region has this surface."""
        return len(self._index.get(surface, ())) > 1

    # ------------------------------------------------------------------ hierarchy

    def prominent(self, surface: str) -> Region | None:
        """The likeliest reading of a full name shared by divisions of one level.

        宝山区 names a district of 上海市 and one of 双鸭山市; with no context to
        decide, the one in the most prominent place is the likelier: a
        municipality's before a provincial capital's (its prefecture code ends in
        01) before any other.  A tie, or a surface that is no full name, gives
        ``None``.  A guess: callers use it for context, never to name a body.

        >>> g = Gazetteer.load()
        >>> g.qualified_name(g.prominent("宝山区").code)
        '上海市宝山区'
        >>> g.prominent("鼓楼区") is None  # 南京 and 福州 are both capitals
        True
        """
        cands = [r for r in self._index.get(surface, ()) if r.name == surface and r.is_current]
        if not cands:
            return None
        ranks = [_prominence(r) for r in cands]
        best = [r for r, k in zip(cands, ranks, strict=True) if k == min(ranks)]
        return best[0] if len(best) == 1 else None

    def chain(self, code: str) -> list[Region]:
        """The region and its ancestors from the top: ``[province, prefecture?, county?]``."""
        out = [self._by_code[code]]
        while out[-1].parent is not None:
            out.append(self._by_code[out[-1].parent])
        out.reverse()
        return out

    def children(self, code: str) -> list[Region]:
        """The regions directly under ``code``, in code order (``[]`` for none).

        >>> [r.name for r in Gazetteer.load().children("620700")][:2]
        ['甘州区', '肃南裕固族自治县']
        """
        return list(self._children.get(code, ()))

    def is_within(self, code: str, ancestor: str) -> bool:
        """True when region ``code`` is ``ancestor`` or lies inside it.

        >>> g = Gazetteer.load()
        >>> g.is_within("500101", "500000"), g.is_within("500000", "500101")
        (True, False)
        """
        r = self._by_code.get(code)
        while r is not None:
            if r.code == ancestor:
                return True
            r = self._by_code.get(r.parent) if r.parent is not None else None
        return False

    def qualified_name(self, code: str, *, with_province: bool = False) -> str:
        """The natural qualified name used in canonical names.

        A county-level region carries its prefecture (无锡市梁溪区) or its
        municipality (重庆市万州区); one directly under a province (仙桃市)
        and a prefecture (扬州市) stand alone.  ``with_province`` prefixes the
        province when it is not already there.

        >>> g = Gazetteer.load()
        >>> g.qualified_name("440105"), g.qualified_name("440105", with_province=True)
        ('广州市海珠区', '广东省广州市海珠区')
        """
        chain = self.chain(code)
        if with_province:
            parts = chain
        elif len(chain) == 3:
            parts = chain[1:]
        elif len(chain) == 2 and chain[0].is_municipality and chain[1].level == "county":
            parts = chain
        else:
            parts = chain[-1:]
        return "".join(r.name for r in parts)

    # ------------------------------------------------------------------ disambiguation

    def resolve(self, surface: str, context: Iterable[str] = ()) -> Region | None:
        """The region ``surface`` most likely names, or ``None``.

        Parameters
        ----------
        surface : str
            A full name or short form.
        context : iterable of str
            Codes of regions already seen in the article (unknown codes are ignored).

        Notes
        -----
        1. A unique candidate is returned as is.
        2. Context: the candidates inside the most specific context region win;
           failing those, the candidates containing a context region (吉林 seen
           with 长春市 is 吉林省).
        3. Then live readings (a current division under its current name or
           short form) beat former ones, a candidate whose *full* name is
           ``surface`` beats short-form readings, and a unique candidate at the
           highest level wins (朝阳 is 朝阳市 rather than one of the 朝阳区/朝阳县).
        4. Otherwise the surface stays ambiguous: ``None``.

        Step 3 alone is the *default reading*; ``scripts/gen_gazetteer.py``
        marks a shared surface risky for every region that is not it.

        >>> g = Gazetteer.load()
        >>> g.resolve("朝阳区") is None
        True
        >>> g.qualified_name(g.resolve("朝阳区", ["220100"]).code)
        '长春市朝阳区'
        """
        cands = self._index.get(surface)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        pool = list(cands)
        ctx = [self._by_code[c] for c in dict.fromkeys(context) if c in self._by_code]
        if ctx:
            best_depth, inside = -1, []
            for r in pool:
                depth = max(
                    (_RANK[c.level] for c in ctx if self.is_within(r.code, c.code)), default=-1
                )
                if depth > best_depth:
                    best_depth, inside = depth, [r]
                elif depth == best_depth and depth >= 0:
                    inside.append(r)
            if inside:
                pool = inside
            else:
                containing = [r for r in pool if any(self.is_within(c.code, r.code) for c in ctx)]
                pool = containing or pool
        return _default_reading(surface, pool)


_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


def _default_reading(surface: str, pool: list[Region]) -> Region | None:
    """Live readings first, then full-name matches, then a unique top-level candidate."""
    if len(pool) == 1:
        return pool[0]
    live = [r for r in pool if r.is_current and surface not in r.former]
    pool = live or pool
    full = [r for r in pool if r.name == surface]
    pool = full or pool
    top = min(_RANK[r.level] for r in pool)
    best = [r for r in pool if _RANK[r.level] == top]
    return best[0] if len(best) == 1 else None


def _prominence(r: Region) -> int:
    """0 in a municipality (北京 天津 上海 重庆), 1 in a provincial capital, else 2."""
    if r.province in _MUNICIPALITIES:
        return 0
    return 1 if r.code[2:4] == "01" else 2


def _split(field: str) -> tuple[str, ...]:
    return tuple(s for s in field.split("|") if s)


def _parse(text: str, source: str) -> list[Region]:
    """Regions from the text of a gazetteer TSV file."""
    regions: list[Region] = []
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if tuple(cols) != _COLUMNS:
                raise DataError(
                    f"{source}:{lineno}: expected the header {' '.join(_COLUMNS)}",
                    hint="regenerate the gazetteer with scripts/gen_gazetteer.py",
                )
            header_seen = True
            continue
        if len(cols) != len(_COLUMNS):
            raise DataError(
                f"{source}:{lineno}: expected {len(_COLUMNS)} tab-separated columns, "
                f"found {len(cols)}",
                hint="regenerate the gazetteer with scripts/gen_gazetteer.py",
            )
        code, name, level, parent, province, status, short, former, risky = cols
        if not (len(code) == 6 and code.isdigit() and name):
            raise DataError(
                f"{source}:{lineno}: bad division code {code!r} or empty name",
                hint="codes have six digits; regenerate with scripts/gen_gazetteer.py",
            )
        regions.append(
            Region(
                code,
                name,
                level,
                parent or None,
                province,
                _split(short),
                former=_split(former),
                status=status,
                risky=_split(risky),
            )
        )
    if not regions:
        raise DataError(
            f"{source}: the gazetteer has no entries",
            hint="regenerate it with scripts/gen_gazetteer.py",
        )
    return regions


@functools.cache
def _shipped() -> Gazetteer:
    from kg.resources import data_path

    return Gazetteer.from_path(data_path(*_RELATIVE_PATH))
