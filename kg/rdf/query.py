"""Named SPARQL questions and ad-hoc queries over a build directory.

Named questions live in ``ontology/queries/*.rq``; each starts with a comment
header::

    # title: Partners of a body
    # description: Organisations that cooperate with the body, either direction.
    # param: body (label) = 江苏省总工会 -- name or alias of the body

An ad-hoc query (SPARQL text) may declare its parameters with the same
``# param:`` lines; undeclared parameters of ad-hoc queries are bound as plain
string literals (or IRIs when written ``<…>``).

Parameter types: ``label`` (a ``"…"@zh`` literal, the default), ``string``
(a plain literal), ``iri``, ``kg`` (a local name in the ``kg:`` namespace, e.g.
``cooperatesWith``) and ``integer``.  Values are *bound* to the query's variables
(pyoxigraph substitutions, rdflib ``initBindings``); they are never spliced into
the query text, so quotes or braces in a value cannot change the query.  A bound
variable must appear in the query's ``SELECT`` list (oxigraph's rule).

Standard prefixes (kg, id, rdf, rdfs, owl, xsd, skos, org, prov, schema,
dcterms) are predeclared.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

import pyoxigraph as ox

from kg.errors import DataError, QueryError
from kg.rdf.guard import check_query, is_update
from kg.rdf.prefixes import PREFIXES
from kg.resources import ontology_dir

Format = Literal["table", "csv", "json"]
FORMATS: tuple[str, ...] = ("table", "csv", "json")
PARAM_TYPES: tuple[str, ...] = ("label", "string", "iri", "kg", "integer")
_XSD = "http://www.w3.org/2001/XMLSchema#"

_HEADER = re.compile(r"#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<type>[a-z]+)\))?\s*"
    r"(?:=\s*(?P<default>.*?))?\s*(?:--\s*(?P<help>.*))?$"
)
_POS = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S)
_KEYWORD = re.compile(r"^\s*(?:(?:PREFIX|BASE)\b|SELECT\b|ASK\b|CONSTRUCT\b|DESCRIBE\b|#)", re.I)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_LATERAL = re.compile(r"\bLATERAL\s*\{")
_LATERAL_OPTIONAL = re.compile(r"\bLATERAL\s*\{\s*OPTIONAL\s*\{")


@dataclass(frozen=True)
class NamedQuery:
    """A named question from ``ontology/queries``."""

    name: str
    title: str
    description: str
    params: list[str] = field(default_factory=list)  # parameter names, in header order
    defaults: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    help: dict[str, str] = field(default_factory=dict)
    text: str = ""
    path: Path | None = None

    def usage(self) -> str:
        """One paragraph describing the query and its parameters."""
        lines = [f"{self.name}: {self.title}", f"  {self.description}"]
        for p in self.params:
            lines.append(
                f"  --param {p}=…  ({self.types[p]}, default {self.defaults.get(p, '')!r})"
                + (f" {self.help[p]}" if self.help.get(p) else "")
            )
        return "\n".join(lines)


def parse_header(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Read the comment header of a query file.

    >>> q = parse_header("# title: T\\n# param: x (kg) = runs -- a predicate\\nSELECT ?x {}", "t")
    >>> q.title, q.params, q.types["x"], q.defaults["x"], q.help["x"]
    ('T', ['x'], 'kg', 'runs', 'a predicate')
    """
    title = ""
    description: list[str] = []
    params: list[str] = []
    defaults: dict[str, str] = {}
    types: dict[str, str] = {}
    helps: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        else:
            pm = _PARAM.match(value)
            ptype = (pm.group("type") or "label") if pm else ""
            if pm is None or ptype not in PARAM_TYPES:
                raise DataError(
                    f"query {name}: bad parameter line {value!r}",
                    hint="write '# param: name (label|string|iri|kg|integer) = default -- help'",
                )
            pname = pm.group("name")
            params.append(pname)
            types[pname] = ptype
            if pm.group("default") is not None:
                defaults[pname] = pm.group("default")
            helps[pname] = (pm.group("help") or "").strip()
    return NamedQuery(
        name, title or name, " ".join(description), params, defaults, types, helps, text, path
    )


def queries_dir() -> Path:
    """Where the named queries live (``ontology/queries``)."""
    return ontology_dir() / "queries"


