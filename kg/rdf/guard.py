"""What a query may do before it runs: read only, and nothing leaves this machine.

A build is read-only and queries never reach the network unless asked to.  The
checks here read the query's *tokens* (comments, string literals and IRIs are
skipped, so ``"SERVICE"`` in a literal or ``<http://x/service>`` is no keyword)
and refuse, before any engine sees the text:

* an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``,
  ``ADD``, ``MOVE``, ``COPY``): the build is read-only;
* a federated pattern (``SERVICE``), unless the caller allows it: a query would
  otherwise open connections to whatever host the text names.

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
>>> check_query('SELECT * WHERE { ?s ?p "SERVICE" }  # SERVICE in a comment')
>>> def refused(q):
...     try:
...         check_query(q)
...     except QueryError as exc:
...         return exc.message
>>> refused("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
'queries do not leave this machine: the query asks for SERVICE <http://127.0.0.1:9/>'
>>> refused("DROP ALL")
'updates are not supported: the build is read-only (DROP starts an update)'
>>> check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=True)
"""

from __future__ import annotations

import re

from kg.errors import QueryError

__all__ = ["UPDATE_KEYWORDS", "check_query", "is_update", "keywords", "uses_service"]

#: Keywords that start a SPARQL 1.1 Update operation.
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

# one token at a time: what is skipped (comments, strings, IRIs), then words
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?)
    | (?P<other>\S)
    """,
    re.X | re.S,
)


def keywords(text: str) -> list[tuple[str, int]]:
    """The bare words of a query (upper-cased) with their offsets; prefixed names
    (``kg:runs``), variables, literals, IRIs and comments are left out.

    >>> [w for w, _ in keywords('PREFIX kg: <x:> SELECT ?s { ?s kg:runs "DROP" }')]
    ['PREFIX', 'SELECT']
    """
    out: list[tuple[str, int]] = []
    for m in _TOKEN.finditer(text):
        word = m.group("word")
        if word is not None and ":" not in word:
            out.append((word.upper(), m.start()))
    return out


def _iri_after(text: str, pos: int) -> str:
    m = re.compile(r"\s*(?:SILENT\s+)?(<[^>]*>|\S+)", re.I).match(text, pos)
    return m.group(1) if m else ""


def _first_word(words: list[tuple[str, int]]) -> str | None:
    """The first keyword after the PREFIX/BASE declarations."""
    return next((w for w, _at in words if w not in ("PREFIX", "BASE")), None)


def is_update(text: str) -> bool:
    """Whether SPARQL text is an update (its first keyword starts one).

    >>> is_update("PREFIX x: <http://x/> DROP ALL"), is_update("SELECT * {}")
    (True, False)
    """
    return _first_word(keywords(text)) in UPDATE_KEYWORDS


def uses_service(text: str) -> bool:
    """Whether a SPARQL query has a ``SERVICE`` clause (a federated query).

    >>> uses_service("select * { service silent <http://x/> {} }")
    True
    >>> uses_service('SELECT ?service { ?service ?p "SERVICE" } # SERVICE')
    False
    """
    return any(w == "SERVICE" for w, _at in keywords(text))


def check_query(text: str, *, allow_service: bool = False) -> None:
    """Raise :class:`~kg.errors.QueryError` for an update, or for ``SERVICE`` unless
    ``allow_service``; nothing is connected to or changed."""
    words = keywords(text)
    first = _first_word(words)  # an update starts with its keyword
    if first in UPDATE_KEYWORDS:
        raise QueryError(
            f"updates are not supported: the build is read-only ({first} starts an update)",
            hint="ask with SELECT, ASK, CONSTRUCT or DESCRIBE; rebuild with kg build to change it",
        )
    if allow_service:
        return
    for w, at in words:
        if w == "SERVICE":
            target = _iri_after(text, at + len("SERVICE"))
            raise QueryError(
                f"queries do not leave this machine: the query asks for SERVICE {target}",
                hint="remove the SERVICE pattern, or pass --allow-service to permit it",
            )
