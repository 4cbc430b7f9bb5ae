#!/usr/bin/env python3
"""Regenerate ``ontology/lexicon/calibration.tsv``: measured precision per key.

Runs ``kg extract`` in this process (with the raw, uncalibrated confidences) on
the three development sets, scores each prediction with the scorer of
``kg eval`` (:func:`kg.eval.score`: its matching, its de-duplication, strict
relations), counts per key (:mod:`kg.extract.calibration`) how many scored
predictions of the counted sets carried the key and how many of them were
correct, and writes the table sorted by key, with no timestamp: the same code
and texts give the same bytes.  It then prints the expected calibration error
of each set raw, calibrated, and held out (calibrated with a table of the other
counted sets only).

By default the two web sets are counted and the seeds only scored: the rules
were written on the seeds, so their precision there overstates the precision on
new text.  Measured when this was written: a table of the seeds made both web
sets worse calibrated, a table of either web set made the other better
calibrated.  ``--fit seeds,web,web2`` counts all three.

Run from the repository (after a change to the recognisers or the cues)::

    python scripts/calibrate.py            # writes the table, prints the ECE
    python scripts/calibrate.py --check    # exit 1 if the table is stale

The development sets are the seeds (``seeds/``, gold ``../shared/gold/seeds.jsonl``)
and the two web sets, whose texts are not in the repository: fetch them as
``../shared/gold/web/README.md`` says into ``/tmp/web-texts`` and
``/tmp/web2-texts`` (or pass ``--web DIR --web2 DIR``).  They are test input
only: nothing of their text goes into the table, only counts per key (whose
details are entity kinds and the cue words of the shipped trigger tables).
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository's kg, also when run from elsewhere

from kg.errors import KGError  # noqa: E402
from kg.eval import Bin, EvalReport, Reliability, calibration_tables, score  # noqa: E402
from kg.extract import extract_document  # noqa: E402
from kg.extract.calibration import (  # noqa: E402
    COLUMNS,
    MIN_SAMPLES,
    PRIOR_WEIGHT,
    TABLE_PATH,
    CalibrationTable,
    Cell,
    Key,
    calibrate,
    evidence_keys,
    mention_keys,
)
from kg.jsonl import doc_record, read_jsonl  # noqa: E402
from kg.model import DocResult  # noqa: E402
from kg.text import iter_documents, split_articles  # noqa: E402

TABLE = ROOT / "ontology" / Path(*TABLE_PATH)
GOLD_DIR = ROOT.parent / "shared" / "gold"
COMMAND = "python scripts/calibrate.py"


@dataclass(slots=True)
class DevSet:
    """One development set: its texts, its gold and, once run, its raw extraction."""

    name: str
    texts: Path
    gold: Path
    results: list[DocResult] = field(default_factory=list)
    gold_records: list[dict[str, Any]] = field(default_factory=list)
    docs: int = 0

    def load(self) -> None:
        if not self.texts.is_dir() or not any(self.texts.iterdir()):
            raise SystemExit(
                f"calibrate: the texts of the {self.name} set are not in {self.texts}; "
                "fetch them as ../shared/gold/web/README.md says, or pass "
                f"--{self.name} DIR"
            )
        self.gold_records = read_jsonl(self.gold)
        self.results = [
            extract_document(d, split_articles(d), calibrated=False)
            for d in iter_documents([self.texts])
        ]
        have = {r.doc.doc_id for r in self.results}
        wanted = {str(g.get("doc")) for g in self.gold_records}
        missing = sorted(wanted - have)
        if missing:
            raise SystemExit(
                f"calibrate: {len(missing)} gold document(s) of the {self.name} set have no "
                f"text in {self.texts} (e.g. {missing[0]}); fetch them all first"
            )
        self.docs = len(wanted)

    def report(self, table: CalibrationTable | None) -> EvalReport:
        """The scores of this set's extraction, calibrated with ``table`` (None: raw)."""
        results = self.results
        if table is not None:  # calibrate copies: the raw results are measured again
            results = [calibrate(copy.deepcopy(r), table) for r in results]
        return score([doc_record(r) for r in results], self.gold_records)


Counts = dict[Key, list[int]]  # key -> [n, correct]


