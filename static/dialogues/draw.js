// Drawing a risk area's corners on the offline SVG map (templates/dialogues/_draw.html) fills
// in the GeoJSON box. Loaded right after the markup, so the boxes it looks for exist.
(function () {
  document.querySelectorAll(".draw").forEach(function (box) {
    var svg = box.querySelector("svg"), sketch = box.querySelector(".sketch");
    var text = box.closest("form").querySelector("textarea[name=geometry]");
    var f = {}, points = [];
    ["minx", "miny", "scale", "pad", "ox", "oy", "size"].forEach(function (k) { f[k] = parseFloat(box.dataset[k]); });
    box.hidden = false;
    function lonLat(p) {  // the inverse of apps.dialogues.maps' projection
      return [+((p[0] - f.pad - f.ox) / f.scale + f.minx).toFixed(6),
              +((f.size - f.pad - f.oy - p[1]) / f.scale + f.miny).toFixed(6)];
    }
    function draw() {
      sketch.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
      if (points.length >= 3) {
        var ring = points.map(lonLat);
        ring.push(ring[0]);
        text.value = JSON.stringify({type: "Polygon", coordinates: [ring]});
      }
    }
    svg.addEventListener("click", function (event) {
      var at = svg.createSVGPoint();
      at.x = event.clientX; at.y = event.clientY;
      at = at.matrixTransform(svg.getScreenCTM().inverse());
      points.push([Math.round(at.x * 10) / 10, Math.round(at.y * 10) / 10]);
      draw();
    });
    box.querySelector("[data-undo]").addEventListener("click", function () { points.pop(); draw(); });
    box.querySelector("[data-clear]").addEventListener("click", function () { points = []; text.value = ""; draw(); });
  });
})();
