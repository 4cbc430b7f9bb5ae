"""The one error hierarchy of union-kg.

Every error the tool raises on purpose is a :class:`KGError`.  Its message says
what went wrong *and* how to fix it, and its ``exit_code`` is what the CLI
exits with.  The codes are documented in README.md ("Exit codes").
"""

from __future__ import annotations

import os
import unicodedata

# Characters that would break a message line or change the terminal: controls
# (newline, ESC...), format characters (bidi overrides...), line and paragraph
# separators, and the lone surrogates that stand for undecodable file-name bytes.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(name: str | bytes | os.PathLike[str]) -> str:
    """A file name (or any text) as it appears in a message: printable, on one line.

    Line breaks and tabs become ``\\n``, ``\\r`` and ``\\t``, other control and
    format characters ``\\x1b`` or ``\\u202e``, and the bytes of a file name that
    are not UTF-8 (which Python keeps as lone surrogates) ``\\xff``; everything
    else, Chinese included, is kept as it is.

    >>> shown("江苏\\n.txt")
    '江苏\\\\n.txt'
    >>> shown(b"bad\\xff\\xfe.txt")
    'bad\\\\xff\\\\xfe.txt'
    """
    text = os.fsdecode(name) if isinstance(name, bytes) else os.fspath(name)
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        if unicodedata.category(ch) not in _HIDDEN_CATEGORIES:
            out.append(ch)
        elif ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # an undecodable byte (surrogateescape)
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


class KGError(Exception):
    """Base class of all expected failures.  ``exit_code`` is the CLI's exit status."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message} ({hint})")

    def __str__(self) -> str:  # one printable line, always (names belong in shown())
        text = self.message if self.hint is None else f"{self.message}; {self.hint}"
        return shown(" ".join(text.split()))


class UsageError(KGError):
    """The command line itself is wrong (bad option value, missing argument)."""

    exit_code = 2


class InputError(KGError):
    """An input path is missing, unreadable, binary, empty or undecodable."""

    exit_code = 3


class QueryError(KGError):
    """A SPARQL query (or a named query, or a --param) is malformed or unknown."""

    exit_code = 4

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.line = line
        self.column = column
        super().__init__(message, hint=hint)


class OutputError(KGError):
    """The output directory or file cannot be written (or is not a build directory)."""

    exit_code = 5


class DataError(KGError):
    """A shipped data file (ontology, lexicon, gazetteer) or a gold file is broken."""

    exit_code = 6


class ValidationFailed(KGError):
    """SHACL validation found violations (``kg validate``)."""

    exit_code = 1


class ClusterError(KGError):
    """``--dask``: Dask is not installed, the scheduler or its workers cannot be used."""

    exit_code = 7


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "validation found violations (kg validate) or eval fell below --min-f1",
    2: "usage error: a bad option or argument",
    3: "input error: a path is missing or no input file could be read",
    4: "query error: malformed SPARQL, unknown named query or bad --param",
    5: "output error: the output cannot be written",
    6: "data error: a shipped data file or a gold/prediction file is broken",
    7: "cluster error: Dask is missing, the scheduler is unreachable or a worker lacks union-kg",
    70: "internal error: a bug; rerun with --debug and report the traceback",
    130: "interrupted (Ctrl-C); outputs are left as they were",
}