def count(report: EvalReport, into: Counts) -> None:
    """Add each scored prediction once to each of its keys."""
    for s in report.scored_entities:
        keys: set[Key] = set()
        for m in s.record.get("mentions", []):
            keys.update(mention_keys(s.record["type"], m["recogniser"], s.record.get("kind")))
        _add(keys, s.correct, into)
    for s in report.scored_relations:
        keys = set()
        for ev in s.record.get("evidences", []):
            keys.update(evidence_keys(s.record["p"], ev["extractor"], ev.get("trigger")))
        _add(keys, s.correct, into)


def _add(keys: Iterable[Key], correct: bool, into: Counts) -> None:
    for key in keys:
        cell = into.setdefault(key, [0, 0])
        cell[0] += 1
        cell[1] += int(correct)


def table_of(counts: Counts) -> CalibrationTable:
    return CalibrationTable({k: Cell(n, c) for k, (n, c) in counts.items()})


def merged(parts: Iterable[Counts]) -> Counts:
    out: Counts = {}
    for counts in parts:
        for k, (n, c) in counts.items():
            cell = out.setdefault(k, [0, 0])
            cell[0] += n
            cell[1] += c
    return out


def pooled(tables: Sequence[Reliability]) -> Reliability:
    """One reliability table of the predictions of several (same bins, counts added)."""
    out = Reliability([Bin(b.lo, b.hi) for b in tables[0].bins])
    for t in tables:
        for mine, theirs in zip(out.bins, t.bins, strict=True):
            mine.count += theirs.count
            mine.correct += theirs.correct
            mine.confidence_sum += theirs.confidence_sum
    return out


def ece_rows(
    sets: Sequence[DevSet], per_set: dict[str, Counts], fit: Sequence[str]
) -> list[tuple[str, ...]]:
    """Per set and for all together: entity and relation ECE of the raw confidences,
    calibrated with the table of the ``fit`` sets, and held out: calibrated with the
    table of the ``fit`` sets other than the scored one ("-" when there is none)."""
    full = table_of(merged(per_set[name] for name in fit))
    tables: dict[str, list[dict[str, Reliability] | None]] = {}
    for ds in sets:
        rest = [name for name in fit if name != ds.name]
        held = table_of(merged(per_set[name] for name in rest)) if rest else None
        if ds.name not in fit:
            held = full
        tables[ds.name] = [
            calibration_tables(ds.report(None)),
            calibration_tables(ds.report(full)),
            calibration_tables(ds.report(held)) if held is not None else None,
        ]
    groups = {"+".join(fit): list(fit), "all": [ds.name for ds in sets]}
    for group, names in groups.items():
        if len(names) < 2 or group in tables or (group != "all" and len(names) == len(sets)):
            continue
        columns = list(zip(*(tables[name] for name in names), strict=True))
        tables[group] = [
            {u: pooled([t[u] for t in col if t is not None]) for u in ("entities", "relations")}
            if all(t is not None for t in col)
            else None
            for col in columns
        ]
    rows = []
    for name, (raw, cal, held_out) in tables.items():
        assert raw is not None and cal is not None
        row = [name + (" (not counted)" if name in SET_NAMES and name not in fit else "")]
        row += [str(raw["entities"].total), str(raw["relations"].total)]
        for unit in ("entities", "relations"):
            row += [f"{t[unit].ece:.4f}" if t is not None else "-" for t in (raw, cal, held_out)]
        rows.append(tuple(row))
    return rows


ECE_HEAD = (
    "set",
    "entities",
    "relations",
    "ent ECE raw",
    "calibrated",
    "held out",
    "rel ECE raw",
    "calibrated",
    "held out",
)


