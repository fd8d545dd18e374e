/* The climograph on a city's baseline page: monthly rainfall as bars (left axis, mm) and mean
   Tmax / Tmin as lines (right axis, °C). Data comes from the page's json_script block. */
(function () {
  "use strict";
  var source = document.getElementById("climograph-data");
  var canvas = document.getElementById("climograph");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    data: {
      labels: data.months,
      datasets: [
        { type: "line", label: data.labels.tmax, data: data.tmax, yAxisID: "temp",
          borderColor: "#c8432b", backgroundColor: "#c8432b", tension: 0.3, spanGaps: true },
        { type: "line", label: data.labels.tmin, data: data.tmin, yAxisID: "temp",
          borderColor: "#2b6cb0", backgroundColor: "#2b6cb0", tension: 0.3, spanGaps: true },
        { type: "bar", label: data.labels.rain, data: data.rain, yAxisID: "rain",
          backgroundColor: "rgba(74, 144, 194, 0.55)" }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        rain: { type: "linear", position: "left", beginAtZero: true,
                title: { display: true, text: "mm" } },
        temp: { type: "linear", position: "right", grid: { drawOnChartArea: false },
                title: { display: true, text: "°C" } }
      },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
