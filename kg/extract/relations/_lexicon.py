"""Trigger and cue word tables of the relation extractors, read from ``ontology/lexicon``.

The tables are data (``ontology/lexicon/triggers_*.tsv``): one cue per line,
tab-separated ``cue  role  confidence``, a header row and ``#`` comments.  This
module parses and validates them once (lazily, on first use) and answers the
questions the extractors ask: which cues of a role occur where in a text.

>>> table = parse_table(["cue\\trole\\tconfidence", "开展\\trun\\t0.8"], "demo.tsv")
>>> table.cues("run")
('开展',)
>>> table.confidence("开展", "run")
0.8
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import ahocorasick_rs

from kg.errors import DataError
from kg.resources import data_path

#: The roles each table may use; anything else is a broken data file.
ROLES: dict[str, frozenset[str]] = {
    "triggers_runs.tsv": frozenset(
        {
            "run",
            "host",
            "carrier",
            "via",
            "use",
            "join",
            "support",
            "false",
            "therein",
            "premises",
            "receive",
            "supported",
            "launched",
            "event_of",
            "role_of",
        }
    ),
    "triggers_cooperation.tsv": frozenset(
        {"partner", "conj", "joint", "relation", "separate", "false", "attend"}
    ),
    "triggers_serves.tsv": frozenset(
        {"serve", "focus", "name", "false", "arrange", "attend", "take", "as", "scope"}
    ),
    "triggers_context.tsv": frozenset(
        {
            "adverbial",
            "preposition",
            "agent",
            "pair",
            "event",
            "determiner",
            "head",
            "circum",
            "blocked",
            "governor",
            "co_equal",
            "verb",
        }
    ),
}


#: An automaton over a table's cues, the cue of each pattern index, its (role, weight)s.
_RoleWeights = tuple[tuple[str, float], ...]
_Compiled = tuple[ahocorasick_rs.AhoCorasick, tuple[str, ...], tuple[_RoleWeights, ...]]


@dataclass(frozen=True, slots=True)
class CueTable:
    """The cues of one trigger file, by role, longest cue first."""

    source: str
    by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)
    weights: dict[tuple[str, str], float] = field(default_factory=dict)
    # role -> first character -> cues starting with it, longest first
    index: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # text -> (its matches, role -> its hits): each text is scanned once for every role,
    # the hits of a role made when it is asked
    _memo: dict[str, tuple[list[tuple[int, int, int]], dict[str, tuple[Hit, ...]]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # "" -> (automaton over every cue, the cue of each pattern, its (role, weight)s)
    _automata: dict[str, _Compiled | None] = field(default_factory=dict, repr=False, compare=False)
    # role -> last character -> cues ending with it, longest first
    _ends: dict[str, dict[str, tuple[str, ...]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def cues(self, role: str) -> tuple[str, ...]:
        """The cues of ``role``, longest first (so that longer cues win a tie)."""
        return self.by_role.get(role, ())

    def confidence(self, cue: str, role: str) -> float:
        """The confidence the table gives ``cue`` in ``role`` (0.0 when absent)."""
        return self.weights.get((cue, role), 0.0)

    def has(self, cue: str, role: str) -> bool:
        """Whether ``cue`` is listed with ``role``."""
        return (cue, role) in self.weights

    def find(self, text: str, role: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """All occurrences of the cues of ``role`` in ``text[start:end]``.

        Occurrences may overlap (``组织开展`` and ``开展``); callers pick.

        >>> t = parse_table(["cue\\trole\\tconfidence", "开展\\trun\\t0.8"], "demo.tsv")
        >>> [(h.start, h.end, h.cue) for h in t.find("工会开展活动", "run")]
        [(2, 4, '开展')]
        """
        stop = len(text) if end is None else end
        lo = max(0, start)
        if lo == 0 and stop >= len(text):
            yield from self.all_hits(text, role)
            return
        for h in self.all_hits(text, role):
            if h.start >= stop:
                break
            if h.start >= lo and h.end <= stop:
                yield h

    def all_hits(self, text: str, role: str) -> tuple[Hit, ...]:
        """Every occurrence of the cues of ``role`` in ``text``, by start, longest first.

        The text is scanned once (an Aho-Corasick automaton per role); the hits
        of the most recent texts are remembered, since the extractors ask about
        the same sentence many times -- within one document: :func:`forget_texts`
        clears them before each (a corpus that repeats sentences across documents
        gains nothing from them).

        >>> t = parse_table(["cue\\trole\\tconfidence", "开展\\trun\\t0.8",
        ...                  "组织开展\\trun\\t0.9"], "demo.tsv")
        >>> [(h.start, h.cue) for h in t.all_hits("工会组织开展活动", "run")]
        [(2, '组织开展'), (4, '开展')]
        """
        entry = self._memo.get(text)
        if entry is None:
            compiled = self._automaton()
            found: list[tuple[int, int, int]] = (
                []
                if compiled is None
                else compiled[0].find_matches_as_indexes(text, overlapping=True)
            )
            entry = (found, {})
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[text] = entry
        matches, by_role = entry
        hits = by_role.get(role)
        if hits is None:
            hits = by_role[role] = self._role_hits(matches, role)
        return hits

    def _role_hits(self, matches: list[tuple[int, int, int]], role: str) -> tuple[Hit, ...]:
        """The hits of ``role`` among one scan's matches (made when a role is asked)."""
        if not matches:
            return ()
        compiled = self._automaton()
        assert compiled is not None
        _automaton, cues, roles = compiled
        out: list[Hit] = []
        for index, start, end in matches:
            for r, weight in roles[index]:
                if r == role:
                    out.append(Hit(start, end, cues[index], role, weight))
                    break
        if len(out) > 1:
            out.sort(key=_by_start_longest_first)
        return tuple(out)

    def _automaton(self) -> _Compiled | None:
        """One automaton over the cues of every role (built on first use; ahocorasick_rs,
        as the recogniser's scan), the cue of each pattern and the roles that list it."""
        if "" in self._automata:
            return self._automata[""]
        roles_of: dict[str, list[tuple[str, float]]] = {}
        for role in sorted(self.by_role):
            for cue in self.by_role[role]:
                if cue:
                    entry = roles_of.setdefault(cue, [])
                    if all(r != role for r, _ in entry):
                        entry.append((role, self.weights[(cue, role)]))
        compiled: _Compiled | None = None
        if roles_of:
            cues = tuple(roles_of)
            automaton = ahocorasick_rs.AhoCorasick(
                list(cues), implementation=ahocorasick_rs.Implementation.ContiguousNFA
            )
            compiled = (automaton, cues, tuple(tuple(roles_of[c]) for c in cues))
        self._automata[""] = compiled
        return compiled

    def ends_with(self, text: str, role: str) -> Hit | None:
        """The longest cue of ``role`` that ``text`` ends with, as a hit into ``text``.

        >>> t = parse_table(["cue\\trole\\tconfidence", "在\\tgov\\t0", "所在\\tgov\\t0"], "d.tsv")
        >>> t.ends_with("工会所在", "gov").cue
        '所在'
        """
        if not text:
            return None
        by_last = self._ends.get(role)
        if by_last is None:
            grouped: dict[str, list[str]] = {}
            for cue in self.cues(role):  # longest first
                grouped.setdefault(cue[-1], []).append(cue)
            by_last = self._ends[role] = {ch: tuple(cs) for ch, cs in grouped.items()}
        for cue in by_last.get(text[-1], ()):
            if text.endswith(cue):
                n = len(text)
                return Hit(n - len(cue), n, cue, role, self.confidence(cue, role))
        return None

    def starts_at(self, text: str, pos: int, role: str, end: int | None = None) -> Hit | None:
        """The longest cue of ``role`` that ``text[pos:end]`` starts with, as a hit into
        that slice (like :meth:`starts_with` on it, without copying it).

        >>> t = parse_table(["cue\\trole\\tconfidence", "开展\\trun\\t0.8"], "demo.tsv")
        >>> t.starts_at("工会开展活动", 2, "run")
        Hit(start=0, end=2, cue='开展', role='run', confidence=0.8)
        >>> t.starts_at("工会开展活动", 2, "run", 3) is None
        True
        """
        stop = len(text) if end is None else min(end, len(text))
        if pos >= stop:
            return None
        for cue in self.index.get(role, {}).get(text[pos], ()):
            if text.startswith(cue, pos, stop):
                return Hit(0, len(cue), cue, role, self.confidence(cue, role))
        return None

    def starts_with(self, text: str, role: str) -> Hit | None:
        """The longest cue of ``role`` that ``text`` starts with, as a hit into ``text``."""
        if not text:
            return None
        for cue in self.index.get(role, {}).get(text[0], ()):
            if text.startswith(cue):
                return Hit(0, len(cue), cue, role, self.confidence(cue, role))
        return None


