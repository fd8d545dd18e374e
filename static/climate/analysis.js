/* The analysis page: poll the status while the analysis runs, then draw its charts.
   Data comes from the page (data-status-url, json_script "climate-charts"); no inline script. */
(function () {
  "use strict";

  function poll(box) {
    var url = box.getAttribute("data-status-url");
    var bar = box.querySelector("progress");
    var stage = box.querySelector(".stage");
    var pct = box.querySelector(".pct");
    var delay = 1500;
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { return; }
          bar.value = s.progress;
          pct.textContent = s.progress;
          stage.textContent = s.stage_label;
          // The heading's badge said "queued" when the page was drawn: keep it current.
          var badge = document.querySelector("h1 .badge[class*='an-']");
          if (badge && s.status_label) {
            badge.className = "badge an-" + s.status;
            badge.textContent = s.status_label;
          }
          if (s.status === "done" || s.status === "failed") {
            window.location.reload();
            return;
          }
          delay = Math.min(delay * 1.3, 8000);
          window.setTimeout(tick, delay);
        })
        .catch(function () { window.setTimeout(tick, 8000); });
    }
    window.setTimeout(tick, delay);
  }

  var BLUE = "#1f6f8b", ORANGE = "#d9822b", GREY = "rgba(31,111,139,.18)";

  function indexChart(canvas, d) {
    var trend = null;
    if (d.slope !== null && d.intercept !== null) {
      trend = d.labels.map(function (_, i) { return d.intercept + d.slope * i; });
    }
    var datasets = [{
      type: "bar", label: d.series_label, data: d.values, backgroundColor: GREY,
      borderColor: BLUE, borderWidth: 1
    }];
    if (trend) {
      datasets.push({ type: "line", label: d.trend_label, data: trend, borderColor: ORANGE,
        borderWidth: 2, pointRadius: 0, fill: false });
    }
    return new window.Chart(canvas, {
      data: { labels: d.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 12 } },
                  y: { title: { display: !!d.unit, text: d.unit } } }
      }
    });
  }

  function extremeChart(canvas, d) {
    var colours = [BLUE, ORANGE];
    var datasets = [];
    d.series.forEach(function (s, n) {
      var c = colours[n % colours.length];
      var points = function (values) {
        return d.periods.map(function (p, i) { return { x: p, y: values[i] }; });
      };
      datasets.push({ label: s.label, data: points(s.levels), borderColor: c,
        backgroundColor: c, borderWidth: 2, pointRadius: 3, showLine: true });
      datasets.push({ label: s.label + " · " + d.ci_label, data: points(s.low), borderColor: c,
        borderDash: [4, 4], borderWidth: 1, pointRadius: 0, showLine: true, fill: false });
      datasets.push({ label: "", data: points(s.high), borderColor: c, borderDash: [4, 4],
        borderWidth: 1, pointRadius: 0, showLine: true, fill: false });
    });
    return new window.Chart(canvas, {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom", labels: {
          filter: function (item) { return item.text !== ""; } } } },
        scales: {
          x: { type: "logarithmic", title: { display: true, text: d.axis_label },
               ticks: { callback: function (v) { return d.periods.indexOf(v) >= 0 ? v : ""; } } },
          y: { title: { display: !!d.unit, text: d.unit } }
        }
      }
    });
  }

  function draw() {
    var source = document.getElementById("climate-charts");
    if (!source || !window.Chart) { return; }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var d = charts[canvas.getAttribute("data-chart")];
      if (!d) { return; }
      if (d.kind === "index") { indexChart(canvas, d); } else { extremeChart(canvas, d); }
    });
  }

  var box = document.getElementById("progress");
  if (box) { poll(box); }
  draw();
}());
