/* Priorities chart: each intervention as a point, feasibility (x) against resilience share (y).
   Data from the json_script "strategy-chart-data"; no inline script (CSP). The chart is kept
   on window.strategyChart so tests can read it. */
(function () {
  "use strict";
  var source = document.getElementById("strategy-chart-data");
  var canvas = document.getElementById("strategy-chart");
  if (!source || !canvas || !window.Chart) { return; }
  var d = JSON.parse(source.textContent);
  window.strategyChart = new window.Chart(canvas, {
    type: "scatter",
    data: { datasets: [{
      label: d.label_y,
      data: d.points.map(function (p) { return { x: p.x, y: p.y, label: p.rank + ". " + p.label }; }),
      backgroundColor: "rgba(31,111,139,.7)", pointRadius: 6
    }] },
    options: {
      maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false },
                 tooltip: { callbacks: { label: function (c) { return c.raw.label; } } } },
      scales: { x: { min: 1, max: 5, title: { display: true, text: d.label_x } },
                y: { min: 0, max: 100, title: { display: true, text: d.label_y } } }
    }
  });
}());