def list_named() -> list[NamedQuery]:
    """All named questions, sorted by name."""
    out = []
    for path in sorted(queries_dir().glob("*.rq")):
        out.append(parse_header(path.read_text(encoding="utf-8"), path.stem, path))
    return out


def resolve(query: str) -> tuple[str, NamedQuery | None]:
    """Turn a query name, a ``.rq`` file path or SPARQL text into query text."""
    named = {q.name: q for q in list_named()}
    if query in named:
        return named[query].text, named[query]
    if is_update(query):  # DROP ALL, INSERT DATA…: say so, not "unknown named query"
        check_query(query, allow_service=True)
    looks_like_path = "\n" not in query and (query.endswith((".rq", ".sparql")) or "/" in query)
    if looks_like_path and not _KEYWORD.match(query):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"query file {query} does not exist", hint="pass an existing .rq file")
        text = path.read_text(encoding="utf-8")
        return text, parse_header(text, path.stem, path)
    if _KEYWORD.match(query) or "{" in query:
        header = parse_header(query, "query")
        return query, header if header.params else None
    raise QueryError(
        f"unknown named query {query!r}",
        hint=f"use one of {', '.join(sorted(named))}, a .rq file, or SPARQL text (kg query --list)",
    )


def to_term(value: str, ptype: str, name: str) -> ox.NamedNode | ox.Literal:
    """A parameter value as an RDF term of type ``ptype``."""
    if ptype == "label":
        return ox.Literal(value, language="zh")
    if ptype == "string":
        return ox.Literal(value)
    if ptype == "integer":
        try:
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
        except ValueError:
            raise QueryError(
                f"--param {name}={value!r} is not an integer", hint="pass digits"
            ) from None
    if ptype == "kg":
        if not _LOCAL.fullmatch(value):
            raise QueryError(
                f"--param {name}={value!r} is not a kg: term",
                hint="pass a local name such as cooperatesWith, runs, participatesIn or serves",
            )
        return ox.NamedNode(PREFIXES["kg"] + value)
    iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if not iri or _BAD_IRI.search(iri) or ":" not in iri:
        raise QueryError(f"--param {name}={value!r} is not an IRI", hint="pass an absolute IRI")
    return ox.NamedNode(iri)


def bindings(
    named: NamedQuery | None, params: dict[str, str]
) -> dict[str, ox.NamedNode | ox.Literal]:
    """The substitutions for ``params`` (plus the named query's defaults)."""
    out: dict[str, ox.NamedNode | ox.Literal] = {}
    if named is not None:
        unknown = sorted(set(params) - set(named.params))
        if unknown:
            expected = ", ".join(named.params) or "none"
            raise QueryError(
                f"query {named.name} has no parameter {', '.join(unknown)}",
                hint=f"its parameters: {expected}",
            )
        for p in named.params:
            value = params.get(p, named.defaults.get(p))
            if value is None:
                raise QueryError(
                    f"query {named.name} needs --param {p}=…", hint=named.help.get(p) or None
                )
            out[p] = to_term(value, named.types[p], p)
        return out
    for p, value in params.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p):
            raise QueryError(f"--param name {p!r} is not a SPARQL variable name")
        is_iri = value.startswith("<") and value.endswith(">")
        out[p] = to_term(value, "iri" if is_iri else "string", p)
    return out


def syntax_error(exc: BaseException, query: str = "") -> QueryError:
    """A :class:`QueryError` with line and column from a parser's error.

    The position is the parser's (oxigraph: 1-based, where parsing stopped, at
    or just after the offending token); the message quotes that line of ``query``.
    """
    text = str(exc)
    line = column = None
    m = _POS.match(text)
    if m:
        line, column, text = int(m.group(1)), int(m.group(2)), m.group(3)
    else:  # rdflib / pyparsing: "... (at char 10), (line:1, col:11)"
        pm = re.search(r"line:(\d+), col:(\d+)", text)
        if pm:
            line, column = int(pm.group(1)), int(pm.group(2))
    text = " ".join(text.split())
    if "Prefix not found" in text:
        text = "unknown prefix (declare it with PREFIX)"
    elif len(text) > 160:
        text = text[:157] + "..."
    where = f" at line {line}, column {column}" if line is not None else ""
    lines = query.splitlines()
    if line is not None and 0 < line <= len(lines) and lines[line - 1].strip():
        near = lines[line - 1].strip()
        text += f"; near {near[:60]!r}"
    return QueryError(
        f"malformed SPARQL{where}: {text}",
        hint="fix the query; predeclared prefixes: " + ", ".join(PREFIXES),
        line=line,
        column=column,
    )


