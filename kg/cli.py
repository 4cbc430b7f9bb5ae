"""The ``kg`` command line.

Every command is a thin layer over a library function; errors are
:class:`kg.errors.KGError` subclasses, printed as one line and mapped to the
exit codes documented in README.md (and in :data:`kg.errors.EXIT_CODES`).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg import __version__, interrupt
from kg.errors import EXIT_CODES, KGError, UsageError, shown
from kg.rdf.bounded import DEFAULT_TIMEOUT as DEFAULT_QUERY_TIMEOUT
from kg.rdf.bounded import Writer, run_bounded

PROG = "kg"


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {shown(message)}", file=sys.stderr)


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {n}")
    return n


def _workers(value: str) -> int:
    if value == "auto":
        return os.cpu_count() or 1
    return _positive(value)


def _build_dir(path: str, command: str | None = None) -> Path:
    """A build directory argument: a local path, or a URL whose manifest names a build."""
    from kg.remote import is_url, resolve_build

    if not is_url(path):
        return Path(path)
    if command == "reason":  # it writes into the build: a URL's is a read-only copy
        raise UsageError(
            f"kg reason cannot change the build at {path}: builds at URLs are read-only",
            hint="run kg reason on a local build (kg build PATH... --out DIR)",
        )
    return resolve_build(path)


def _check_store(directory: str) -> None:
    """Warn when a build has graph files but no store (written by an older kg)."""
    from kg.rdf.store import GRAPH_FILE, has_store, stale_message

    root = Path(directory)
    if (root / GRAPH_FILE).is_file() and not has_store(root):
        _warn(stale_message(root))


# --- commands --------------------------------------------------------------


def _build_urls(args: argparse.Namespace, options: dict[str, Any]) -> int:
    """kg build with URL inputs or output: see kg.remote."""
    from kg.pipeline import build
    from kg.remote import build_to_url, is_url, local_inputs

    with local_inputs(args.paths) as (paths, sources):
        options["sources"] = sources
        if not is_url(args.out):
            summary = build(paths, args.out, **options)
            where = f"open       {shown(Path(args.out) / 'network.html')}"
        else:  # built here, uploaded, then its manifest switched
            summary, manifest = build_to_url(paths, args.out, **options)
            where = f"uploaded   {shown(args.out)}/{manifest['build']}"
    if not args.quiet:
        print(summary.format())
        print(where)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from kg.incremental import build_incremental
    from kg.pipeline import build
    from kg.remote import is_url

    if args.incremental and (args.dask or is_url(args.out) or any(is_url(p) for p in args.paths)):
        raise UsageError(
            "--incremental updates a local build directory with local extraction",
            hint="drop --dask and use a local --out and inputs, or build without --incremental",
        )
    options: dict[str, Any] = {
        "strict": args.strict,
        "workers": args.workers,
        "html": not args.no_html,
        "max_nodes": args.max_nodes,
        "on_warning": _warn,
        "progress": False if args.quiet else None,
    }
    if is_url(args.out) or any(is_url(p) for p in args.paths):
        return _build_urls(args, {**options, "dask": args.dask})
    if args.incremental:
        summary = build_incremental(args.paths, args.out, **options)
    else:
        summary = build(args.paths, args.out, dask=args.dask, **options)
    if not args.quiet:
        print(summary.format())
        if not args.no_html:
            print(f"open       {shown(Path(args.out) / 'network.html')}")
    return 0


@contextmanager
def _batch_gc() -> Iterator[None]:
    """Garbage collection for a batch of documents: young collections less often (each
    document allocates many short-lived objects, few of them in cycles); whatever
    :func:`gc.freeze` set aside is released, and the thresholds restored, at the end."""
    old = gc.get_threshold()
    gc.set_threshold(20_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def cmd_extract(args: argparse.Namespace) -> int:
    import time

    from kg.jsonl import write_extraction
    from kg.model import DocResult
    from kg.output import check_file_target
    from kg.pipeline import _Counts, iter_results
    from kg.remote import is_url, local_inputs, put_file

    if not is_url(args.out):
        check_file_target(args.out)  # before the work, not after it
    start = time.perf_counter()
    counts = _Counts()

    def counted(results: Iterable[DocResult]) -> Iterator[DocResult]:
        # each document is written and counted as it comes, none held: memory does not
        # grow with the corpus (and the garbage collector has no growing heap to walk)
        for n, result in enumerate(results):
            counts.add(result)
            if n == 0:
                gc.freeze()  # the lexicons are loaded now: no collection need walk them
            yield result

    with _batch_gc(), local_inputs(args.paths) as (paths, sources):
        results = counted(
            iter_results(
                paths,
                strict=args.strict,
                workers=args.workers,
                on_warning=_warn,
                progress=False if args.quiet else None,
                dask=args.dask,
                sources=sources,
            )
        )
        if is_url(args.out):
            import tempfile

            with tempfile.TemporaryDirectory(prefix="kg-extract-") as tmp:
                write_extraction(results, Path(tmp) / "extraction.jsonl")
                put_file(Path(tmp) / "extraction.jsonl", args.out)
        else:
            write_extraction(results, args.out)
    if not args.quiet:
        summary = counts.summary()
        summary.seconds = time.perf_counter() - start
        # (no triples: kg extract stops before the RDF stage)
        print("\n".join(x for x in summary.format().splitlines() if not x.startswith("triples")))
        print(f"wrote      {shown(args.out)}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.eval import calibration_tables, evaluate, format_calibration, format_report

    report = evaluate(args.pred, args.gold, facts=args.facts)
    tables = calibration_tables(report) if args.calibration else None
    if args.json:
        data = report.as_dict()
        if tables is not None:
            data["calibration"] = {k: v.as_dict() for k, v in tables.items()}
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(format_report(report, misses=args.misses))
        if tables is not None:
            print(format_calibration(tables))
    entity_f1 = report.entities["all"].f1
    if args.min_f1 is not None and entity_f1 < args.min_f1:
        print(
            f"{PROG}: entity F1 {entity_f1:.3f} is below --min-f1 {args.min_f1}",
            file=sys.stderr,
        )
        return 1
    return 0


def _params(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            from kg.errors import QueryError

            raise QueryError(
                f"--param {pair!r} is not of the form name=value",
                hint="write e.g. --param body=江苏省总工会",
            )
        out[name.strip()] = value
    return out


def cmd_query(args: argparse.Namespace) -> int:
    from kg.rdf import query

    if args.list:
        for nq in query.list_named():
            params = ", ".join(getattr(nq, "params", []) or [])
            print(f"{nq.name:28} {nq.title}" + (f"  [params: {params}]" if params else ""))
        return 0
    if args.dir is None or args.query is None:
        raise UsageError(
            "kg query needs a build directory and a query",
            hint="e.g. kg query out partners --param body=江苏省总工会; kg query --list",
        )
    _check_store(args.dir)
    bound = _params(args.param)

    def work(out: Writer) -> None:
        if args.format == "csv":  # rows written as they come: memory stays bounded
            query.stream_csv(
                Path(args.dir), args.query, bound, out, allow_service=args.allow_service
            )
            return
        out.write(
            query.run(
                Path(args.dir),
                args.query,
                bound,
                args.format,
                allow_service=args.allow_service,
            )
        )

    # in a child that is killed past --timeout (pyoxigraph has no time limit of its own)
    run_bounded(work, timeout=args.timeout)
    return 0


def cmd_reason(args: argparse.Namespace) -> int:
    from kg.rdf.reason import reason

    _check_store(args.dir)
    report = reason(Path(args.dir))
    print(report.format() if hasattr(report, "format") else report)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.errors import ValidationFailed
    from kg.rdf.validate import validate

    _check_store(args.dir)
    report = validate(Path(args.dir))
    print(report.format())
    if not report.conforms:
        raise ValidationFailed(
            f"{len(report.violations)} SHACL violation(s) in {args.dir}",
            hint="see the list above; rebuild with kg build after fixing the input or data",
        )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.graph import format_stats, load_build, stats

    _check_store(args.dir)
    data = stats(load_build(Path(args.dir)))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(format_stats(data))
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    from kg.graph import load_build
    from kg.viz import render

    _check_store(args.dir)
    report = render(
        load_build(Path(args.dir)),
        Path(args.out),
        focus=args.focus,
        hops=args.hops,
        kinds=args.kinds,
        max_nodes=args.max_nodes,
        title=f"union-kg: {args.focus}" if args.focus else "union-kg",
    )
    print(report.format() if hasattr(report, "format") else f"wrote {args.out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kg.graph import load_build, write_gexf, write_graphml

    if args.format is None and args.out is None:  # the build's own exports, from its parts
        from kg.incremental import export

        for name in export(Path(args.dir)):
            print(f"wrote {shown(Path(args.dir) / name)}")
        return 0
    if args.format is None or args.out is None:
        raise UsageError(
            "kg export needs both --format and --out (or neither)",
            hint="kg export DIR writes the build's own exports; "
            "kg export DIR --format gexf --out FILE writes a network for Gephi",
        )
    graph = load_build(Path(args.dir))
    writer = {"graphml": write_graphml, "gexf": write_gexf}[args.format]
    writer(graph, Path(args.out))
    print(f"wrote {shown(args.out)}")
    return 0


def _seconds(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}") from None
    if not n > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {value}")
    return n


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.serve import serve

    def say(message: str) -> None:
        print(message, flush=True)

    try:
        serve(
            Path(args.dir),
            port=args.port,
            bind=args.bind,
            timeout=args.timeout,
            allow_service=args.allow_service,
            say=say,
            log=(lambda m: print(m, file=sys.stderr, flush=True)) if args.verbose else None,
        )
    except KeyboardInterrupt:
        say("stopped")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from kg.push import push

    _check_store(args.dir)
    report = push(Path(args.dir), args.endpoint, progress=False if args.quiet else None)
    if not args.quiet:
        print(report.format())
    return 0


# --- parser ----------------------------------------------------------------

EPILOG = "exit codes:\n" + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_CODES.items())


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Build and query a knowledge graph of Chinese trade-union news.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument(
        "--debug", dest="debug_global", action="store_true", help="show tracebacks on errors"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_: str, example: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_,
            description=f"{help_}\n\nexample:\n  {example}",
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
        return p

    def add_inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or globs")
        p.add_argument("--strict", action="store_true", help="an unreadable file is an error")
        p.add_argument(
            "--workers",
            type=_workers,
            default=1,
            metavar="N",
            help="extraction processes (a number or 'auto'; default 1)",
        )
        p.add_argument(
            "--dask",
            metavar="ADDRESS",
            default=None,
            help="run extraction as Dask tasks on the scheduler at ADDRESS (tcp://HOST:8786), "
            "or on a local cluster of --workers processes ('local'); needs union-kg[dask]",
        )
        p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")

    p = add("build", "run the whole pipeline into an output directory", "kg build seeds --out out")
    add_inputs(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--no-html", action="store_true", help="skip network.html")
    p.add_argument(
        "--max-nodes", type=_positive, default=500, metavar="N", help="node limit of network.html"
    )
    p.add_argument(
        "--incremental",
        action="store_true",
        help="update the build in --out: extract only new and changed documents, drop removed "
        "ones; the exports are then written on first read or by `kg export DIR`",
    )
    p.set_defaults(func=cmd_build)

    p = add(
        "extract",
        "extract entities and relations to JSON Lines",
        "kg extract seeds --out pred.jsonl",
    )
    add_inputs(p)
    p.add_argument("--out", required=True, metavar="FILE.jsonl", help="output file")
    p.set_defaults(func=cmd_extract)

    p = add(
        "eval",
        "score an extraction against a gold file",
        "kg eval pred.jsonl --gold ../shared/gold/seeds.jsonl --misses",
    )
    p.add_argument("pred", metavar="PRED.jsonl")
    p.add_argument("--gold", required=True, metavar="GOLD.jsonl")
    p.add_argument("--facts", metavar="FACTS.jsonl", help="also score figures (FACTS.md)")
    p.add_argument("--misses", action="store_true", help="list false positives and negatives")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument(
        "--calibration",
        action="store_true",
        help="also print reliability tables (10 confidence bins) and the expected "
        "calibration error, for entities and for relations",
    )
    p.add_argument(
        "--min-f1", type=float, default=None, help="exit 1 when entity F1 (all) is below this"
    )
    p.set_defaults(func=cmd_eval)

    p = add(
        "query",
        "run SPARQL (text, a .rq file or a named query) over a build",
        "kg query out partners --param body=江苏省总工会",
    )
    p.add_argument("dir", nargs="?", metavar="DIR", help="build directory")
    p.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text, FILE.rq or NAME")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="bind a value"
    )
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_QUERY_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a query after this long (exit 4; default {DEFAULT_QUERY_TIMEOUT:g})",
    )
    p.add_argument(
        "--allow-service",
        action="store_true",
        help="let the query use SERVICE (federation to other endpoints; off by default)",
    )
    p.set_defaults(func=cmd_query)

    p = add("reason", "derive OWL-RL and domain consequences into inferred.trig", "kg reason out")
    p.add_argument("dir", metavar="DIR")
    p.set_defaults(func=cmd_reason)

    p = add("validate", "check a build against the SHACL shapes", "kg validate out")
    p.add_argument("dir", metavar="DIR")
    p.set_defaults(func=cmd_validate)

    p = add("stats", "network statistics of a build", "kg stats out --json")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = add(
        "viz",
        "draw an HTML network view (optionally around one body)",
        "kg viz out --focus 江苏省总工会 --hops 2 --out jiangsu.html",
    )
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--out", required=True, metavar="FILE.html")
    p.add_argument("--focus", metavar="NAME", help="centre the view on this body")
    p.add_argument("--hops", type=_positive, default=1, metavar="N")
    p.add_argument(
        "--kinds",
        nargs="+",
        choices=["UnionBody", "PartnerAgency", "Program", "WorkerGroup"],
        help="node kinds to keep",
    )
    p.add_argument("--max-nodes", type=_positive, default=500, metavar="N")
    p.set_defaults(func=cmd_viz)

    p = add(
        "serve",
        "a read-only SPARQL endpoint (SPARQL 1.1 Protocol) over a build",
        "kg serve out --port 7878",
    )
    p.add_argument("dir", metavar="DIR", help="build directory")
    p.add_argument("--port", type=int, default=7878, help="port to listen on (default 7878)")
    p.add_argument(
        "--bind", default="127.0.0.1", metavar="ADDRESS", help="address (default 127.0.0.1)"
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="stop a query after this long (default 30)",
    )
    p.add_argument(
        "--allow-service",
        action="store_true",
        help="let queries use SERVICE (federation to other endpoints; off by default)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log every request to stderr")
    p.set_defaults(func=cmd_serve)

    p = add(
        "push",
        "upload a build to a SPARQL Graph Store (one PUT per graph; credentials from "
        "KG_PUSH_TOKEN or KG_PUSH_USER/KG_PUSH_PASSWORD)",
        "kg push out --endpoint http://localhost:7878/store",
    )
    p.add_argument("dir", metavar="DIR", help="build directory")
    p.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the server's SPARQL 1.1 Graph Store HTTP Protocol endpoint",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_push)

    p = add(
        "export",
        "write a build's exports (graph.trig, graph.ttl, graph.graphml, network.html) after "
        "an incremental build, or the network for Gephi",
        "kg export out --format gexf --out g.gexf",
    )
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--format", choices=["graphml", "gexf"], default=None)
    p.add_argument("--out", default=None, metavar="FILE")
    p.set_defaults(func=cmd_export)
    return parser


# optional positionals of a command, in order, that words after its options may fill
_LATE_POSITIONALS = {"query": ("dir", "query")}


def _place_positionals(
    parser: argparse.ArgumentParser, args: argparse.Namespace, extra: list[str]
) -> None:
    """Options may stand between positionals (kg query out --format csv partners):
    argparse leaves the words after them unparsed; they fill the command's positionals
    still unset, in order.  Anything else left over is a usage error, as before."""
    rest = list(extra)
    for name in _LATE_POSITIONALS.get(getattr(args, "command", None) or "", ()):
        if getattr(args, name, None) is None and rest and not rest[0].startswith("-"):
            setattr(args, name, rest.pop(0))
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")


class _Version(argparse.Action):
    """``kg --version``: the version, and whether the extraction modules run compiled."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from kg.native import status

        print(f"{PROG} {__version__} ({status().describe()})")
        parser.exit()


