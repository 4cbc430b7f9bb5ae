"""The one error hierarchy of union-kg.

Every error the tool raises on purpose is a :class:`KGError`.  Its message says
what went wrong *and* how to fix it, and its ``exit_code`` is what the CLI
exits with.  The codes are documented in README.md ("Exit codes").
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of all expected failures.  ``exit_code`` is the CLI's exit status."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message} ({hint})")

    def __str__(self) -> str:  # one line, always
        text = self.message if self.hint is None else f"{self.message}; {self.hint}"
        return " ".join(text.split())


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


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "validation found violations (kg validate) or eval fell below --min-f1",
    2: "usage error: a bad option or argument",
    3: "input error: a path is missing or no input file could be read",
    4: "query error: malformed SPARQL, unknown named query or bad --param",
    5: "output error: the output cannot be written",
    6: "data error: a shipped data file or a gold/prediction file is broken",
    70: "internal error: a bug; rerun with --debug and report the traceback",
    130: "interrupted (Ctrl-C); outputs are left as they were",
}
