"""Deterministic generator of varied trade-union newspaper pages.

The scale benchmark needs archives of 1x to 1000x the seeds that grow the way a
real archive grows: new regions, bodies, agencies and programs keep appearing,
while popular ones recur.  Regions are drawn with Zipf-like weights from the
shipped gazetteer, so the number of distinct entities grows sub-linearly with
the corpus; every page is a pure function of ``(seed, page number)``, so a
larger corpus is a prefix-extension of a smaller one.

Pages follow the seeds' layout: headline, optional subheading or kicker,
``本报讯(记者…)`` or ``本报记者 …`` byline, body paragraphs (some broken by a
column break), and page furniture.  Sentences come from the templates of
``benchmarks/data/templates.tsv``: cooperation (with coordination), runs,
participates, serves, dropped subjects and distractor sentences with no
relation.  About one article in twenty is written in traditional characters.

Command line::

    python -m benchmarks.generate --chars 330000 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from benchmarks.vocab import Place, Vocab, load_vocab
from kg.output import atomic_file

GENERATOR_VERSION = 1
PAGE_CHARS = 6600  # the seeds average about 6,600 characters per page
TRADITIONAL_SHARE = 0.05
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(slots=True)
class Cast:
    """The entities one article talks about."""

    region: Place
    union: str
    union_ref: str
    union2: str
    agencies: list[str]
    programs: list[str]
    program_stem: str
    groups: list[str]
    company: str


@cache
def _weights(n: int, s: float = 1.05) -> list[float]:
    """Cumulative Zipf weights for ``n`` ranks."""
    return list(itertools.accumulate(1.0 / (r**s) for r in range(1, n + 1)))


def _zipf(rng: random.Random, items: Sequence[Any]) -> Any:
    cum = _weights(len(items))
    return items[bisect_left(cum, rng.random() * cum[-1])]


class Generator:
    """Pages of synthetic news from a seed.

    Examples
    --------
    >>> g = Generator(seed=7)
    >>> page = g.page(0)
    >>> page == Generator(seed=7).page(0), len(page) > 1000
    (True, True)
    """

    def __init__(self, seed: int = 0, vocab: Vocab | None = None) -> None:
        self.seed = seed
        self.vocab = vocab or load_vocab()
        places = self.vocab.places
        # popularity order is a fixed shuffle of the gazetteer (by seed)
        order = sorted(places)
        random.Random(seed).shuffle(order)
        self._areas = [places[c] for c in order if places[c].level != "province"]
        self._children: dict[str, list[Place]] = {}
        for p in places.values():
            if p.parent:
                self._children.setdefault(p.parent, []).append(p)
        self._t2s: Any = None

    # -- names ---------------------------------------------------------------

    def _place(self, code: str | None) -> Place | None:
        return self.vocab.places.get(code) if code else None

    def qualified(self, p: Place) -> str:
        """A district or county carries its prefecture's name, as the papers write it."""
        parent = self._place(p.parent)
        if p.level == "county" and parent is not None and parent.level == "prefecture":
            return parent.name + p.name
        return p.name

    def _union_of(self, p: Place, rng: random.Random) -> str:
        v = self.vocab
        r = rng.random()
        if r < 0.75:
            return self.qualified(p) + "总工会"
        if r < 0.85 and v.subunits:
            return self.qualified(p) + "总工会" + rng.choice(v.subunits)
        if r < 0.93 and v.industries:
            province = self._place(p.province) or p
            return province.name + rng.choice(v.industries) + "工会"
        if v.joint_designations:
            stem = rng.choice(v.words["cstem"]) + rng.choice(v.words["jstem"])
            return self.qualified(p) + stem + rng.choice(v.joint_designations)
        return self.qualified(p) + "总工会"

    def _agency_of(self, p: Place, rng: random.Random) -> str:
        v = self.vocab
        r = rng.random()
        if r < 0.04 and v.national:
            agencies = [n for n, t in v.national if t == "PartnerAgency"]
            if agencies:
                return rng.choice(agencies)
        if r < 0.12 and v.industries and v.named_agencies:
            province = self._place(p.province) or p
            return province.name + rng.choice(v.industries) + rng.choice(v.named_agencies)
        return self.qualified(p) + rng.choice(v.agencies_for(p.level))

    def _parent_union(self, p: Place, rng: random.Random) -> str:
        national = [n for n, t in self.vocab.national if t == "UnionBody"]
        if national and rng.random() < 0.1:
            return rng.choice(national)
        return self.qualified(p) + "总工会"

    def _person(self, rng: random.Random) -> str:
        w = self.vocab.words
        return rng.choice(w["surname"]) + rng.choice(w["given"])

    def _program(self, rng: random.Random, stem: str, region: Place) -> str:
        cue = rng.choice(self.vocab.cues)
        if rng.random() < 0.3 and region.short:
            stem = region.short[-1] + stem  # many programs carry their region's name
        shape = rng.random()
        if shape < 0.5:
            return f"“{stem}”{cue}"
        if shape < 0.8:
            return f"“{stem}{cue}”"
        return f"{stem}{cue}"

    def _cast(self, rng: random.Random) -> Cast:
        area: Place = _zipf(rng, self._areas)
        parent = self._place(area.parent) or self._place(area.province) or area
        level_word = {"county": "县" if area.name.endswith("县") else "区"}.get(area.level, "市")
        stem = rng.choice(self.vocab.words["pstem"])
        programs = [self._program(rng, stem, area)]
        programs.append(self._program(rng, rng.choice(self.vocab.words["pstem"]), area))
        agency_places = [area, area, parent]
        groups = rng.sample(self.vocab.groups, k=min(3, len(self.vocab.groups)))
        w = self.vocab.words
        company = self.qualified(area)[:2] + rng.choice(w["cstem"]) + rng.choice(w["csuffix"])
        return Cast(
            region=area,
            union=self._union_of(area, rng),
            union_ref=level_word + rng.choice(("总工会", "总")),
            union2=self._parent_union(parent, rng),
            agencies=[self._agency_of(rng.choice(agency_places), rng) for _ in range(2)],
            programs=programs,
            program_stem=stem,
            groups=groups,
            company=company,
        )

    # -- sentences -----------------------------------------------------------

    def _fill(self, template: str, cast: Cast, rng: random.Random) -> str:
        w = self.vocab.words
        area = cast.region

        def value(m: re.Match[str]) -> str:
            slot = m.group(1)
            match slot:
                case "U":
                    return cast.union
                case "U2":
                    return cast.union2
                case "Uref":
                    return cast.union_ref
                case "A":
                    return cast.agencies[0]
                case "A2":
                    return cast.agencies[1]
                case "P":
                    return cast.programs[0 if rng.random() < 0.65 else 1]
                case "P2":
                    return cast.programs[1]
                case "PS":
                    return cast.program_stem
                case "G" | "G2" | "G3":
                    i = {"G": 0, "G2": 1, "G3": 2}[slot]
                    return cast.groups[i % len(cast.groups)]
                case "R":
                    return self.qualified(area)
                case "RS":
                    return area.short[0] if area.short else area.name
                case "RL":
                    return "市" if area.level == "prefecture" else area.name[-1]
                case "CO":
                    return cast.company
                case "EU":
                    return cast.company + "工会"
                case "PER":
                    return self._person(rng)
                case "ROLE" | "TOPIC" | "SERVICE" | "QUOTE":
                    return rng.choice(w[slot.lower()])
                case "N" | "N2":
                    return str(rng.choice((rng.randint(2, 99), rng.randint(100, 9999))))
                case "N3":
                    return str(rng.randint(2, 30))
                case "PCT":
                    return f"{rng.randint(1, 40)}.{rng.randint(0, 9)}"
                case "Y":
                    return str(rng.randint(2015, 2026))
                case "M":
                    return str(rng.randint(1, 12))
                case "D":
                    return str(rng.randint(1, 28))
                case "H":
                    return str(rng.randint(5, 9))
            return m.group(0)

        return _SLOT.sub(value, template)

    def _sentence(self, kind: str, cast: Cast, rng: random.Random) -> str:
        return self._fill(rng.choice(self.vocab.templates[kind]), cast, rng)

    def _paragraph(self, cast: Cast, rng: random.Random) -> str:
        kinds = ("cooperation", "runs", "participates", "serves", "distractor")
        weights = (2, 3, 1, 2, 4)
        out: list[str] = []
        for _ in range(rng.randint(2, 5)):
            kind = rng.choices(kinds, weights)[0]
            out.append(self._sentence(kind, cast, rng))
            if kind in ("runs", "cooperation") and rng.random() < 0.3:
                out.append(self._sentence("dropped", cast, rng))
        return "".join(out)

    def _traditional(self, text: str) -> str:
        if self._t2s is None:
            import opencc

            self._t2s = opencc.OpenCC("s2t")
        return str(self._t2s.convert(text))

    def article(self, rng: random.Random) -> str:
        """One article in the seeds' layout."""
        cast = self._cast(rng)
        lines = [self._sentence("headline", cast, rng)]
        r = rng.random()
        if r < 0.3:
            lines.append(self._sentence("subhead", cast, rng))
        elif r < 0.4:
            lines.insert(0, self._sentence("kicker", cast, rng))
        lead = self._sentence("lead", cast, rng)
        first = lead + self._paragraph(cast, rng)
        reporter = self._person(rng)
        b = rng.random()
        if b < 0.6:
            lines.append(f"本报讯(记者{reporter} 通讯员{self._person(rng)}){first}")
        elif b < 0.85:
            lines.append(f"本报记者 {reporter}")
            lines.append(first)
        else:
            city = cast.region.short[0] if cast.region.short else cast.region.name
            lines.append(
                f"本报{city}{rng.randint(1, 12)}月{rng.randint(1, 28)}日电(记者{reporter}){first}"
            )
        for _ in range(rng.randint(2, 6)):
            para = self._paragraph(cast, rng)
            if rng.random() < 0.1 and len(para) > 40:
                cut = rng.randint(10, len(para) - 10)
                lines.append(para[:cut])  # a column break in the middle of a sentence
                para = para[cut:]
            lines.append(para)
        text = "\n\n".join(lines)
        if rng.random() < TRADITIONAL_SHARE:
            text = self._traditional(text)
        return text

    def page(self, number: int, chars: int = PAGE_CHARS) -> str:
        """Page ``number``: articles until about ``chars`` characters."""
        rng = random.Random(self.seed * 1_000_003 + number)
        parts: list[str] = []
        size = 0
        while size < chars:
            art = self.article(rng)
            parts.append(art)
            size += len(art) + 4
        parts.append(f"责任编辑:{self._person(rng)}")
        return "\n\n" + "\n\n".join(parts) + "\n"


