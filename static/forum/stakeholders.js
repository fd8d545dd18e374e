// The influence/interest bubble chart of the stakeholder analysis (data from json_script).
(function () {
  "use strict";
  var canvas = document.getElementById("stakeholder-chart");
  var source = document.getElementById("stakeholder-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var labels = document.getElementById("stakeholder-labels");
  var points = JSON.parse(source.textContent);
  var axis = function (title) {
    return {min: 0, max: 6, ticks: {stepSize: 1}, title: {display: true, text: title}};
  };
  new Chart(canvas, {
    type: "bubble",
    data: {datasets: [{data: points, backgroundColor: "rgba(15,107,92,0.55)"}]},
    options: {
      plugins: {
        legend: {display: false},
        tooltip: {callbacks: {label: function (c) {
          return c.raw.label + " (" + c.raw.x + ", " + c.raw.y + ")";
        }}}
      },
      scales: {x: axis(labels.getAttribute("data-x")), y: axis(labels.getAttribute("data-y"))}
    }
  });
})();
