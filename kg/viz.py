"""An offline HTML view of the network (pyvis data, vis-network inlined).

:func:`render` writes one self-contained page: vis-network (read from the
installed ``pyvis`` package) is inlined, the page has a Content-Security-Policy
that forbids every network load and lets only its own three scripts run (by
their SHA-256), and nothing refers to a CDN.  The page has a
legend that doubles as filters (node kind, predicate, province), a search box,
tooltips with the evidence sentences and their source articles, node size by
degree and physics that stabilises and then freezes.

Article text reaches the page only as JSON inside a ``<script
type="application/json">`` block (``<``, ``>`` and ``&`` escaped) and is put
into the DOM with ``textContent``, so it can never inject markup or script.

Opening the page with ``#selftest`` appended to its URL makes it write a JSON
report (node and edge counts, console errors, resources loaded) into
``<pre id="kg-selftest">``; ``tests/test_browser.py`` reads it with headless
Chromium.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import math
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import DataError, OutputError, UsageError
from kg.model import ENTITY_TYPES
from kg.output import atomic_file

if TYPE_CHECKING:  # pragma: no cover - typing only
    import networkx as nx

ASSETS = Path(__file__).resolve().parent / "assets"
VIS_VERSION = "9.1.2"
#: Evidence items shown per edge tooltip (the rest are counted).
MAX_EVIDENCE_SHOWN = 5
#: Members listed in a summary node's tooltip.
MAX_SUMMARY_MEMBERS = 30
KINDS: tuple[str, ...] = (*ENTITY_TYPES, "Entity")


@dataclass(frozen=True, slots=True)
class VizReport:
    """What :func:`render` wrote.

    Attributes
    ----------
    path
        The HTML file.
    nodes, edges
        Nodes and edges on the page (summary nodes and aggregated edges included).
    total_nodes, total_edges
        Size of the selected view (focus/kinds applied) before any reduction.
    aggregated
        How many nodes were folded into per-kind summary nodes (0 when none).
    focus
        Labels of the focus nodes, empty when the whole graph is shown.
    bytes
        Size of the page.
    """

    path: Path
    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    aggregated: int
    focus: tuple[str, ...]
    bytes: int

    @property
    def reduced(self) -> bool:
        """Whether nodes were folded into summary nodes."""
        return self.aggregated > 0

    def format(self) -> str:
        """One line for the CLI.

        >>> VizReport(Path("n.html"), 3, 2, 3, 2, 0, (), 1000).format()
        'wrote n.html: 3 nodes, 2 edges (1 kB)'
        """
        text = f"wrote {self.path}: {self.nodes} nodes, {self.edges} edges"
        if self.focus:
            text += f" around {'、'.join(self.focus)}"
        if self.aggregated:
            text += (
                f"; {self.aggregated} of {self.total_nodes} nodes grouped into summary nodes"
                " (raise --max-nodes or use --focus/--kinds)"
            )
        return text + f" ({max(1, round(self.bytes / 1000))} kB)"


# --------------------------------------------------------------------------- assets


@cache
def _asset(name: str) -> str:
    path = ASSETS / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(
            f"the viz asset {path} cannot be read: {exc.strerror}",
            hint="reinstall union-kg (kg/assets/ ships with the package)",
        ) from exc


@cache
def _style() -> dict[str, Any]:
    try:
        style = json.loads(_asset("style.json"))
    except json.JSONDecodeError as exc:
        raise DataError(
            f"kg/assets/style.json is not valid JSON: {exc}",
            hint="restore the file from the repository",
        ) from exc
    style.pop("_comment", None)
    return dict(style)


@cache
def _vis_js() -> str:
    """vis-network's standalone bundle as shipped inside pyvis."""
    import pyvis

    path = (
        Path(pyvis.__file__).resolve().parent / "lib" / f"vis-{VIS_VERSION}" / "vis-network.min.js"
    )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(
            f"vis-network is missing from the pyvis package ({path})",
            hint="reinstall pyvis>=0.3.2 (`pip install --force-reinstall pyvis`)",
        ) from exc
    # never let the bundle close the inline <script> early
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and line separators escaped.

    >>> _json_for_script({"a": "</script><b>&"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _csp_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script.

    >>> _csp_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


# --------------------------------------------------------------------------- selection


def _norm(text: str) -> str:
    """Normalise a name for matching: NFKC, traditional → simplified, no spaces, casefold."""
    text = "".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return _t2s()(text)


@cache
def _t2s() -> Callable[[str], str]:
    try:
        import opencc

        conv = opencc.OpenCC("t2s")
    except Exception:  # opencc missing or broken: match without conversion
        return lambda s: s
    return lambda s: str(conv.convert(s))


def _names(data: dict[str, Any]) -> list[str]:
    return [str(data.get("label", "")), *map(str, data.get("aliases") or ())]


def find_nodes(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes whose label or alias (or IRI) is ``name``; :class:`UsageError` when none.

    Matching ignores width, case, spaces and traditional/simplified differences.
    The error lists close matches.
    """
    if name in G:
        return [name]
    want = _norm(name)
    by_label = [n for n, d in G.nodes(data=True) if _norm(str(d.get("label", ""))) == want]
    if by_label:
        return sorted(by_label)
    by_alias = [n for n, d in G.nodes(data=True) if want in {_norm(a) for a in _names(d)}]
    if by_alias:
        return sorted(by_alias)
    labels = sorted({a for _, d in G.nodes(data=True) for a in _names(d) if a})
    normed = {_norm(a): a for a in labels}
    close = [normed[c] for c in difflib.get_close_matches(want, list(normed), n=6, cutoff=0.5)]
    contains = [a for a in labels if want and (want in _norm(a) or _norm(a) in want)]
    suggestions = list(dict.fromkeys(close + contains))[:8]
    hint = (
        "close matches: " + ", ".join(suggestions)
        if suggestions
        else "run `kg stats DIR` to see the names in the graph"
    )
    raise UsageError(f"no node named {name!r} in the graph", hint=hint)


def _check_kinds(kinds: Sequence[str] | None) -> list[str] | None:
    if kinds is None:
        return None
    if isinstance(kinds, str):
        kinds = [kinds]
    style = _style()["kinds"]
    lookup: dict[str, str] = {}
    for k in KINDS:  # the type name, or the Chinese word of its legend label (工会, 项目 …)
        lookup[k.casefold()] = k
        label = str(style.get(k, {}).get("label", "")).split()
        if label:
            lookup[label[0].casefold()] = k
    out: list[str] = []
    for raw in kinds:
        for part in str(raw).split(","):
            part = part.strip()
            if not part:
                continue
            kind = lookup.get(part.casefold())
            if kind is None:
                raise UsageError(
                    f"unknown node kind {part!r}",
                    hint="use one or more of " + ", ".join(ENTITY_TYPES),
                )
            out.append(kind)
    if not out:
        raise UsageError("--kinds names no node kind", hint="use " + ", ".join(ENTITY_TYPES))
    return sorted(set(out), key=_kind_order)


def select(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 1,
    kinds: Sequence[str] | None = None,
) -> tuple[nx.MultiDiGraph, list[str]]:
    """The subgraph to draw: the ``hops``-neighbourhood of ``focus``, limited to ``kinds``.

    Returns the subgraph and the focus nodes (kept even when their kind is
    filtered out).  With neither ``focus`` nor ``kinds`` the subgraph is ``G``
    itself, not a copy (a build's whole view can be large; nothing here changes it).
    """
    import networkx as nx

    if isinstance(hops, bool) or not isinstance(hops, int) or hops < 0:
        raise UsageError(f"--hops must be a whole number >= 0, not {hops!r}", hint="e.g. --hops 1")
    wanted = _check_kinds(kinds)
    if focus is None and wanted is None:
        return G, []
    centres: list[str] = []
    keep: set[str] = set(G.nodes)
    if focus is not None:
        centres = find_nodes(G, focus)
        U = nx.Graph()
        U.add_nodes_from(G.nodes)
        U.add_edges_from((u, v) for u, v in G.edges())
        keep = set()
        for c in centres:
            keep |= set(nx.single_source_shortest_path_length(U, c, cutoff=hops))
    if wanted is not None:
        keep = {n for n in keep if G.nodes[n].get("type", "Entity") in wanted} | set(centres)
    return G.subgraph(sorted(keep)).copy(), centres


# --------------------------------------------------------------------------- reduction


def _kind_order(kind: str) -> tuple[int, str]:
    """Legend order: the entity types first, then any other kind by name."""
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), kind)


def _reduce(
    H: nx.MultiDiGraph, max_nodes: int, protect: Iterable[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """Pick nodes to keep (top by degree) and group the rest by kind."""
    nodes = list(H.nodes)
    if len(nodes) <= max_nodes:
        return sorted(nodes), {}
    protected = set(protect)

    def order(n: str) -> tuple[int, int, str, str]:
        return (0 if n in protected else 1, -H.degree(n), str(H.nodes[n].get("label", "")), n)

    ranked = sorted(nodes, key=order)
    slots = max_nodes
    while True:
        kept = ranked[: max(1, slots)]
        rest = ranked[len(kept) :]
        kinds_dropped = {H.nodes[n].get("type", "Entity") for n in rest}
        new_slots = max(1, max_nodes - len(kinds_dropped))
        if new_slots >= slots:
            break
        slots = new_slots
    groups: dict[str, list[str]] = defaultdict(list)
    for n in rest:
        groups[H.nodes[n].get("type", "Entity")].append(n)
    return sorted(kept), {k: groups[k] for k in sorted(groups, key=_kind_order)}


# --------------------------------------------------------------------------- page data


def _options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    big = n_nodes > 150 or n_edges > 300
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 100},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                # small views get more room, so that labels do not overlap
                "gravitationalConstant": -60 if big else -150,
                "centralGravity": 0.01,
                "springLength": 110 if big else 180,
                "springConstant": 0.08,
                "avoidOverlap": 0.4 if big else 0.9,
            },
            "maxVelocity": 60,
            "minVelocity": 1,
            "timestep": 0.5,
            "stabilization": {
                "enabled": True,
                "iterations": 200 if big else 400,
                # iterations per batch: the page handles input between batches
                "updateInterval": 10 if big else 25,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "multiselect": True,
            "navigationButtons": False,
        },
        "edges": {"smooth": False if big else {"type": "continuous", "roundness": 0.3}},
        "nodes": {
            "borderWidth": 1,
            # node size (and label size) by degree; small labels are hidden when zoomed out
            "scaling": {
                "min": 8,
                "max": 40,
                "label": {
                    "enabled": True,
                    "min": 12,
                    "max": 36,
                    "maxVisible": 40,
                    "drawThreshold": 8,
                },
            },
        },
    }


def _build_network(
    H: nx.MultiDiGraph,
    kept: list[str],
    groups: dict[str, list[str]],
    evidence: Callable[[str, str, str], list[dict[str, Any]]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges through pyvis (its data structures), in a deterministic order."""
    from pyvis.network import Network

    ids = {n: f"n{i}" for i, n in enumerate(kept)}
    for kind, members in groups.items():
        for m in members:
            ids[m] = f"summary-{kind}"

    degree = {n: len({v for v in H.predecessors(n)} | {v for v in H.successors(n)}) for n in H}
    net = Network(directed=True, cdn_resources="in_line")
    extra: dict[str, dict[str, Any]] = {}
    for n in kept:
        d = H.nodes[n]
        deg = degree[n]
        attrs = {
            "type": d.get("type", "Entity"),
            "kind": d.get("kind", ""),
            "kind_label": d.get("kind_label", ""),
            "aliases": list(d.get("aliases") or ()),
            "region": d.get("region", ""),
            "province": d.get("province", ""),
            "level": d.get("level", ""),
            "iri": d.get("iri", n),
            "implicit": bool(d.get("implicit", False)),
            "degree": deg,
            "isolated": deg == 0,
            "summary": False,
            **_node_facts(d.get("facts")),
        }
        net.add_node(ids[n], label=str(d.get("label", n)), value=1 + deg)
        extra[ids[n]] = attrs
    for kind, members in groups.items():
        sid = f"summary-{kind}"
        style = _style()["kinds"].get(kind, _style()["kinds"]["Entity"])
        names = sorted(str(H.nodes[m].get("label", m)) for m in members)
        net.add_node(
            sid,
            label=f"+{len(members)} {str(style['label']).split()[0]}",
            value=1 + round(math.sqrt(len(members))),
        )
        extra[sid] = {
            "type": kind,
            "kind": kind,
            "kind_label": "",
            "aliases": [],
            "region": "",
            "province": "",
            "level": "",
            "iri": "",
            "implicit": False,
            "degree": len(members),
            "isolated": False,
            "summary": True,
            "count": len(members),
            "members": names[:MAX_SUMMARY_MEMBERS],
        }

    # edges: real ones, and aggregated ones that touch a summary node
    agg: dict[tuple[str, str, str], dict[str, Any]] = {}
    edges_out: list[dict[str, Any]] = []
    for u, v, k, d in sorted(H.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        a, b = ids[u], ids[v]
        pred = str(d.get("predicate", k))
        if a.startswith("summary-") or b.startswith("summary-"):
            if a == b:
                continue
            slot = agg.setdefault((a, b, pred), {"weight": 0, "aggregated": 0})
            slot["weight"] += int(d.get("weight", 1))
            slot["aggregated"] += 1
            continue
        readings = evidence(u, v, k) if evidence is not None else d.get("evidence")
        shown = [
            {key: str(e.get(key, "") or "") for key in ("sentence", "article", "file", "date")}
            for e in readings or ()
        ]
        edges_out.append(
            {
                "from": a,
                "to": b,
                "predicate": pred,
                "weight": int(d.get("weight", 1)),
                "evidence": shown[:MAX_EVIDENCE_SHOWN],
                # (a build keeps a bounded number per edge: evidence_omitted says the rest)
                "more": max(0, len(shown) - MAX_EVIDENCE_SHOWN)
                + int(d.get("evidence_omitted", 0) or 0),
                "aggregated": 0,
            }
        )
    for (a, b, pred), slot in sorted(agg.items()):
        edges_out.append({"from": a, "to": b, "predicate": pred, "evidence": [], "more": 0, **slot})
    for i, e in enumerate(edges_out):
        e["id"] = f"e{i}"
        net.add_edge(e["from"], e["to"], title=None)

    # pyvis holds the nodes; merge our attributes (tooltips are built in the page)
    nodes_out = []
    for node in net.nodes:
        row = {"id": node["id"], "label": node["label"], "value": node["value"]}
        row.update(extra[node["id"]])
        nodes_out.append(row)
    if len(net.edges) != len(edges_out):  # pragma: no cover - a pyvis contract change
        raise DataError("pyvis dropped edges while building the page", hint="report this bug")
    return nodes_out, edges_out


#: figures listed per node in its tooltip (the rest are counted)
MAX_FACTS_SHOWN = 8
_FACT_KEYS = ("kind", "value", "unit", "approx", "what", "group", "evidence", "article", "file")


def _node_facts(raw: Any) -> dict[str, Any]:
    """A node's figures (its ``facts`` JSON string) as plain strings for the page."""
    try:
        items = json.loads(raw) if isinstance(raw, str) else list(raw or ())
    except (TypeError, ValueError):
        items = []
    rows = [
        {k: str(f.get(k, "") if f.get(k) is not None else "") for k in _FACT_KEYS}
        for f in items
        if isinstance(f, dict)
    ]
    for row, f in zip(rows, (f for f in items if isinstance(f, dict)), strict=True):
        row["approx"] = "约" if f.get("approx") else ""
    return {"facts": rows[:MAX_FACTS_SHOWN], "factsMore": max(0, len(rows) - MAX_FACTS_SHOWN)}


def render(
    G: nx.MultiDiGraph,
    out: str | os.PathLike[str],
    *,
    focus: str | None = None,
    hops: int = 1,
    kinds: Sequence[str] | None = None,
    max_nodes: int = 500,
    title: str = "union-kg 工会知识图谱",
    evidence: Callable[[str, str, str], list[dict[str, Any]]] | None = None,
) -> VizReport:
    """Write an offline, self-contained HTML view of ``G``.

    Parameters
    ----------
    G
        The networkx view (:func:`kg.graph.to_networkx`).
    out
        The HTML file to write (atomically).
    focus
        Show only the neighbourhood of the node with this label or alias.
    hops
        Radius of the neighbourhood (edges in either direction).
    kinds
        Node kinds to keep (``UnionBody``, ``PartnerAgency``, ``Program``,
        ``WorkerGroup``); comma-separated items are split.
    max_nodes
        Larger views keep the nodes of highest degree and fold the rest into one
        summary node per kind (noted on the page); summary nodes count towards
        the limit (a limit below 1 + the number of kinds is exceeded by them).
    title
        Page title.
    evidence
        ``evidence(u, v, key)``: the readings of an edge drawn, for a view whose
        edges do not hold them (``NetworkBuilder.graph(evidence=False)``).

    Returns
    -------
    VizReport

    Raises
    ------
    kg.errors.UsageError
        Unknown focus name (close matches listed), unknown kind, bad numbers.
    kg.errors.OutputError
        ``out`` cannot be written.
    """
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise UsageError(
            f"--max-nodes must be a whole number >= 1, not {max_nodes!r}",
            hint="e.g. --max-nodes 300",
        )
    out_path = Path(out)
    if out_path.is_dir():
        raise OutputError(
            f"{out_path} is a directory", hint="give a file name such as network.html"
        )

    H, centres = select(G, focus=focus, hops=hops, kinds=kinds)
    kept, groups = _reduce(H, max_nodes, centres)
    nodes, edges = _build_network(H, kept, groups, evidence)
    aggregated = sum(len(m) for m in groups.values())

    notes: list[str] = []
    if centres:
        labels = [str(H.nodes[c].get("label", c)) for c in centres]
        notes.append(f"以 {'、'.join(labels)} 为中心 {hops} 跳 (ego view, {hops} hop(s)).")
    if kinds is not None:
        notes.append("节点类型 kinds: " + ", ".join(_check_kinds(kinds) or []) + ".")
    if aggregated:
        notes.append(
            f"图太大: 显示 {len(kept)}/{H.number_of_nodes()} 个连接最多的节点, "
            f"其余 {aggregated} 个按类型汇总 (showing the {len(kept)} most connected of "
            f"{H.number_of_nodes()} nodes; the other {aggregated} are grouped into "
            "per-kind summary nodes; use --focus or --kinds for detail)."
        )
    isolated = sum(1 for n in nodes if n["isolated"])
    show_isolated = isolated == len(nodes)  # hide them only when something else is drawn
    if isolated and not show_isolated:
        notes.append(
            f"{isolated} 个孤立节点已隐藏 ({isolated} unconnected nodes are hidden; "
            "tick “孤立节点 unconnected” to show them)."
        )
    if not nodes:
        notes.append("图为空 (the graph is empty).")

    style = _style()
    kinds_present = sorted({n["type"] for n in nodes}, key=_kind_order)
    preds_order = list(style["predicates"])
    preds_present = sorted(
        {e["predicate"] for e in edges},
        key=lambda p: (preds_order.index(p) if p in preds_order else len(preds_order), p),
    )
    provinces = sorted({n["province"] for n in nodes if n["province"]})
    data = {
        "style": style,
        "note": " ".join(notes),
        "nodes": nodes,
        "edges": edges,
        "kinds": kinds_present,
        "kindCounts": dict(Counter(n["type"] for n in nodes if not n["summary"])),
        "groupedCounts": {k: len(v) for k, v in groups.items()},
        "predicates": preds_present,
        "predicateCounts": dict(Counter(e["predicate"] for e in edges)),
        "provinces": provinces,
        "hasUnknownProvince": any(not n["province"] and not n["summary"] for n in nodes),
        "hasSummary": bool(groups),
        "isolatedCount": isolated,
        "showIsolated": show_isolated,
        "options": _options(len(nodes), len(edges)),
        "freezeAfterMs": 8000,
    }
    scripts = {
        "CAPTURE_JS": _asset("capture.js"),
        "VIS_JS": _vis_js(),
        "APP_JS": _asset("network.js"),
    }
    pieces = {
        "TITLE": html.escape(title),
        "VIS_VERSION": VIS_VERSION,
        "CSS": _asset("network.css"),
        "DATA": _json_for_script(data),
        # only these three scripts may run (CSP hashes): injected markup could not
        "SCRIPT_HASHES": " ".join(_csp_hash(js) for js in scripts.values()),
        **scripts,
    }
    page = re.sub(r"@@([A-Z_]+)@@", lambda m: pieces[m.group(1)], _asset("network.html"))
    try:
        with atomic_file(out_path, "w") as fh:
            fh.write(page)  # type: ignore[attr-defined]
    except OSError as exc:  # e.g. the disk is full; atomic_file removed the temporary
        raise OutputError(
            f"cannot write {out_path}: {exc.strerror or exc}",
            hint="choose a writable location with free space for --out",
        ) from exc
    return VizReport(
        path=out_path,
        nodes=len(nodes),
        edges=len(edges),
        total_nodes=H.number_of_nodes(),
        total_edges=H.number_of_edges(),
        aggregated=aggregated,
        focus=tuple(str(H.nodes[c].get("label", c)) for c in centres),
        bytes=len(page.encode("utf-8")),
    )


__all__ = ["VizReport", "find_nodes", "render", "select"]
