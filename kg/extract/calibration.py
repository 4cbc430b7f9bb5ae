"""Calibrated confidence: one small stage after extraction (issue 14).

The recognisers and relation extractors give each mention and each piece of
evidence a confidence of their own (a number in the code or in a cue table).
This stage replaces it with what was *measured*: the precision, on the
development gold, of the recogniser production that made the mention, or of
the extractor and cue that read the evidence.  The measurements are data,
``ontology/lexicon/calibration.tsv``, written by ``scripts/calibrate.py`` from
the development texts; nothing here knows any number.

Keys
----
Each row of the table is one key, most specific first::

    mention   <entity type>  <recogniser>  <entity kind, or ->
    mention   <entity type>  <recogniser>  *
    evidence  <predicate>    <extractor>   <trigger (the cue), or ->
    evidence  <predicate>    <extractor>   *

The ``*`` row pools every detail of the same type/predicate and source (the
back-off).  A mention or evidence takes the first of its keys that has at least
:data:`MIN_SAMPLES` samples; a key that is unseen or rarer keeps the confidence
the recogniser gave, so a new recogniser production or cue works unchanged
until the table is regenerated.

Samples
-------
A sample is one prediction as ``kg eval`` scores it (:mod:`kg.eval`, after its
de-duplication): an entity counts once for each key among its mentions, a
relation once for each key among its evidence, and it is correct when the
scorer counts it as a true positive (relations: strict).  An entity's
confidence is then the best of its mentions', a relation's the best of its
evidence's, as :mod:`kg.jsonl` writes them.  ``scripts/calibrate.py`` counts the
two web sets by default; it says why in the table's header.

Smoothing
---------
A key with ``n`` samples of which ``k`` were correct gives the posterior mean
of a Beta prior of weight :data:`PRIOR_WEIGHT` centred on the recogniser's own
confidence ``c``: ``(k + W * c) / (n + W)``.  So a rare key moves only part of
the way from ``c`` to its measured precision, and a key measured at 100 % still
stays below 1 when ``c`` is.

>>> table = parse_table(
...     ["unit\\tlabel\\tsource\\tdetail\\tn\\tcorrect\\tprecision",
...      "mention\\tProgram\\tprogram.head\\t*\\t20\\t10\\t0.5000"], "demo.tsv")
>>> table.mention_confidence("Program", "program.head", "head", 0.7)
0.518
>>> table.mention_confidence("Program", "program.new", None, 0.7)  # unseen: unchanged
0.7
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from kg.errors import DataError
from kg.model import DocResult

__all__ = [
    "ANY",
    "COLUMNS",
    "MIN_SAMPLES",
    "NONE",
    "PRIOR_WEIGHT",
    "CalibrationTable",
    "Cell",
    "Key",
    "calibrate",
    "evidence_keys",
    "load_calibration",
    "mention_keys",
    "parse_table",
]

#: Where the table lives, under ``ontology/``.
TABLE_PATH = ("lexicon", "calibration.tsv")
#: The header row of the table.
COLUMNS = ("unit", "label", "source", "detail", "n", "correct", "precision")
#: A key with fewer samples than this is not used (the next, coarser key is tried).
MIN_SAMPLES = 5
#: The weight (in samples) of the Beta prior centred on the recogniser's own confidence.
PRIOR_WEIGHT = 2.0
#: The ``detail`` of a back-off row, and of a mention/evidence with no kind/trigger.
ANY = "*"
NONE = "-"
#: Calibrated confidences are rounded like the extractors' own (3 decimals).
DIGITS = 3

Key = tuple[str, str, str, str]  # (unit, label, source, detail)


def mention_keys(type_: str, recogniser: str, kind: str | None) -> tuple[Key, Key]:
    """The keys of a mention, most specific first.

    >>> for key in mention_keys("UnionBody", "org.region", "federation"):
    ...     print(key)
    ('mention', 'UnionBody', 'org.region', 'federation')
    ('mention', 'UnionBody', 'org.region', '*')
    """
    return (
        ("mention", type_, recogniser, kind or NONE),
        ("mention", type_, recogniser, ANY),
    )


def evidence_keys(predicate: str, extractor: str, trigger: str | None) -> tuple[Key, Key]:
    """The keys of a piece of relation evidence, most specific first.

    >>> evidence_keys("runs", "runs", None)[0]
    ('evidence', 'runs', 'runs', '-')
    """
    return (
        ("evidence", predicate, extractor, trigger or NONE),
        ("evidence", predicate, extractor, ANY),
    )


@dataclass(frozen=True, slots=True)
class Cell:
    """The samples of one key: how many predictions, and how many were correct."""

    n: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.n if self.n else 0.0

    def confidence(self, prior: float) -> float:
        """The smoothed precision, with a Beta prior of mean ``prior``."""
        value = (self.correct + PRIOR_WEIGHT * prior) / (self.n + PRIOR_WEIGHT)
        return round(min(1.0, max(0.0, value)), DIGITS)


class CalibrationTable:
    """Key -> :class:`Cell`; looks up the confidence of a mention or evidence."""

    __slots__ = ("_memo", "cells")

    def __init__(self, cells: dict[Key, Cell]) -> None:
        self.cells = cells
        # (unit, label, source, detail or None, current confidence) -> calibrated
        self._memo: dict[tuple[object, ...], float] = {}

    def __len__(self) -> int:
        return len(self.cells)

    def cell(self, keys: Iterable[Key]) -> Cell | None:
        """The first of ``keys`` with at least :data:`MIN_SAMPLES` samples."""
        for key in keys:
            cell = self.cells.get(key)
            if cell is not None and cell.n >= MIN_SAMPLES:
                return cell
        return None

    def mention_confidence(
        self, type_: str, recogniser: str, kind: str | None, current: float
    ) -> float:
        """The calibrated confidence of a mention the recogniser gave ``current``."""
        return self._calibrated(
            ("mention", type_, recogniser, kind, current),
            lambda: mention_keys(type_, recogniser, kind),
            current,
        )

    def evidence_confidence(
        self, predicate: str, extractor: str, trigger: str | None, current: float
    ) -> float:
        """The calibrated confidence of evidence its extractor gave ``current``."""
        return self._calibrated(
            ("evidence", predicate, extractor, trigger, current),
            lambda: evidence_keys(predicate, extractor, trigger),
            current,
        )

    def _calibrated(
        self, memo_key: tuple[object, ...], keys: Callable[[], Iterable[Key]], current: float
    ) -> float:
        """``current`` through the first cell of ``keys()`` with enough samples (memoised)."""
        value = self._memo.get(memo_key)
        if value is None:
            cell = self.cell(keys())
            value = self._memo[memo_key] = current if cell is None else cell.confidence(current)
        return value


def _int(text: str, what: str, where: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise DataError(
            f"{where}: {what} {text!r} is not a whole number",
            hint="regenerate the table with: python scripts/calibrate.py",
        ) from None
    if value < 0:
        raise DataError(
            f"{where}: {what} {value} is negative",
            hint="regenerate the table with: python scripts/calibrate.py",
        )
    return value


def parse_table(lines: Sequence[str], source: str) -> CalibrationTable:
    """Parse the lines of a calibration table (``#`` comments, header, rows).

    Raises :class:`~kg.errors.DataError` naming ``source`` and the line when the
    header, a column count, a number or a precision is wrong, or a key repeats.
    """
    fix = "regenerate the table with: python scripts/calibrate.py"
    cells: dict[Key, Cell] = {}
    header = False
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\r\n").split("\t")
        where = f"{source}:{lineno}"
        if not header:
            if tuple(cols) != COLUMNS:
                raise DataError(
                    f"{where}: expected the header {' | '.join(COLUMNS)}, found {' | '.join(cols)}",
                    hint=fix,
                )
            header = True
            continue
        if len(cols) != len(COLUMNS) or not all(c.strip() for c in cols):
            raise DataError(
                f"{where}: expected {len(COLUMNS)} non-empty tab-separated columns "
                f"({', '.join(COLUMNS)}), found {len(cols)}",
                hint=fix,
            )
        unit, label, src, detail, n_text, k_text, p_text = (c.strip() for c in cols)
        if unit not in ("mention", "evidence"):
            raise DataError(f"{where}: unit {unit!r} is not mention or evidence", hint=fix)
        n = _int(n_text, "n", where)
        k = _int(k_text, "correct", where)
        if k > n:
            raise DataError(f"{where}: correct {k} is more than n {n}", hint=fix)
        try:
            precision = float(p_text)
        except ValueError:
            raise DataError(f"{where}: precision {p_text!r} is not a number", hint=fix) from None
        if not 0.0 <= precision <= 1.0:
            raise DataError(f"{where}: precision {precision} is outside [0, 1]", hint=fix)
        if n and abs(precision - k / n) > 5e-4:
            raise DataError(
                f"{where}: precision {p_text} is not correct/n = {k}/{n}",
                hint=fix,
            )
        key: Key = (unit, label, src, detail)
        if key in cells:
            raise DataError(f"{where}: the key {' | '.join(key)} appears twice", hint=fix)
        cells[key] = Cell(n, k)
    if not header:
        raise DataError(f"{source}: the calibration table has no header row", hint=fix)
    return CalibrationTable(cells)


@cache
def load_calibration() -> CalibrationTable:
    """The shipped table (read once, on first use)."""
    from kg.resources import data_path

    path = data_path(*TABLE_PATH)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(
            f"cannot read the calibration table {path}: {exc}",
            hint="restore it from the repository or run: python scripts/calibrate.py",
        ) from exc
    return parse_table(text.splitlines(), str(path))


def calibrate(result: DocResult, table: CalibrationTable | None = None) -> DocResult:
    """Calibrate the mention and evidence confidences of ``result`` in place; return it.

    ``table`` defaults to the shipped one.  Entities, mentions and relations stay
    the same objects; only their confidences change (and so which evidence is a
    relation's best).  Each object is calibrated once even if it is reachable
    twice.  Calibrate a copy (``copy.deepcopy``) to keep the raw values.
    """
    table = load_calibration() if table is None else table
    if not len(table):
        return result
    done: set[int] = set()
    entities = result.entities
    for m in result.mentions:
        ent = entities.get(m.entity)
        if ent is None or id(m) in done:
            continue
        done.add(id(m))
        m.confidence = table.mention_confidence(ent.type, m.recogniser, ent.kind, m.confidence)
    for rel in result.relations:
        for ev in rel.evidence:
            if id(ev) in done:
                continue
            done.add(id(ev))
            ev.confidence = table.evidence_confidence(
                rel.p, ev.extractor, ev.trigger, ev.confidence
            )
    return result
