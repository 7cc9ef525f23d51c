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

  // Jobs finished by the end of each hour (labels in the portal's time zone, from the server),
  // rising from zero, under a dashed line at the number of jobs planned.
  function drawChart(chart) {
    var svg = document.getElementById("progress-chart");
    if (!svg || !chart) { return; }
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var width = 600, height = 160, left = 40, right = 10, top = 18, bottom = 24;
    var plotW = width - left - right, plotH = height - top - bottom;
    svg.appendChild(el("line", {x1: left, y1: top + plotH, x2: width - right, y2: top + plotH, stroke: "#888"}));
    svg.appendChild(el("line", {x1: left, y1: top, x2: left, y2: top + plotH, stroke: "#888"}));
    var points = chart.points || [];
    if (!points.length) {
      svg.appendChild(el("text", {x: width / 2, y: height / 2, "text-anchor": "middle", fill: "#888"}, "—"));
      return;
    }
    var peak = Math.max(chart.planned || 0, points[points.length - 1][1], 1);
    function y(value) { return top + plotH - value / peak * plotH; }
    function x(index) { return left + (points.length > 1 ? index / (points.length - 1) : 1) * plotW; }
    var plannedY = y(chart.planned || 0);
    svg.appendChild(el("line", {x1: left, y1: plannedY, x2: width - right, y2: plannedY,
      stroke: "#6c757d", "stroke-dasharray": "4 3"}));
    svg.appendChild(el("text", {x: width - right, y: plannedY - 4, fill: "#555", "font-size": 11,
      "text-anchor": "end"}, chart.planned_label));
    var coords = points.map(function (point, index) {
      return x(index).toFixed(1) + "," + y(point[1]).toFixed(1);
    });
    if (points.length === 1) { coords.unshift(left + "," + y(0).toFixed(1)); }
    svg.appendChild(el("polyline", {points: coords.join(" "), fill: "none", stroke: "#0d6efd", "stroke-width": 2}));
    points.forEach(function (point, index) {
      svg.appendChild(el("circle", {cx: x(index).toFixed(1), cy: y(point[1]).toFixed(1), r: 3, fill: "#0d6efd"}));
    });
    var last = points[points.length - 1];
    svg.appendChild(el("text", {x: left + 4, y: 12, fill: "#0d6efd", "font-size": 11}, chart.done_label));
    svg.appendChild(el("text", {x: left - 4, y: top + plotH + 4, fill: "#555", "font-size": 11, "text-anchor": "end"}, "0"));
    svg.appendChild(el("text", {x: left, y: height - 6, fill: "#555", "font-size": 11}, points[0][0]));
    if (points.length > 1) {
      svg.appendChild(el("text", {x: width - right, y: height - 6, fill: "#555", "font-size": 11,
        "text-anchor": "end"}, last[0]));
    }
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
      cause.className = "small text-break";
      cause.setAttribute("translate", "no");
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
      tr.lastChild.title = job.details || "";
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
    drawChart(data.chart);
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { update(data); } })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, every); });
  }

  var initial = document.getElementById("progress-chart-data");
  drawChart(initial ? JSON.parse(initial.textContent) : null);
  poll();
})();