# ---------------------------------------------------------------- results

Cell = tuple[str, str, str | None, str | None]  # kind (uri|literal|bnode), value, lang, datatype


def _cell(term: Any) -> Cell | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else None
        return ("literal", term.value, term.language, dt)
    from rdflib import BNode as RBNode
    from rdflib import Literal as RLiteral
    from rdflib import URIRef

    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, RBNode):
        return ("bnode", str(term), None, None)
    if isinstance(term, RLiteral):
        rdt = str(term.datatype) if term.datatype is not None else None
        return ("literal", str(term), term.language, rdt)
    return ("literal", str(term), None, None)


@dataclass
class Result:
    """Query results in an engine-neutral form."""

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[str] = field(default_factory=list)  # N-Triples lines


def _nt(c: Cell) -> str:
    kind, value, lang, dt = c
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = json.dumps(value, ensure_ascii=False)
    if lang:
        return f"{text}@{lang}"
    if dt and dt != _XSD + "string":
        return f"{text}^^<{dt}>"
    return text


def _short(c: Cell | None) -> str:
    if c is None:
        return ""
    kind, value, _, _ = c
    if kind == "uri":
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns):
                return f"{prefix}:{unquote(value[len(ns) :])}"
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    return value


#: the wide characters seen so far, each mapped to two columns (see :func:`_width`)
_WIDE: dict[int, str] = {}
_KNOWN: set[str] = set()


def _width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for a wide (W, F) character.

    >>> _width("abc"), _width("工会 ab"), _width("ＡＩ")
    (3, 7, 4)

    Each character's width is looked up once per process; after that a cell is
    measured by :meth:`str.translate` in C (a 5,000-row table of sentences took
    0.24 s character by character).
    """
    if text.isascii():
        return len(text)
    new = set(text) - _KNOWN
    if new:
        for ch in new:
            if unicodedata.east_asian_width(ch) in "WF":
                _WIDE[ord(ch)] = "  "
        _KNOWN.update(new)
    return len(text.translate(_WIDE))


def _pad(text: str, width: int, own: int) -> str:
    return text + " " * (width - own)


def format_result(res: Result, fmt: str) -> str:
    """Render a :class:`Result` as ``table``, ``csv`` or ``json``."""
    if res.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": res.boolean}) + "\n"
        return ("true" if res.boolean else "false") + "\n"
    if res.kind == "graph":
        return "".join(line + "\n" for line in res.triples)
    if fmt == "json":
        bindings_ = []
        for row in res.rows:
            b: dict[str, dict[str, str]] = {}
            for var, c in zip(res.variables, row, strict=True):
                if c is None:
                    continue
                kind, value, lang, dt = c
                entry = {"type": kind, "value": value}
                if lang:
                    entry["xml:lang"] = lang
                elif dt and kind == "literal" and dt != _XSD + "string":
                    entry["datatype"] = dt
                b[var] = entry
            bindings_.append(b)
        doc = {"head": {"vars": res.variables}, "results": {"bindings": bindings_}}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(res.variables)
        for row in res.rows:
            writer.writerow(["" if c is None else c[1] for c in row])
        return buf.getvalue()
    table = [[_short(c) for c in row] for row in res.rows]
    head = [(v, _width(v)) for v in res.variables]
    cells = [[(v, _width(v)) for v in r] for r in table]  # each cell measured once
    widths = [max([w, *(r[i][1] for r in cells)]) for i, (_v, w) in enumerate(head)]

    def line(row: list[tuple[str, int]]) -> str:
        return "  ".join(_pad(v, w, own) for (v, own), w in zip(row, widths, strict=True)).rstrip()

    lines = [line(head), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in cells]
    n = len(table)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- engines


def query_oxigraph(
    store: ox.Store, text: str, subs: dict[str, ox.NamedNode | ox.Literal]
) -> Result:
    """Run ``text`` on a pyoxigraph store (see :func:`kg.rdf.store.open_build`).

    The default graph is the store's default graph, which ``open_build`` fills
    with the merge of all graphs; ``GRAPH ?g`` reaches the per-article graphs.
    """
    with _engine_errors(text):
        return _collect(_ask(store, text, subs))


def _ask(store: ox.Store, text: str, subs: dict[str, ox.NamedNode | ox.Literal]) -> Any:
    return store.query(
        text,
        prefixes=PREFIXES,
        substitutions={ox.Variable(k): v for k, v in subs.items()} or None,
    )


@contextlib.contextmanager
def _engine_errors(text: str) -> Iterator[None]:
    """oxigraph's errors as :class:`QueryError` (a moved store as ``StoreMoved``)."""
    from kg.rdf.store import StoreMoved, moved

    try:
        yield
    except SyntaxError as exc:
        raise syntax_error(exc, text) from None
    except (RuntimeError, ValueError, OSError) as exc:
        if moved(exc):
            raise StoreMoved(str(exc)) from exc
        msg = str(exc)
        hint = "add the parameter's variable to the SELECT list" if "projection" in msg else None
        raise QueryError(f"the query cannot be run: {msg}", hint=hint) from None