def _by_start_longest_first(hit: Hit) -> tuple[int, int]:
    return (hit.start, hit.start - hit.end)


#: How many texts' hits are remembered before the memory is cleared.
_MEMO_SIZE = 512


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a cue: half-open range in the searched text."""

    start: int
    end: int
    cue: str
    role: str
    confidence: float


def parse_table(lines: Iterable[str], source: str) -> CueTable:
    """Parse the lines of a trigger file; a malformed line is a :class:`DataError`.

    Parameters
    ----------
    lines:
        The file's lines (with or without line ends).
    source:
        The file name, for messages and for the allowed roles (:data:`ROLES`).
    """
    allowed = ROLES.get(source.rsplit("/", 1)[-1])
    by_role: dict[str, list[str]] = {}
    weights: dict[tuple[str, str], float] = {}
    header_seen = False
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if [c.strip() for c in cols[:3]] != ["cue", "role", "confidence"]:
                raise DataError(
                    f"{source}:{lineno}: expected the header 'cue<TAB>role<TAB>confidence'",
                    hint="restore the trigger file from the repository",
                )
            header_seen = True
            continue
        if len(cols) < 3 or not cols[0].strip():
            raise DataError(
                f"{source}:{lineno}: expected 3 tab-separated columns (cue, role, confidence)",
                hint="separate the columns with one TAB each",
            )
        cue, role, conf_text = cols[0].strip(), cols[1].strip(), cols[2].strip()
        if allowed is not None and role not in allowed:
            raise DataError(
                f"{source}:{lineno}: unknown role {role!r} for cue {cue!r}",
                hint=f"use one of: {', '.join(sorted(allowed))}",
            )
        try:
            conf = float(conf_text)
        except ValueError:
            raise DataError(
                f"{source}:{lineno}: confidence {conf_text!r} is not a number",
                hint="write a number between 0 and 1",
            ) from None
        if not 0.0 <= conf <= 1.0:
            raise DataError(
                f"{source}:{lineno}: confidence {conf} is outside [0, 1]",
                hint="write a number between 0 and 1",
            )
        if (cue, role) not in weights:
            by_role.setdefault(role, []).append(cue)
        weights[(cue, role)] = conf
    if not header_seen:
        raise DataError(
            f"{source}: the trigger file is empty", hint="restore it from the repository"
        )
    ordered = {r: tuple(sorted(c, key=len, reverse=True)) for r, c in by_role.items()}
    index: dict[str, dict[str, tuple[str, ...]]] = {}
    for role, cues in ordered.items():
        firsts: dict[str, list[str]] = {}
        for cue in cues:
            firsts.setdefault(cue[0], []).append(cue)
        index[role] = {ch: tuple(cs) for ch, cs in firsts.items()}
    return CueTable(source=source, by_role=ordered, weights=weights, index=index)


def forget_texts() -> None:
    """Clear every trigger table's remembered hits (done before each document)."""
    for name in _LOADED:
        table(name)._memo.clear()


_LOADED: set[str] = set()


@cache
def table(name: str) -> CueTable:
    """The parsed trigger file ``ontology/lexicon/<name>`` (read once)."""
    path = data_path("lexicon", name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(
            f"cannot read trigger file {path}: {exc}",
            hint="restore the file from the repository (UTF-8 text)",
        ) from None
    _LOADED.add(name)
    return parse_table(text.splitlines(), name)


def runs_cues() -> CueTable:
    """Cues of ``runs`` / ``participatesIn`` (``triggers_runs.tsv``)."""
    return table("triggers_runs.tsv")


def cooperation_cues() -> CueTable:
    """Cues of ``cooperatesWith`` (``triggers_cooperation.tsv``)."""
    return table("triggers_cooperation.tsv")


def serves_cues() -> CueTable:
    """Cues of ``serves`` (``triggers_serves.tsv``)."""
    return table("triggers_serves.tsv")


def context_cues() -> CueTable:
    """Clause-structure words (``triggers_context.tsv``)."""
    return table("triggers_context.tsv")
