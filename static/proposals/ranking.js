/* The ranking page: a bar chart of the proposals' totals, best first.
   Data comes from the page (json_script "ranking-chart"); no inline script. */
(function () {
  "use strict";
  var canvas = document.getElementById("totals-chart");
  var source = document.getElementById("ranking-chart");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = data.labels.map(function (l) { return l.length > 40 ? l.slice(0, 39) + "…" : l; });
  canvas.parentNode.style.height = Math.max(160, 28 * labels.length + 60) + "px";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: labels,
      datasets: [{ label: data.label, data: data.totals, backgroundColor: "#1f6f8b" }]
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { min: 0, max: 1 } },
      plugins: { legend: { display: false } }
    }
  });
})();
