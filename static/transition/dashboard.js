// The campaign dashboard refreshes itself: it polls the status endpoint and updates the counts,
// the pace and the progress chart in place, without reloading the page.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) { return; }
  var url = root.getAttribute("data-status-url");
  var every = parseInt(root.getAttribute("data-refresh-ms"), 10) || 5000;
  var SVG = "http://www.w3.org/2000/svg";
  var knownGroups = null;

  function lookup(data, path) {
    var parts = path.split(".");
    if (parts[0] === "instance") {
      var found = (data.instances || []).filter(function (i) { return String(i.id) === parts[1]; })[0];
      if (!found) { return undefined; }
      return parts[2] in found ? found[parts[2]] : found.jobs[parts[2]];
    }
    var value = data;
    for (var k = 0; k < parts.length && value !== undefined; k++) { value = value[parts[k]]; }
    return value;
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function drawChart(series, total) {
    var svg = document.getElementById("progress-chart");
    if (!svg) { return; }
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var width = 600, height = 160, pad = 30;
    svg.appendChild(el("line", {x1: pad, y1: height - pad, x2: width - 5, y2: height - pad, stroke: "#888"}));
    svg.appendChild(el("line", {x1: pad, y1: 5, x2: pad, y2: height - pad, stroke: "#888"}));
    if (!series.length) {
      svg.appendChild(el("text", {x: width / 2, y: height / 2, "text-anchor": "middle", fill: "#888"}, "—"));
      return;
    }
    var top = Math.max(total || 0, series[series.length - 1][1], 1);
    var first = Date.parse(series[0][0]), last = Date.parse(series[series.length - 1][0]);
    var span = Math.max(last - first, 3600 * 1000);
    var points = series.map(function (point) {
      var x = pad + (Date.parse(point[0]) - first) / span * (width - pad - 10);
      var y = height - pad - point[1] / top * (height - pad - 10);
      return x.toFixed(1) + "," + y.toFixed(1);
    });
    if (points.length === 1) { points.push((width - 10) + "," + points[0].split(",")[1]); }
    svg.appendChild(el("polyline", {points: points.join(" "), fill: "none", stroke: "#0d6efd", "stroke-width": 2}));
    svg.appendChild(el("text", {x: pad + 4, y: 14, fill: "#555", "font-size": 11}, String(top)));
    svg.appendChild(el("text", {x: pad, y: height - 8, fill: "#555", "font-size": 11},
      new Date(first).toLocaleString()));
    svg.appendChild(el("text", {x: width - 5, y: height - 8, fill: "#555", "font-size": 11, "text-anchor": "end"},
      new Date(last).toLocaleString()));
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) { td.className = className; }
    row.appendChild(td);
  }

  function drawOutages(outages) {
    var box = document.getElementById("outages");
    if (!box) { return; }
    while (box.firstChild) { box.removeChild(box.firstChild); }
    outages.forEach(function (outage) {
      var alert = document.createElement("div");
      alert.className = "alert alert-danger";
      alert.setAttribute("role", "alert");
      alert.setAttribute("data-testid", "outage-" + outage.id);
      var strong = document.createElement("strong");
      strong.textContent = outage.message;
      var cause = document.createElement("div");
      cause.className = "small";
      cause.textContent = outage.cause;
      alert.appendChild(strong);
      alert.appendChild(cause);
      box.appendChild(alert);
    });
  }

  function drawRetrying(rows) {
    var body = document.getElementById("retrying-rows");
    if (!body) { return; }
    while (body.firstChild) { body.removeChild(body.firstChild); }
    if (!rows.length) {
      var empty = document.createElement("tr");
      var td = document.createElement("td");
      td.colSpan = 5;
      td.className = "text-muted";
      td.textContent = body.getAttribute("data-empty");
      empty.appendChild(td);
      body.appendChild(empty);
      return;
    }
    rows.forEach(function (job) {
      var tr = document.createElement("tr");
      cell(tr, job.course);
      cell(tr, job.kind);
      cell(tr, job.cause, "small");
      cell(tr, job.attempt);
      cell(tr, job.next_try);
      body.appendChild(tr);
    });
  }

  function update(data) {
    root.querySelectorAll("[data-count]").forEach(function (node) {
      var value = lookup(data, node.getAttribute("data-count"));
      if (value !== undefined) { node.textContent = value; }
    });
    root.querySelectorAll("[data-field]").forEach(function (node) {
      var name = node.getAttribute("data-field");
      var value = name === "refreshed" ? data.refreshed_label : data[name];
      if (value !== undefined && value !== null) { node.textContent = value; }
    });
    var groups = {};
    (data.failure_groups || []).forEach(function (g) { groups[g.errorcode] = g.count; });
    root.querySelectorAll("[data-group-count]").forEach(function (node) {
      var code = node.getAttribute("data-group-count");
      node.textContent = groups[code] !== undefined ? groups[code] : 0;
    });
    var signature = JSON.stringify(groups);
    if (knownGroups !== null && signature !== knownGroups) {
      document.getElementById("new-failures").classList.remove("d-none");
    }
    if (knownGroups === null) { knownGroups = signature; }
    drawOutages(data.outages || []);
    drawRetrying(data.retrying_jobs || []);
    drawChart(data.series || [], data.total_jobs);
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { update(data); } })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, every); });
  }

  var initial = document.getElementById("progress-series");
  drawChart(initial ? JSON.parse(initial.textContent) : [], 0);
  poll();
})();
