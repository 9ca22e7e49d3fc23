// What the view adds for questions of time and place: a timeline of agreements whose brushed
// period filters the graph, filters by country and by party, a node's neighbourhood, labels
// moved apart at rest, and the nodes shown as CSV. Works on window.kgView (view.js).
(function () {
  "use strict";
  var view = window.kgView, data = view.data, $ = function (id) { return document.getElementById(id); };
  var el = view.el, WIDTH = 260, HEIGHT = 46, PAD = 10;

  // --- neighbours -------------------------------------------------------------------------
  function neighbours(ids) {
    var out = new Set(ids);
    ids.forEach(function (id) {
      view.links.get(id).forEach(function (e) { out.add(e.from); out.add(e.to); });
    });
    return out;
  }
  function keepOnly(name, ids) {  // one filter per name: a new choice replaces the last
    for (var i = view.filters.length - 1; i >= 0; i--) {
      if (view.filters[i].filterName === name) { view.filters.splice(i, 1); }
    }
    if (ids) {
      var keep = function (n) { return ids.has(n.id); };
      keep.filterName = name;
      view.filters.push(keep);
      view.bringIn(Array.from(ids));
    }
    view.applyFilters();
  }
  view.neighbourhood = function (id) {
    keepOnly("neighbourhood", neighbours([id]));
    view.network.fit({nodes: Array.from(neighbours([id])).filter(function (n) { return view.present.has(n); }),
      animation: false});
  };

  // --- timeline -----------------------------------------------------------------------------
  // An agreement's time: its year, plus the month's share where the date gives one.
  function time(when) {
    var parts = when.split("-");
    return Number(parts[0]) + (parts[1] ? (Number(parts[1]) - 1) / 12 : 0);
  }
  var dated = data.nodes.filter(function (n) { return n.when; });
  var undated = data.nodes.filter(function (n) { return n.group === "Agreement" && !n.when; }).length;
  var first = Math.floor(Math.min.apply(null, dated.map(function (n) { return time(n.when); }).concat([9999])));
  var last = Math.floor(Math.max.apply(null, dated.map(function (n) { return time(n.when); }).concat([0]))) + 1;
  var svgNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var e = document.createElementNS(svgNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function x(t) { return PAD + (t - first) / Math.max(1, last - first) * (WIDTH - 2 * PAD); }
  function t(px) { return first + (px - PAD) / (WIDTH - 2 * PAD) * Math.max(1, last - first); }
  var chart = svg("svg", {width: WIDTH, height: HEIGHT, id: "kg-timeline-chart", role: "img"}), brush = null;
  if (dated.length) {
    chart.appendChild(svg("line", {x1: PAD, x2: WIDTH - PAD, y1: 30, y2: 30, stroke: "#999"}));
    for (var year = first; year <= last; year++) {
      if (last - first <= 12 || year % 5 === 0) {
        var label = svg("text", {x: x(year), y: 43, "font-size": 9, "text-anchor": "middle", fill: "#555"});
        label.textContent = String(year);
        chart.appendChild(label);
      }
    }
    var stack = {};
    dated.forEach(function (n) {
      var at = Math.round(x(time(n.when))), level = stack[at] = (stack[at] || 0) + 1;
      var dot = svg("circle", {cx: at, cy: 30 - 6 * level, r: 3, fill: "#c0392b"});
      var tip = svg("title", {});
      tip.textContent = n.labels[0] + " (" + n.when + ")";
      dot.appendChild(tip);
      chart.appendChild(dot);
    });
    brush = svg("rect", {y: 2, height: 32, fill: "rgba(52, 120, 200, 0.2)", stroke: "#3478c8", width: 0, x: 0});
    chart.appendChild(brush);
  }
  $("kg-timeline").append(chart, el("div", dated.length + " dated agreement(s)" +
    (undated ? ", " + undated + " undated (apart)" : "") + ". Drag over a period to keep it.", "kg-note"));

  // Keep the agreements of [from, to) and their neighbours; null clears the period.
  view.brush = function (from, to) {
    if (from === null) {
      if (brush) { brush.setAttribute("width", 0); }
      keepOnly("period", null);
      return [];
    }
    var chosen = dated.filter(function (n) { var w = time(n.when); return w >= from && w < to; })
      .map(function (n) { return n.id; });
    if (brush) {
      brush.setAttribute("x", Math.max(0, x(from)));
      brush.setAttribute("width", Math.max(1, x(to) - x(from)));
    }
    keepOnly("period", neighbours(chosen));
    return chosen;
  };
  var start = null;
  function px(ev) { return ev.clientX - chart.getBoundingClientRect().left; }
  chart.addEventListener("mousedown", function (ev) { start = px(ev); });
  chart.addEventListener("mousemove", function (ev) {
    if (start !== null && brush) {
      brush.setAttribute("x", Math.min(start, px(ev)));
      brush.setAttribute("width", Math.abs(px(ev) - start));
    }
  });
  window.addEventListener("mouseup", function (ev) {
    if (start === null) { return; }
    var a = Math.min(start, px(ev)), b = Math.max(start, px(ev));
    start = null;
    if (b - a < 3) { view.brush(null); } else { view.brush(t(a), t(b)); }
  });

  // --- country and party --------------------------------------------------------------------
  function edgesOf(prop) {  // [from, to] of the edges of a property (its local name)
    return data.edges.filter(function (row) { return data.props[row[2]].key.split(/[#/]/).pop() === prop; })
      .map(function (row) { return [data.nodes[row[0]].id, data.nodes[row[1]].id]; });
  }
  function fill(select, ids) {
    Array.from(new Set(ids)).map(function (id) { return view.byId.get(id); })
      .sort(function (a, b) { return a.labels[0] < b.labels[0] ? -1 : 1; })
      .forEach(function (n) {
        var option = el("option", n.labels[0]);
        option.value = n.id;
        select.appendChild(option);
      });
  }
  var parties = edgesOf("party");
  fill($("kg-party"), parties.map(function (e) { return e[1]; }));
  fill($("kg-country"), data.nodes.filter(function (n) { return n.group === "Country"; }).map(function (n) { return n.id; }));
  view.byParty = function (id) {  // the agreements it is a party to, and their neighbours
    keepOnly("party", id ? neighbours(parties.filter(function (e) { return e[1] === id; })
      .map(function (e) { return e[0]; })) : null);
  };
  view.byCountry = function (id) {  // the country, what is of it, and the agreements they are in
    if (!id) { keepOnly("country", null); return; }
    var of = neighbours([id]), agreements = [];
    of.forEach(function (m) {
      view.links.get(m).forEach(function (e) {
        var other = e.from === m ? e.to : e.from;
        if (view.byId.get(other).group === "Agreement") { agreements.push(other); }
      });
    });
    agreements.forEach(function (a) { of.add(a); });
    keepOnly("country", of);
  };
  $("kg-party").addEventListener("change", function (ev) { view.byParty(ev.target.value); });
  $("kg-country").addEventListener("change", function (ev) { view.byCountry(ev.target.value); });
  view.onShowAll = function () {
    $("kg-party").value = "";
    $("kg-country").value = "";
    if (brush) { brush.setAttribute("width", 0); }
  };
  $("kg-hood").addEventListener("click", function () { if (view.selected) { view.neighbourhood(view.selected); } });

  // --- CSV ------------------------------------------------------------------------------------
  function cell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // not a formula in a spreadsheet
    return /[",\n\r]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }
  view.csv = function () {
    var rows = [["id", "type", "label", "date", "articles"]];
    data.nodes.forEach(function (n) {
      if (view.present.has(n.id) && !view.hidden.has(n.id)) {
        rows.push([n.id, n.group, n.labels[0], n.when || "", n.articles.map(function (i) {
          return data.articles[i].source || data.articles[i].id;
        }).join("; ")]);
      }
    });
    return rows.map(function (r) { return r.map(cell).join(","); }).join("\r\n") + "\r\n";
  };
  $("kg-csv").addEventListener("click", function () {
    var a = el("a");
    a.href = "data:text/csv;charset=utf-8," + encodeURIComponent(view.csv());
    a.download = "kg-selection.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  // --- labels apart at rest ----------------------------------------------------------------------
  function overlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  // The drawn boxes (shape and label) of the nodes shown, as the canvas has them.
  view.boxes = function () {
    var out = [];
    view.nodes.getIds().forEach(function (id) {
      if (!view.hidden.has(id)) { out.push({id: id, box: view.network.getBoundingBox(id)}); }
    });
    return out;
  };
  view.separate = function (rounds) {
    var network = view.network, moved = true;
    for (var round = 0; moved && round < (rounds || 200); round++) {
      moved = false;
      network.redraw();  // the boxes of the nodes moved last round, as drawn
      var boxes = view.boxes(), positions = network.getPositions(boxes.map(function (b) { return b.id; }));
      for (var i = 0; i < boxes.length; i++) {
        for (var j = i + 1; j < boxes.length; j++) {
          var a = boxes[i].box, b = boxes[j].box;
          if (!overlap(a, b)) { continue; }
          var p = positions[boxes[i].id], q = positions[boxes[j].id];
          var down = Math.min(a.bottom - b.top, b.bottom - a.top) / 2 + 2;  // apart vertically, by half the overlap each
          var sign = p.y < q.y || (p.y === q.y && boxes[i].id < boxes[j].id) ? -1 : 1;
          p.y += sign * down;
          q.y -= sign * down;
          network.moveNode(boxes[i].id, p.x, p.y);
          network.moveNode(boxes[j].id, q.x, q.y);
          a.top += sign * down; a.bottom += sign * down;
          b.top -= sign * down; b.bottom -= sign * down;
          moved = true;
        }
      }
    }
    return !moved;
  };
  if (!data.big) { view.beforeReady.push(function () { view.separate(); view.network.fit({animation: false}); }); }
})();
