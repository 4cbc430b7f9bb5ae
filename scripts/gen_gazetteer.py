#!/usr/bin/env python3
"""Regenerate the gazetteer ``ontology/lexicon/regions.tsv`` (and ``ethnic_groups.tsv``).

Source: the PyPI package ``cpca`` (its ``resources/adcodes.csv`` and
``resources/56_nations.csv``) and, for the common-word check, the dictionary
shipped with ``jieba``.  Both are *generation-time* dependencies only: the
runtime (:mod:`kg.lexicon.regions`) reads the TSV with the standard library.

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
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS_TSV = ROOT / "ontology" / "lexicon" / "regions.tsv"
ETHNIC_TSV = ROOT / "ontology" / "lexicon" / "ethnic_groups.tsv"

#: Names in the source that are grouping placeholders, not divisions: their
#: children hang directly under the province.
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

#: Province-level entries added when the source lacks them (code, name).
EXTRA_PROVINCES: tuple[tuple[str, str], ...] = (
    ("710000", "台湾省"),
    ("810000", "香港特别行政区"),
    ("820000", "澳门特别行政区"),
)

#: Collective ethnic designation used in some autonomous-county names (龙胜各族自治县).
COLLECTIVE_ETHNIC = ("各族",)

#: Designation suffixes of prefecture/county names, longest first.  Removing one
#: gives the stem; a stem of fewer than two characters is not a short form.
SUFFIXES = ("地区", "新区", "林区", "特区", "矿区", "市", "县", "区", "盟", "旗")

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
COMMON_SHORT_FREQ = 20
COMMON_FULL_FREQ = 1000

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
    risky: list[str] = field(default_factory=list)


def read_csv(package_file: str) -> list[list[str]]:
    """Rows of a CSV file shipped in ``cpca/resources``."""
    text = resources.files("cpca").joinpath("resources", package_file).read_text("utf-8")
    return [row for row in csv.reader(text.splitlines()) if row]


def ethnic_names() -> list[str]:
    """The 56 ethnic group names (``汉族`` ... ``高山族``) from cpca."""
    return [row[0].strip() for row in read_csv("56_nations.csv") if row[0].strip()]


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

    When nothing would remain (``鄂伦春``, ``东乡族``) the last ethnic name,
    without ``族``, is the stem.
    """
    last = stem
    changed = True
    while changed and stem:
        changed = False
        for tok in tokens:
            rest = len(stem) - len(tok)
            # never leave a one-character stem: 内蒙古 keeps its 蒙古
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
        for suffix in SUFFIXES:
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                if len(stem) >= 2:
                    out.append(stem)
                break
    seen: set[str] = {name}
    result = []
    for s in out:
        if len(s) >= 2 and s not in seen:
            seen.add(s)
            result.append(s)
    return result


def load_rows(tokens: list[str]) -> list[Row]:
    """Divisions from cpca's adcodes.csv with the parent chain repaired."""
    names: dict[str, str] = {}
    for rec in read_csv("adcodes.csv")[1:]:
        code12, name = rec[0].strip(), rec[1].strip()
        if len(code12) != 12 or not code12.isdigit() or code12[6:] != "000000":
            raise SystemExit(f"unexpected adcode {code12!r} in cpca data")
        names[code12[:6]] = name
    for code, name in EXTRA_PROVINCES:
        names.setdefault(code, name)
    rows = []
    for code in sorted(names):
        name = names[code]
        if name in PLACEHOLDERS:
            continue
        prov = code[:2] + "0000"
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "prefecture", prov
        else:
            level = "county"
            pref = code[:4] + "00"
            parent = pref if pref in names and names[pref] not in PLACEHOLDERS else prov
        if parent and parent not in names:
            raise SystemExit(f"{code} {name}: parent {parent} missing in cpca data")
        rows.append(Row(code, name, level, parent, prov, short_forms(name, level, tokens)))
    return rows


def jieba_words() -> dict[str, tuple[int, str]]:
    """``word -> (frequency, POS tag)`` from jieba's main dictionary."""
    text = resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
    words: dict[str, tuple[int, str]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit():
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def default_reading(surface: str, holders: list[tuple[Row, bool]]) -> Row | None:
    """The context-free reading of a shared surface, as ``Gazetteer.resolve`` picks it."""
    if len(holders) == 1:
        return holders[0][0]
    full = [r for r, is_full in holders if is_full]
    if len(full) == 1:
        return full[0]
    pool = full or [r for r, _ in holders]
    top = min(LEVEL_RANK[r.level] for r in pool)
    best = [r for r in pool if LEVEL_RANK[r.level] == top]
    return best[0] if len(best) == 1 else None


def mark_risky(rows: list[Row], words: dict[str, tuple[int, str]]) -> None:
    """Fill ``Row.risky``: readings that need supporting context (docs/GAZETTEER.md)."""
    holders: dict[str, list[tuple[Row, bool]]] = defaultdict(list)
    for r in rows:
        holders[r.name].append((r, True))
        for s in r.short:
            holders[s].append((r, False))
    for r in rows:
        risky = []
        for surface in [r.name, *r.short]:
            is_full = surface == r.name
            freq, tag = words.get(surface, (0, "ns"))
            if is_full:
                common = tag not in PLACE_TAGS and freq >= COMMON_FULL_FREQ
            else:
                common = r.level == "county" and tag not in PLACE_TAGS and freq >= COMMON_SHORT_FREQ
            if is_full:
                generic = surface.endswith(("区", "县")) and set(surface) <= GENERIC_CHARS | {"县"}
            else:
                generic = set(surface) <= GENERIC_CHARS
            shared = not is_full and default_reading(surface, holders[surface]) is not r
            if common or generic or shared:
                risky.append(surface)
        r.risky = risky


def render(rows: list[Row], groups: list[str]) -> tuple[str, str]:
    """The text of regions.tsv and ethnic_groups.tsv."""
    cpca_v = metadata.version("cpca")
    jieba_v = metadata.version("jieba")
    head = [
        "# Gazetteer of PRC administrative divisions (province, prefecture, county level).",
        f"# Generated by scripts/gen_gazetteer.py from PyPI cpca=={cpca_v} "
        "(cpca/resources/adcodes.csv)",
        f"# and jieba=={jieba_v} (dict.txt, common-word check). Do not edit by hand:",
        "# regenerate with `python scripts/gen_gazetteer.py`. Columns: docs/GAZETTEER.md.",
        "# short and risky are '|'-separated; risky lists the surfaces of the row",
        "# (full name or short form) that need supporting context.",
        "code\tname\tlevel\tparent\tprovince\tshort\trisky",
    ]
    lines = head + [
        "\t".join(
            (r.code, r.name, r.level, r.parent, r.province, "|".join(r.short), "|".join(r.risky))
        )
        for r in rows
    ]
    eth = [
        "# The 56 ethnic groups of the PRC, from PyPI "
        f"cpca=={cpca_v} (cpca/resources/56_nations.csv).",
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