def _warn_stale() -> None:
    """Compiled modules that no longer match their sources (an editable install whose
    sources were edited) run the old code: say so on every command."""
    from kg.native import status

    native = status()
    if not native.ok:
        print(f"{PROG}: warning: {native.describe()}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script; returns the exit code.

    With ``argv`` None (the console script) the signal handlers stay in place
    until the process exits; given ``argv``, the caller's handlers are restored.
    """
    parser = make_parser()
    args, extra = parser.parse_known_args(argv)
    _place_positionals(parser, args, extra)
    if args.command is None:
        parser.print_help()
        return 2
    debug = bool(getattr(args, "debug", False) or getattr(args, "debug_global", False))
    _warn_stale()
    # SIGINT and SIGTERM: the first raises KeyboardInterrupt, repeats are ignored,
    # and one that lands once the output is in place does not undo the command.
    restore = interrupt.install()
    try:
        if isinstance(getattr(args, "dir", None), str):  # a URL: the build its manifest names
            args.dir = str(_build_dir(args.dir, args.command))
        code = int(args.func(args))
        signum = interrupt.received()
        if signum is not None:  # held back during the output swap, or came after it
            print(
                f"{PROG}: {args.command} completed before the {interrupt.name(signum)} arrived; "
                "its output is complete",
                file=sys.stderr,
            )
        return code
    except KGError as exc:
        if debug:
            traceback.print_exc()
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; outputs were left as they were", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(
            f"{PROG}: internal error: {type(exc).__name__}: {shown(' '.join(str(exc).split()))} "
            "(rerun with --debug and report the traceback)",
            file=sys.stderr,
        )
        return 70
    finally:
        if argv is None:  # the kg program: only exiting is left, which no signal should undo
            interrupt.finish()
        else:  # called from Python: give the caller its handlers back
            restore()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
