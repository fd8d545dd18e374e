/* M&E progress charts: actual (bars) against target (line) per period for every canvas with
   data-chart="<indicator id>". Data comes from the json_script "monitoring-charts"; no inline
   script (CSP). A chart is drawn when its canvas comes near the viewport, so a city with
   hundreds of indicators stays light; each is kept on window.monitoringCharts[id]. */
(function () {
  "use strict";
  var source = document.getElementById("monitoring-charts");
  if (!source || !window.Chart) { return; }
  var BLUE = "#1f6f8b", ORANGE = "#d9822b", FILL = "rgba(31,111,139,.25)";
  var byId = {};
  JSON.parse(source.textContent).forEach(function (d) { byId[d.id] = d; });
  window.monitoringCharts = {};

  function draw(canvas) {
    var d = byId[canvas.getAttribute("data-chart")];
    if (!d || window.monitoringCharts[d.id]) { return; }
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
  }

  var canvases = document.querySelectorAll("canvas[data-chart]");
  if (!("IntersectionObserver" in window)) {
    canvases.forEach(draw);
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        draw(entry.target);
        observer.unobserve(entry.target);
      }
    });
  }, { rootMargin: "300px" });
  canvases.forEach(function (canvas) { observer.observe(canvas); });
}());