def stream_csv(
    dir: Path,
    query_or_file_or_name: str,
    params: dict[str, str] | None,
    out: Any,
    *,
    allow_service: bool = False,
) -> None:
    """Write the answer of a query on the build in ``dir`` to ``out`` as CSV, each
    row of a SELECT as it comes from the engine (memory stays bounded however many
    rows there are); other answers as :func:`run` renders them."""
    from kg.rdf.store import open_build

    text, named = resolve(query_or_file_or_name)
    check_query(text, allow_service=allow_service)
    subs = bindings(named, dict(params or {}))
    with _engine_errors(text):
        answer = _ask(open_build(Path(dir)).ox, text, subs)
        if not isinstance(answer, ox.QuerySolutions):
            out.write(format_result(_collect(answer), "csv"))
            return
        variables = [v.value for v in answer.variables]
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        for sol in answer:
            writer.writerow(["" if (c := _cell(sol[v])) is None else c[1] for v in variables])


def _on_build(dir: Path, text: str, subs: dict[str, ox.NamedNode | ox.Literal]) -> Result:
    """Open the build's store and run the query; again if a new build replaced it meanwhile."""
    from kg.errors import InputError
    from kg.rdf.store import StoreMoved, open_build

    for _attempt in range(5):
        try:
            return query_oxigraph(open_build(Path(dir)).ox, text, subs)
        except StoreMoved:
            continue
    raise InputError(
        f"the build in {dir} kept changing while it was read", hint="run the query again"
    )


def _collect(answer: Any) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        # a solution iterates over its values in the order of the variables (None when
        # unbound): cheaper than looking each one up by name
        rows = [[_cell(term) for term in sol] for sol in answer]
        return Result("select", variables, rows)
    lines = sorted(
        f"{_nt(_cell(t.subject))} {_nt(_cell(t.predicate))} {_nt(_cell(t.object))} ."  # type: ignore[arg-type]
        for t in answer
    )
    return Result("graph", triples=lines)


def query_rdflib(graph: Any, text: str, subs: dict[str, ox.NamedNode | ox.Literal]) -> Result:
    """Run ``text`` with rdflib's own SPARQL engine on an rdflib graph or dataset."""
    from pyparsing import ParseException
    from rdflib import Literal as RLiteral
    from rdflib import URIRef, Variable

    init: dict[Variable, Any] = {}
    for k, v in subs.items():
        if isinstance(v, ox.NamedNode):
            init[Variable(k)] = URIRef(v.value)
        else:
            dt = v.datatype.value if v.datatype is not None and not v.language else None
            if dt == _XSD + "string":
                dt = None
            init[Variable(k)] = RLiteral(v.value, lang=v.language, datatype=dt)
    # rdflib has no LATERAL; with the values bound up front, ``LATERAL { OPTIONAL { X } }``
    # is ``OPTIONAL { { X } }`` (same braces) and ``LATERAL { X }`` a plain group
    text = _LATERAL.sub("{", _LATERAL_OPTIONAL.sub("OPTIONAL { {", text))
    try:
        answer = graph.query(text, initNs=PREFIXES, initBindings=init)
        if answer.type == "SELECT":
            rows_ = list(answer)
    except ParseException as exc:
        raise syntax_error(exc, text) from None
    except TimeoutError:
        raise
    except Exception as exc:  # rdflib's evaluator raises assorted errors
        raise QueryError(
            f"rdflib's SPARQL engine failed: {type(exc).__name__}: {exc}",
            hint="run the query on the default oxigraph engine",
        ) from None
    if answer.type == "ASK":
        return Result("ask", boolean=bool(answer.askAnswer))
    if answer.type == "SELECT":
        variables = [str(v) for v in answer.vars or []]
        rows = [[_cell(row[i]) for i in range(len(variables))] for row in rows_]
        return Result("select", variables, rows)
    return Result(
        "graph",
        triples=sorted(
            " ".join(_nt(_cell(t)) for t in trip) + " ."  # type: ignore[arg-type]
            for trip in answer
        ),
    )


