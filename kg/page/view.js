(function () {
  "use strict";
  var MAX_RESULTS = 10, MAX_VALUES = 40;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };

  // Nodes as embedded; edges expanded from [from, to, property, label, tooltip] rows.
  var byId = new Map(), links = new Map();
  data.nodes.forEach(function (n) {
    n.title = n.group + ": " + n.labels[0];
    byId.set(n.id, n);
    links.set(n.id, []);
  });
  var edgeList = data.edges.map(function (row, i) {
    var prop = data.props[row[2]], e = {id: "e" + i, from: data.nodes[row[0]].id, to: data.nodes[row[1]].id,
      prop: row[2], label: row[3] || prop.edge};
    if (row[4]) { e.title = row[4]; }
    if (prop.style) { Object.assign(e, prop.style); }
    links.get(e.from).push(e);
    if (e.to !== e.from) { links.get(e.to).push(e); }
    return e;
  });
  // Nodes in the drawing: all of them, or in a huge graph the most connected (data.drawn)
  // until others are asked for (bringIn).
  var present = new Set((data.drawn ? data.drawn.map(function (i) { return data.nodes[i]; }) : data.nodes)
    .map(function (n) { return n.id; }));
  var nodes = new vis.DataSet(data.nodes.filter(function (n) { return present.has(n.id); }));
  var edges = new vis.DataSet(edgeList.filter(function (e) { return present.has(e.from) && present.has(e.to); }));
  function bringIn(ids) {
    var fresh = ids.filter(function (id) { return byId.has(id) && !present.has(id); });
    if (!fresh.length) { return false; }
    fresh.forEach(function (id) { present.add(id); });
    nodes.add(fresh.map(function (id) { return byId.get(id); }));
    var added = new Set(), list = [];
    fresh.forEach(function (id) {
      links.get(id).forEach(function (e) {
        if (!added.has(e.id) && present.has(e.from) && present.has(e.to) && edges.get(e.id) === null) {
          added.add(e.id);
          list.push(e);
        }
      });
    });
    edges.add(list);
    return true;
  }
  var network = new vis.Network($("kg-graph"), {nodes: nodes, edges: edges}, data.options);
  var hidden = new Set();
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input.kg-kind"));
  var view = window.kgView = {network: network, nodes: nodes, edges: edges, data: data, ready: false,
    selected: null, search: search, matches: matches, select: select, factsOf: factsOf,
    applyFilters: applyFilters, showAll: showAll, present: present, hidden: hidden, byId: byId, links: links,
    bringIn: bringIn, el: el, link: link, norm: norm,
    filters: [],  // more ways to hide nodes (tools.js): each a function of a node, false to hide it
    beforeReady: []};  // what runs once the drawing has settled, before the page says it is ready

  // Ready once drawn; a small graph first settles under physics, which is then switched off.
  function markReady() {
    view.beforeReady.forEach(function (f) { f(); });
    view.readyAt = performance.now();  // milliseconds since navigation start
    view.ready = true;
    document.documentElement.setAttribute("data-kg-ready", "true");
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  // Data goes into the page as text only.
  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }
  function link(text, id) {
    var a = el("a", text, "kg-link");
    a.href = "#";
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(id); });
    return a;
  }

  // The same folding as kg.text.fold: no accents, one apostrophe, lower case; spaces collapsed.
  function norm(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u0111\u0110]/g, "d").replace(/[\u00f8\u00d8]/g, "o").replace(/[\u0142\u0141]/g, "l")
      .replace(/[\u2019\u2018`\u00b4\u02bc\u2032]/g, "'").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  // Search: a whole label first, then a label's start, then anywhere in a label; hubs first.
  var keys = data.nodes.map(function (n) { return {id: n.id, keys: n.search.split("\n"), size: n.size}; });
  function matches(text) {
    var q = norm(text), found = [];
    if (!q) { return found; }
    keys.forEach(function (entry) {
      var rank = 3;
      entry.keys.forEach(function (k) {
        var at = k.indexOf(q);
        if (at >= 0) { rank = Math.min(rank, k.length === q.length ? 0 : at === 0 ? 1 : 2); }
      });
      if (rank < 3) { found.push({id: entry.id, rank: rank, size: entry.size}); }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    return found.map(function (f) { return f.id; });
  }
  function search(text) {
    var ids = matches(text), list = $("kg-results");
    list.replaceChildren();
    $("kg-msg").textContent = !norm(text) ? "" : ids.length === 0 ? "No node matches." : ids.length === 1 ? "1 match." :
      ids.length + " matches" + (ids.length > MAX_RESULTS ? ", the first " + MAX_RESULTS + ":" : ":");
    if (ids.length > 1) {
      ids.slice(0, MAX_RESULTS).forEach(function (id) {
        var n = byId.get(id), item = el("li");
        item.append(link(n.labels[0], id), " (" + n.group + ")");
        list.appendChild(item);
      });
    }
    if (ids.length) { select(ids[0]); }
    return ids.length ? ids[0] : null;
  }
  $("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search($("kg-q").value);
  });

  // Filters: a node shows when its type is ticked and it comes from the chosen article.
  data.articles.forEach(function (a, i) {
    var option = el("option", a.headline + (a.source ? " (" + a.source + ")" : ""));
    option.value = String(i);
    $("kg-article").appendChild(option);
  });
  function applyFilters() {
    var kinds = new Set(kindBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
    var article = $("kg-article").value === "" ? -1 : Number($("kg-article").value), changes = [];
    if (article >= 0 && data.drawn) {
      bringIn(data.nodes.filter(function (n) { return n.articles.indexOf(article) >= 0; })
        .map(function (n) { return n.id; }));
    }
    data.nodes.forEach(function (n) {
      if (!present.has(n.id)) { return; }
      var hide = !kinds.has(n.group) || (article >= 0 && n.articles.indexOf(article) < 0) ||
        view.filters.some(function (keep) { return !keep(n); });
      if (hide !== hidden.has(n.id)) {
        changes.push({id: n.id, hidden: hide});
        if (hide) { hidden.add(n.id); } else { hidden.delete(n.id); }
      }
    });
    if (changes.length) { nodes.update(changes); }
    $("kg-shown").textContent = "Showing " + (present.size - hidden.size) + " of " + data.nodes.length + " nodes" +
      (present.size < data.nodes.length ? " (the most connected; search, a link or an article draws others)." : ".");
  }
  function showAll() {
    kindBoxes.forEach(function (b) { b.checked = true; });
    $("kg-article").value = "";
    view.filters.length = 0;
    if (view.onShowAll) { view.onShowAll(); }
    applyFilters();
  }
  kindBoxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  $("kg-article").addEventListener("change", function () {
    applyFilters();
    var shown = data.nodes.filter(function (n) { return present.has(n.id) && !hidden.has(n.id); })
      .map(function (n) { return n.id; });
    if (shown.length) { network.fit({nodes: shown, animation: false}); }
  });
  $("kg-all").addEventListener("click", showAll);
  applyFilters();

  // A node's facts: its own values, then its links (out, then in), articles last.
  function factsOf(id) {
    var n = byId.get(id), out = new Map(), into = new Map(), facts = [];
    function add(map, prop, value) {
      if (!map.has(prop)) { map.set(prop, []); }
      map.get(prop).push(value);
    }
    n.facts.forEach(function (f) { f[1].forEach(function (v) { add(out, f[0], v); }); });
    links.get(id).forEach(function (e) {  // a membership shows its role beside the name
      var member = data.props[e.prop].member, to = byId.get(e.to).labels[0], from = byId.get(e.from).labels[0];
      if (e.from === id) { add(out, e.prop, [member ? e.label + ", " + to : to, e.to]); }
      if (e.to === id) { add(into, e.prop, [member ? from + " (" + e.label + ")" : from, e.from]); }
    });
    function collect(map, inverse, last) {
      data.props.forEach(function (prop, i) {
        if (map.has(i) && prop.last === last) {
          facts.push([inverse ? prop.inverse || prop.edge + " (of)" : prop.facts, sortValues(map.get(i))]);
        }
      });
    }
    collect(out, false, false);
    collect(into, true, false);
    collect(out, false, true);
    collect(into, true, true);
    return facts;
  }
  function sortValues(values) {
    var seen = new Set(), unique = values.filter(function (v) {
      var key = JSON.stringify(v);
      return seen.has(key) ? false : (seen.add(key), true);
    });
    unique.sort(function (a, b) {
      var x = typeof a === "string" ? a : a[0], y = typeof b === "string" ? b : b[0];
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return unique.length <= MAX_VALUES ? unique :
      unique.slice(0, MAX_VALUES).concat(["\u2026 and " + (unique.length - MAX_VALUES) + " more"]);
  }

  // The side panel: the node's labels, facts (links to other nodes) and evidence sentences.
  function select(id) {
    if (!byId.has(id)) { return false; }
    if (bringIn([id])) { applyFilters(); }  // a node of a kind filtered out is then hidden: shown below
    if (hidden.has(id)) { showAll(); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1),  // each frame of a big graph is slow to draw
      animation: data.big ? false : {duration: 300, easingFunction: "easeInOutQuad"}});
    showPanel(id);
    return true;
  }
  function showPanel(id) {
    var n = byId.get(id), body = $("kg-body"), facts = el("dl");
    view.selected = id;
    $("kg-kind").textContent = n.group;
    $("kg-title").textContent = n.labels[0];
    body.replaceChildren();
    if (n.labels.length > 1) { addFact(facts, "Also known as", n.labels.slice(1)); }
    factsOf(id).forEach(function (f) { addFact(facts, f[0], f[1]); });
    body.appendChild(facts);
    if (n.evidence.length) {
      body.appendChild(el("h3", "Evidence"));
      n.evidence.forEach(function (row) {
        var quote = el("blockquote"), cite = el("cite"), a = data.articles[row[1]];
        quote.appendChild(marked("\u201c" + row[0] + "\u201d", n.labels));
        if (a) { cite.append("\u2014 ", link(a.headline, a.id), a.source ? " (" + a.source + ")" : ""); }
        if (a && a.url) {  // http(s) only, checked when the page was made
          var out = el("a", "article \u2197", "kg-out");
          out.href = a.url;
          out.target = "_blank";
          out.rel = "noopener noreferrer";
          cite.append(" ", out);
        }
        quote.appendChild(cite);
        body.appendChild(quote);
      });
      if (n.more) { body.appendChild(el("p", "\u2026 and " + n.more + " more sentences.")); }
    }
    $("kg-panel").hidden = false;
  }
  // A sentence with the node's names marked, as text nodes and <mark>s (never as markup).
  function marked(sentence, names) {
    var span = el("span"), folded = foldWithMap(sentence), hits = [];
    names.forEach(function (name) {
      var q = norm(name);
      if (q.length < 2) { return; }
      for (var at = folded.text.indexOf(q); at >= 0; at = folded.text.indexOf(q, at + q.length)) {
        hits.push([folded.map[at], folded.map[at + q.length - 1] + 1]);
      }
    });
    hits.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1]; });
    var pos = 0;
    hits.forEach(function (h) {
      if (h[0] < pos) { return; }
      span.append(sentence.slice(pos, h[0]), el("mark", sentence.slice(h[0], h[1])));
      pos = h[1];
    });
    span.append(sentence.slice(pos));
    return span;
  }
  // The folded text of a sentence, and where each of its characters comes from.
  function foldWithMap(text) {
    var out = "", map = [];
    for (var i = 0; i < text.length; i++) {
      var f = norm(text[i]) || (/\s/.test(text[i]) ? " " : "");
      for (var k = 0; k < f.length; k++) { out += f[k]; map.push(i); }
    }
    return {text: out.replace(/ /g, " "), map: map};
  }
  function addFact(list, heading, values) {
    var dd = el("dd"), items = el("ul");
    values.forEach(function (v) {
      var item = el("li");
      if (typeof v === "string") { item.textContent = v; } else { item.appendChild(link(v[0], v[1])); }
      items.appendChild(item);
    });
    dd.appendChild(items);
    list.append(el("dt", heading), dd);
  }
  function hidePanel() {  // nothing of the last selection stays on the page
    $("kg-panel").hidden = true;
    $("kg-kind").textContent = "";
    $("kg-title").textContent = "";
    $("kg-body").replaceChildren();
    $("kg-msg").textContent = "";
    $("kg-results").replaceChildren();
    view.selected = null;
  }
  view.hidePanel = hidePanel;
  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(params.nodes[0]); } else { hidePanel(); }
  });
  $("kg-close").addEventListener("click", function () { network.unselectAll(); hidePanel(); });
})();