def generate_corpus(
    out_dir: str | Path,
    total_chars: int,
    *,
    seed: int = 0,
    page_chars: int = PAGE_CHARS,
) -> dict[str, Any]:
    """Write pages into ``out_dir`` until they hold ``total_chars`` characters.

    A corpus already in ``out_dir`` with the same manifest (seed, size,
    generator version and vocabulary sources) is reused as it is.

    Returns
    -------
    dict
        The manifest: ``files``, ``chars``, ``bytes``, ``seed``, ``sources``...

    Examples
    --------
    >>> import tempfile
    >>> m = generate_corpus(tempfile.mkdtemp(), 20_000, seed=1)
    >>> m["chars"] >= 20_000, m["files"] >= 2
    (True, True)
    """
    out = Path(out_dir)
    vocab = load_vocab()
    want = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "target_chars": total_chars,
        "page_chars": page_chars,
        "sources": vocab.sources,
    }
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        if all(old.get(k) == v for k, v in want.items()):
            return dict(old)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("page_*.txt"):
        stale.unlink()
    gen = Generator(seed, vocab)
    chars = nbytes = files = 0
    while chars < total_chars:
        text = gen.page(files, min(page_chars, max(500, total_chars - chars)))
        data = text.encode("utf-8")
        (out / f"page_{files:06d}.txt").write_bytes(data)
        chars += len(text)
        nbytes += len(data)
        files += 1
    manifest = dict(want, files=files, chars=chars, bytes=nbytes)
    with atomic_file(manifest_path) as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)  # type: ignore[arg-type]
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.generate --chars N --out DIR``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__)
    ap.add_argument("--chars", type=int, required=True, help="total characters to write")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    manifest = generate_corpus(args.out, args.chars, seed=args.seed)
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