def rdflib_dataset(dir: Path) -> Any:
    """The build in ``dir`` as an rdflib ``Dataset(default_union=True)``, for rdflib's engine.

    Parses ``graph.trig`` (and ``inferred.trig``) and adds the default graph that
    :func:`kg.rdf.store.open_build` gives oxigraph (index links included, and the
    ontology when the build has a store), so that both engines read the same data.
    """
    from rdflib import Dataset

    from kg.rdf.store import check_build_dir, open_build

    graph = check_build_dir(Path(dir))
    ds = Dataset(default_union=True)
    for path in [graph, graph.with_name("inferred.trig")]:
        if path.is_file():
            ds.parse(path, format="trig")
    # the default graph as oxigraph sees it: ontology (with a store) and index links too
    data = open_build(Path(dir)).ox.dump(
        format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
    )
    ds.default_context.parse(data=(data or b"").decode("utf-8"), format="nt")
    return ds


def run(
    dir: Path,
    query_or_file_or_name: str,
    params: dict[str, str] | None = None,
    fmt: str = "table",
    *,
    engine: str = "oxigraph",
    allow_service: bool = False,
) -> str:
    """Run a named question, a ``.rq`` file or SPARQL text on the build in ``dir``.

    Updates are refused (the build is read-only) and so is ``SERVICE`` unless
    ``allow_service`` (:func:`kg.rdf.guard.check_query`), before any engine sees the
    text.

    Parameters
    ----------
    dir
        A build directory (``graph.trig``, and ``inferred.trig`` when ``kg reason`` ran).
    query_or_file_or_name
        A name from :func:`list_named`, a path to a ``.rq`` file, or SPARQL text.
    params
        ``name -> value``; bound to the query's variables, never spliced into it.
    fmt
        ``table`` (aligned text), ``csv`` or ``json`` (SPARQL 1.1 results formats).
    engine
        ``oxigraph`` (default) or ``rdflib`` (rdflib's in-memory engine).

    Raises
    ------
    QueryError
        Malformed SPARQL (with ``line``/``column``), unknown query, bad parameter.
    InputError
        ``dir`` is not a build directory.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}", hint="use table, csv or json")
    text, named = resolve(query_or_file_or_name)
    check_query(text, allow_service=allow_service)
    subs = bindings(named, dict(params or {}))
    if engine == "rdflib":
        return format_result(query_rdflib(rdflib_dataset(Path(dir)), text, subs), fmt)
    if engine != "oxigraph":
        raise QueryError(f"unknown engine {engine!r}", hint="use oxigraph or rdflib")
    return format_result(_on_build(Path(dir), text, subs), fmt)


def iter_rows(result: Result) -> Iterator[dict[str, str]]:
    """Rows of a SELECT result as ``{variable: lexical value}`` (unbound left out)."""
    for row in result.rows:
        yield {v: c[1] for v, c in zip(result.variables, row, strict=True) if c is not None}


def select(
    dir_or_store: Path | ox.Store,
    query: str,
    params: dict[str, str] | None = None,
) -> list[dict[str, str]]:
    """Convenience for code and tests: run a query, return rows as dicts of strings."""
    text, named = resolve(query)
    subs = bindings(named, dict(params or {}))
    if isinstance(dir_or_store, ox.Store):
        return list(iter_rows(query_oxigraph(dir_or_store, text, subs)))
    return list(iter_rows(_on_build(Path(dir_or_store), text, subs)))


__all__: Sequence[str] = (
    "NamedQuery",
    "format_result",
    "list_named",
    "parse_header",
    "run",
    "select",
)