def render(
    sets: Sequence[DevSet], fit: Sequence[str], counts: Counts, eces: list[tuple[str, ...]]
) -> str:
    source = ", ".join(f"{ds.name} ({ds.docs} documents)" for ds in sets)
    option = "" if list(fit) == list(DEFAULT_FIT) else f" --fit {','.join(fit)}"
    lines = [
        "# Calibrated confidence (issue 14): the measured precision, on the development gold,",
        "# of each recogniser production (unit mention: entity type, recogniser, entity kind)",
        "# and of each relation extractor and cue (unit evidence: predicate, extractor, trigger).",
        f"# Made by `{COMMAND}{option}` from the raw confidences of kg extract; do not",
        "# edit by hand, rerun it after changing a recogniser or a cue table.",
        "# Scored: " + source + "; gold ../shared/gold/seeds.jsonl,",
        "# ../shared/gold/web/gold.jsonl, ../shared/gold/web2/gold.jsonl.",
        f"# Counted (fitted): {', '.join(fit)}."
        + (
            "  The seeds are scored but not counted by default: the rules"
            if "seeds" not in fit
            else ""
        ),
    ]
    if "seeds" not in fit:
        lines += [
            "# were written on them, so their precision there overstates the precision on new",
            "# text (a table of the seeds made both web sets worse calibrated; one of either",
            "# web set makes the other better calibrated).",
        ]
    lines += [
        "# A sample is one prediction as kg eval scores it (after its de-duplication); it counts",
        "# once for each key among its mentions (entities) or evidence (relations); correct =",
        "# a true positive of kg eval (relations: strict).  detail '*' pools all details of the",
        "# row's unit, label and source; '-' is a mention without kind / evidence without trigger.",
        "# Read by kg/extract/calibration.py: a mention or evidence takes its first key with",
        f"# n >= {MIN_SAMPLES} (specific, then '*') and gets (correct + {PRIOR_WEIGHT:g} * c) /"
        f" (n + {PRIOR_WEIGHT:g}),",
        "# c = the confidence the recogniser or cue gave; keys unseen or rarer keep c.",
        "#",
        "# Expected calibration error (kg eval --calibration, 10 bins) of each set, of the",
        "# counted sets together and of all: raw; calibrated with this table; held out =",
        "# calibrated with the table of the other counted sets only (the estimate for text",
        "# the table has not seen; for a set not counted it is the same as calibrated):",
        "#   " + " | ".join(ECE_HEAD),
    ]
    lines += ["#   " + " | ".join(row) for row in eces]
    lines.append("\t".join(COLUMNS))
    for key in sorted(counts):
        n, c = counts[key]
        lines.append("\t".join((*key, str(n), str(c), f"{c / n:.4f}")))
    return "\n".join(lines) + "\n"


SET_NAMES = ("seeds", "web", "web2")
DEFAULT_FIT = ("web", "web2")


def _fit(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    bad = [n for n in names if n not in SET_NAMES]
    if not names or bad:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of {', '.join(SET_NAMES)}, got {value!r}"
        )
    return tuple(n for n in SET_NAMES if n in names)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds", metavar="DIR")
    ap.add_argument("--web", type=Path, default=Path("/tmp/web-texts"), metavar="DIR")
    ap.add_argument("--web2", type=Path, default=Path("/tmp/web2-texts"), metavar="DIR")
    ap.add_argument("--gold-dir", type=Path, default=GOLD_DIR, metavar="DIR")
    ap.add_argument(
        "--fit",
        type=_fit,
        default=DEFAULT_FIT,
        metavar="SETS",
        help="the sets whose predictions are counted into the table (all three are "
        f"scored and reported; default: {','.join(DEFAULT_FIT)})",
    )
    ap.add_argument("--out", type=Path, default=TABLE, metavar="FILE.tsv")
    ap.add_argument("--check", action="store_true", help="exit 1 if --out is not up to date")
    args = ap.parse_args(argv)
    sets = [
        DevSet("seeds", args.seeds, args.gold_dir / "seeds.jsonl"),
        DevSet("web", args.web, args.gold_dir / "web" / "gold.jsonl"),
        DevSet("web2", args.web2, args.gold_dir / "web2" / "gold.jsonl"),
    ]
    try:
        per_set: dict[str, Counts] = {}
        for ds in sets:
            ds.load()
            per_set[ds.name] = {}
            count(ds.report(None), per_set[ds.name])
        counts = merged(per_set[name] for name in args.fit)
        eces = ece_rows(sets, per_set, args.fit)
    except KGError as exc:
        print(f"calibrate: {exc}", file=sys.stderr)
        return 6
    text = render(sets, args.fit, counts, eces)
    print("  ".join(f"{h:>11}" for h in ECE_HEAD))
    for row in eces:
        print("  ".join(f"{v:>11}" for v in row))
    if args.check:
        current = args.out.read_text("utf-8") if args.out.exists() else ""
        if current != text:
            print(f"calibrate: {args.out} is stale; run: {COMMAND}", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({len(counts)} keys)")
        return 0
    args.out.write_text(text, "utf-8")
    print(f"wrote {args.out} ({len(counts)} keys)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
