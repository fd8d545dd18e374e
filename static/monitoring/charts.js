/* M&E progress charts: actual (bars) against target (line) per period for every canvas with
   data-chart="<indicator id>". Data comes from the json_script "monitoring-charts"; no inline
   script (CSP). Each chart is kept on window.monitoringCharts[id] so tests can read it. */
(function () {
  "use strict";
  var source = document.getElementById("monitoring-charts");
  if (!source || !window.Chart) { return; }
  var charts = JSON.parse(source.textContent);
  var BLUE = "#1f6f8b", ORANGE = "#d9822b", FILL = "rgba(31,111,139,.25)";
  window.monitoringCharts = {};
  charts.forEach(function (d) {
    var canvas = document.querySelector("canvas[data-chart='" + d.id + "']");
    if (!canvas) { return; }
    window.monitoringCharts[d.id] = new window.Chart(canvas, {
      data: {
        labels: d.labels,
        datasets: [
          { type: "bar", label: d.actual_label, data: d.actual, backgroundColor: FILL,
            borderColor: BLUE, borderWidth: 1 },
          { type: "line", label: d.target_label, data: d.target, borderColor: ORANGE,
            backgroundColor: ORANGE, borderDash: [6, 4], borderWidth: 2, pointRadius: 3,
            spanGaps: true, fill: false }
        ]
      },
      options: {
        maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { ticks: { maxRotation: 0, autoSkip: true } },
                  y: { beginAtZero: true, title: { display: !!d.unit, text: d.unit } } }
      }
    });
  });
}());
