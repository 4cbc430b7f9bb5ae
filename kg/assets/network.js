/* union-kg network view.  All text from the data is put into the page with
   textContent (never as HTML), so article text can never inject markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var STYLE = DATA.style;
  var ALL = "\u0000all";
  var NONE = "\u0000none";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function kindStyle(k) { return STYLE.kinds[k] || STYLE.kinds.Entity; }
  function predStyle(p) {
    var s = STYLE.predicates[p];
    if (s) { return s; }
    var d = STYLE.default_predicate;
    return { label: p, title: p, color: d.color, arrows: d.arrows };
  }

  document.getElementById("kg-note").textContent = DATA.note || "";

  /* ---------------------------------------------------------------- tooltips */
  var nodeById = {};
  DATA.nodes.forEach(function (n) { nodeById[n.id] = n; });

  function nodeTip(n) {
    var box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-title", n.label));
    var sub = n.kind_label || (n.kind !== n.type ? n.kind : "");
    var kind = kindStyle(n.type).label + (sub ? " · " + sub : "");
    box.appendChild(el("div", "kg-tip-meta", kind));
    if (n.summary) {
      box.appendChild(el("div", "kg-tip-meta", "汇总 " + n.count + " 个节点 (grouped nodes): " + n.members.join("、") + (n.count > n.members.length ? " …" : "")));
    }
    var place = [n.region, n.province && n.province !== n.region ? n.province : ""].filter(Boolean).join(" · ");
    if (place) { box.appendChild(el("div", "kg-tip-meta", "地区 Region: " + place)); }
    if (n.level) { box.appendChild(el("div", "kg-tip-meta", "级别 Level: " + n.level)); }
    if (n.aliases && n.aliases.length) { box.appendChild(el("div", "kg-tip-meta", "别名 Aliases: " + n.aliases.join("、"))); }
    box.appendChild(el("div", "kg-tip-meta", "连接 Degree: " + n.degree));
    if (n.implicit) { box.appendChild(el("div", "kg-tip-meta", "隐含 (implicit: resolved from context)")); }
    if (n.facts && n.facts.length) {
      box.appendChild(el("div", "kg-tip-meta", "数据 Figures:"));
      n.facts.forEach(function (f) {
        var item = el("div", "kg-tip-ev kg-tip-fact");
        var head = [f.approx + f.value + " " + f.unit, f.what, f.group ? "(" + f.group + ")" : ""].filter(Boolean).join(" ");
        item.appendChild(el("div", "kg-tip-fact-value", head));
        if (f.evidence) { item.appendChild(el("div", "kg-tip-sent", "“" + f.evidence + "”")); }
        var src = [f.article, f.file].filter(Boolean).join(" · ");
        if (src) { item.appendChild(el("div", "kg-tip-src", "— " + src)); }
        box.appendChild(item);
      });
      if (n.factsMore) { box.appendChild(el("div", "kg-tip-meta", "… +" + n.factsMore + " 条数据 (more figures)")); }
    }
    return box;
  }

  function edgeTip(e) {
    var ps = predStyle(e.predicate);
    var box = el("div", "kg-tip");
    var a = nodeById[e.from], b = nodeById[e.to];
    box.appendChild(el("div", "kg-tip-title", (a ? a.label : e.from) + " —" + ps.label + "→ " + (b ? b.label : e.to)));
    box.appendChild(el("div", "kg-tip-meta", ps.title + " · " + e.weight + " 篇文章 (supporting articles)"));
    (e.evidence || []).forEach(function (ev) {
      var item = el("div", "kg-tip-ev");
      item.appendChild(el("div", "kg-tip-sent", "“" + ev.sentence + "”"));
      var src = [ev.article, ev.date, ev.file].filter(Boolean).join(" · ");
      if (src) { item.appendChild(el("div", "kg-tip-src", "— " + src)); }
      box.appendChild(item);
    });
    if (e.more) { box.appendChild(el("div", "kg-tip-meta", "… +" + e.more + " 条证据 (more evidence)")); }
    if (e.aggregated) { box.appendChild(el("div", "kg-tip-meta", "汇总 " + e.aggregated + " 条关系 (aggregated relations)")); }
    return box;
  }

  /* ---------------------------------------------------------------- data sets */
  var visNodes = DATA.nodes.map(function (n) {
    var ks = kindStyle(n.type);
    return {
      id: n.id, label: n.label, title: nodeTip(n), value: n.value,
      shape: n.summary ? STYLE.summary.shape : ks.shape,
      color: { background: ks.color, border: n.summary ? "#555555" : ks.color,
               highlight: { background: ks.color, border: "#000000" } },
      borderWidth: n.summary ? 2 : 1,
      shapeProperties: { borderDashes: n.summary ? [4, 3] : false },
      font: { size: 14, face: "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif" }
    };
  });
  var visEdges = DATA.edges.map(function (e) {
    var ps = predStyle(e.predicate);
    return {
      id: e.id, from: e.from, to: e.to, label: ps.label, title: edgeTip(e),
      color: { color: ps.color, highlight: ps.color, hover: ps.color },
      arrows: { to: { enabled: !!ps.arrows, scaleFactor: 0.6 } },
      width: 1 + Math.log2(Math.max(1, e.weight)),
      dashes: !!e.aggregated,
      font: { size: 10, color: ps.color, strokeWidth: 3, align: "middle" }
    };
  });

  /* ---------------------------------------------------------------- filters */
  var state = { kinds: {}, preds: {}, province: ALL, isolated: DATA.showIsolated };
  DATA.kinds.forEach(function (k) { state.kinds[k] = true; });
  DATA.predicates.forEach(function (p) { state.preds[p] = true; });

  function nodeVisible(n) {
    if (!state.kinds[n.type]) { return false; }
    if (n.isolated && !state.isolated) { return false; }
    if (state.province === ALL || n.summary) { return true; }
    if (state.province === NONE) { return !n.province; }
    return n.province === state.province;
  }
  function edgeVisible(e) {
    return !!state.preds[e.predicate] && nodeVisible(nodeById[e.from]) && nodeVisible(nodeById[e.to]);
  }
  var edgeData = {};
  DATA.edges.forEach(function (e) { edgeData[e.id] = e; });

  var nodeSet = new vis.DataSet(visNodes);
  var edgeSet = new vis.DataSet(visEdges);
  var nodeView = new vis.DataView(nodeSet, { filter: function (n) { return nodeVisible(nodeById[n.id]); } });
  var edgeView = new vis.DataView(edgeSet, { filter: function (e) { return edgeVisible(edgeData[e.id]); } });

  var network = null;
  function keepPositions() {
    // vis-network's storePositions() fails on a filtered DataView; store what is drawn
    var pos = network.getPositions();
    nodeSet.update(Object.keys(pos).sort().map(function (id) {
      return { id: id, x: Math.round(pos[id].x), y: Math.round(pos[id].y) };
    }));
  }
  function refresh() {
    // keep the layout: nodes that come back reappear where they were
    if (network) { keepPositions(); }
    nodeView.refresh();
    edgeView.refresh();
    updateCounts();
  }

  function checkboxRow(parent, text, swatch, checked, onChange) {
    var row = el("label", "kg-row");
    var box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    row.appendChild(box);
    row.appendChild(swatch);
    row.appendChild(el("span", null, text));
    parent.appendChild(row);
  }

  var kindsBox = document.getElementById("kg-kinds");
  DATA.kinds.forEach(function (k) {
    var ks = kindStyle(k);
    var sw = el("span", "kg-swatch " + ks.shape);
    sw.style.background = ks.color;
    sw.style.color = ks.color;
    var n = DATA.kindCounts[k] || 0;
    var g = DATA.groupedCounts[k] || 0;
    var count = " (" + n + (g ? " + " + g + " 汇总 grouped" : "") + ")";
    checkboxRow(kindsBox, ks.label + count, sw, true, function (on) { state.kinds[k] = on; refresh(); });
  });
  if (DATA.isolatedCount) {
    var isw = el("span", "kg-swatch dot");
    isw.style.background = "#cccccc";
    checkboxRow(kindsBox, "孤立节点 unconnected (" + DATA.isolatedCount + ")", isw, state.isolated, function (on) {
      state.isolated = on;
      refresh();
      if (on) { relayout(); }
    });
  }
  if (DATA.hasSummary) {
    var srow = el("div", "kg-row kg-small");
    srow.appendChild(el("span", "kg-swatch hexagon"));
    srow.appendChild(el("span", null, STYLE.summary.label));
    kindsBox.appendChild(srow);
  }
  var predsBox = document.getElementById("kg-preds");
  DATA.predicates.forEach(function (p) {
    var ps = predStyle(p);
    var sw = el("span", "kg-line");
    sw.style.background = ps.color;
    var n = DATA.predicateCounts[p] || 0;
    checkboxRow(predsBox, ps.label + " " + p + " (" + n + ")", sw, true, function (on) { state.preds[p] = on; refresh(); });
  });
  var provSel = document.getElementById("kg-province");
  [[ALL, "全部 All"]].concat(DATA.provinces.map(function (p) { return [p, p]; }))
    .concat(DATA.hasUnknownProvince ? [[NONE, "未知 Unknown"]] : [])
    .forEach(function (pair) {
      var o = el("option", null, pair[1]);
      o.value = pair[0];
      provSel.appendChild(o);
    });
  provSel.addEventListener("change", function () { state.province = provSel.value; refresh(); });

  var countsBox = document.getElementById("kg-counts");
  function updateCounts() {
    countsBox.textContent = "显示 Showing " + nodeView.length + "/" + nodeSet.length +
      " 节点 nodes, " + edgeView.length + "/" + edgeSet.length + " 关系 edges";
  }

  /* ---------------------------------------------------------------- network */
  var container = document.getElementById("kg-network");
  network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.options);
  window.kgNetwork = network;
  var stabilized = false;
  var frozenBy = null;
  function freeze(how) {
    if (stabilized) { return; }
    stabilized = true;
    frozenBy = how;
    network.setOptions({ physics: { enabled: false } });
    keepPositions();
    if (/^#selftest/.test(location.hash)) { selftest(); }
  }
  network.once("stabilizationIterationsDone", function () { freeze("stabilization"); });
  function relayout() {
    // newly shown nodes have no place yet: run a bounded stabilisation, then freeze again
    network.setOptions({ physics: { enabled: true } });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      keepPositions();
    });
    network.stabilize(DATA.options.physics.stabilization.iterations);
  }
  if (!DATA.nodes.length) { freeze("empty"); }
  // a safety net: never keep simulating for more than a few seconds
  setTimeout(function () { freeze("timer"); }, DATA.freezeAfterMs);
  updateCounts();

  /* ---------------------------------------------------------------- search */
  var names = document.getElementById("kg-names");
  DATA.nodes.forEach(function (n) {
    if (n.summary) { return; }
    var o = el("option");
    o.value = n.label;
    names.appendChild(o);
  });
  var search = document.getElementById("kg-search");
  var status = document.getElementById("kg-search-status");
  function norm(s) { return String(s).normalize("NFKC").replace(/\s+/g, "").toLowerCase(); }
  function matches(q) {
    q = norm(q);
    if (!q) { return []; }
    return DATA.nodes.filter(function (n) {
      if (!nodeVisible(n)) { return false; }
      if (norm(n.label).indexOf(q) >= 0) { return true; }
      return (n.aliases || []).some(function (a) { return norm(a).indexOf(q) >= 0; });
    }).map(function (n) { return n.id; });
  }
  function runSearch(fit) {
    var ids = matches(search.value);
    network.selectNodes(ids);
    status.textContent = search.value ? ids.length + " 个匹配 matches" : "";
    if (fit && ids.length) { network.fit({ nodes: ids, animation: false }); }
    return ids;
  }
  search.addEventListener("input", function () { runSearch(false); });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { runSearch(true); } });
  window.kgSearch = function (q) { search.value = q; return runSearch(true); };

  /* ---------------------------------------------------------------- self-test */
  /* "#selftest" reports counts and errors into <pre id="kg-selftest">;
     "#selftest:hover=ID" also moves the mouse onto node or edge ID and reports
     the tooltip that vis-network shows. */
  function hoverPoint(id) {
    var pos = null;
    if (network.body.nodes[id]) {
      pos = network.getPositions([id])[id];
    } else if (network.body.edges[id]) {
      pos = network.body.edges[id].edgeType.getPoint(0.5);
    }
    return pos ? network.canvasToDOM(pos) : null;
  }
  function selftest() {
    var m = /^#selftest(?::hover=([^&]+))?$/.exec(location.hash);
    var hoverId = m && m[1] ? decodeURIComponent(m[1]) : null;
    var tips = document.getElementById("kg-selftest-tips");
    visNodes.concat(visEdges).forEach(function (item) { tips.appendChild(item.title.cloneNode(true)); });
    var before = { nodes: nodeView.length, edges: edgeView.length };
    // exercise the filters: hide every kind, then show all again
    DATA.kinds.forEach(function (k) { state.kinds[k] = false; });
    refresh();
    var hidden = { nodes: nodeView.length, edges: edgeView.length };
    DATA.kinds.forEach(function (k) { state.kinds[k] = true; });
    refresh();
    var shown = state.isolated;
    state.isolated = true;
    refresh();
    var all = { nodes: nodeView.length, edges: edgeView.length };
    state.isolated = shown;
    refresh();
    // every predicate off: no edge left
    DATA.predicates.forEach(function (p) { state.preds[p] = false; });
    refresh();
    var noPreds = { nodes: nodeView.length, edges: edgeView.length };
    DATA.predicates.forEach(function (p) { state.preds[p] = true; });
    // one province at a time (unconnected nodes shown, so that all are counted)
    state.isolated = true;
    var byProvince = {};
    DATA.provinces.forEach(function (p) {
      state.province = p;
      refresh();
      byProvince[p] = nodeView.length;
    });
    state.province = ALL;
    state.isolated = shown;
    refresh();
    var firstLabel = DATA.nodes.length ? DATA.nodes[0].label : "";
    var found = firstLabel ? window.kgSearch(firstLabel).length : 0;
    search.value = "";
    status.textContent = "";
    network.unselectAll();
    network.fit({ animation: false });
    var report = {
      nodes: nodeSet.length,
      edges: edgeSet.length,
      drawnNodes: network.body.nodeIndices.length,
      drawnEdges: network.body.edgeIndices.length,
      visible: before,
      hiddenByKindFilter: hidden,
      withIsolated: all,
      noPredicates: noPreds,
      byProvince: byProvince,
      isolated: DATA.isolatedCount,
      isolatedShown: state.isolated,
      searchHits: found,
      physicsEnabled: network.physics.options.enabled,
      stabilized: stabilized,
      frozenBy: frozenBy,
      tipElements: tips.querySelectorAll("script, img, iframe, svg, object").length,
      hover: null
    };
    function finish() {
      report.pwned = window.__kgPwned === undefined ? null : String(window.__kgPwned);
      report.resources = performance.getEntriesByType("resource").map(function (r) { return r.name; });
      report.errors = window.__kgErrors.slice();
      var pre = document.getElementById("kg-selftest");
      pre.textContent = JSON.stringify(report);
      pre.hidden = false;
    }
    if (!hoverId) { finish(); return; }
    var pt = hoverPoint(hoverId);
    if (!pt) { report.hover = { error: "no such node or edge: " + hoverId }; finish(); return; }
    var canvas = container.querySelector("canvas");
    var rect = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new MouseEvent("mousemove", {
      bubbles: true, clientX: rect.left + pt.x, clientY: rect.top + pt.y
    }));
    setTimeout(function () {
      var tip = container.querySelector("div.vis-tooltip");
      report.hover = tip ? {
        visible: getComputedStyle(tip).visibility === "visible",
        text: tip.textContent,
        elements: tip.querySelectorAll("script, img, iframe, svg, object").length
      } : { error: "no tooltip element" };
      finish();
    }, DATA.options.interaction.tooltipDelay + 400);
  }
})();
