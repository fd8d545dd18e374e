// The risk-area map: the city's boundary and its risk areas coloured by hazard, on a blank
// background (no tile server: users may be offline). Editors draw a polygon; its GeoJSON goes
// into the draw form's hidden "geometry" field.
(function () {
  "use strict";
  var el = document.getElementById("area-map");
  var dataEl = document.getElementById("area-map-data");
  if (!el || !dataEl || !window.L) return;
  var data = JSON.parse(dataEl.textContent);
  var colours = {
    flood: "#1f6fb2", flash_flood: "#6a3d9a", drought: "#b7791f", water_shortage: "#138496",
    heat: "#d9480f", storm: "#495057", landslide: "#8d5524", haze: "#7d8790",
    sea_level_rise: "#0b7285", other: "#9aa7b1"
  };
  var map = L.map(el, { attributionControl: !!data.tiles, zoomSnap: 0.25 });
  if (data.tiles) {  // only when the site configures a tile server (MAP_TILES_URL)
    L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 19 }).addTo(map);
  }
  var bounds = L.latLngBounds([]);
  if (data.boundary) {
    var boundary = L.geoJSON(data.boundary, {
      style: { color: "#334", weight: 1.5, dashArray: "4 3", fillColor: "#f3f5f7", fillOpacity: 0.6 }
    }).addTo(map);
    bounds.extend(boundary.getBounds());
  }
  var areas = L.geoJSON(data.areas, {
    style: function (f) {
      var c = colours[f.properties.hazard] || "#9aa7b1";
      return { color: c, weight: 2, fillColor: c, fillOpacity: 0.35 };
    },
    onEachFeature: function (f, layer) {
      var div = document.createElement("div");
      var strong = document.createElement("strong");
      strong.textContent = f.properties.name;
      div.appendChild(strong);
      div.appendChild(document.createElement("br"));
      div.appendChild(document.createTextNode(f.properties.hazard_label));
      layer.bindPopup(div);
      layer.bindTooltip(f.properties.name);
    }
  }).addTo(map);
  if (data.areas.features.length) bounds.extend(areas.getBounds());
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [12, 12] });
  } else if (data.center) {
    map.setView(data.center, 12);
  } else {
    map.setView([13.75, 100.5], 6);
  }

  if (el.dataset.draw !== "1" || !L.Control.Draw) return;
  var field = document.querySelector("#draw-form input[name=geometry]");
  var drawn = new L.FeatureGroup().addTo(map);
  map.addControl(new L.Control.Draw({
    draw: { polygon: { allowIntersection: false, showArea: false }, rectangle: true,
            polyline: false, circle: false, marker: false, circlemarker: false },
    edit: { featureGroup: drawn, edit: true, remove: true }
  }));
  function store() {
    var shapes = [];
    drawn.eachLayer(function (layer) { shapes.push(layer.toGeoJSON().geometry); });
    if (!field) return;
    if (!shapes.length) { field.value = ""; return; }
    field.value = JSON.stringify(shapes.length === 1 ? shapes[0] : {
      type: "MultiPolygon", coordinates: shapes.map(function (s) { return s.coordinates; })
    });
  }
  map.on(L.Draw.Event.CREATED, function (e) { drawn.addLayer(e.layer); store(); });
  map.on(L.Draw.Event.EDITED, store);
  map.on(L.Draw.Event.DELETED, store);
  // A refused form comes back with the drawing: show it again.
  if (field && field.value) {
    try { L.geoJSON(JSON.parse(field.value)).eachLayer(function (l) { drawn.addLayer(l); }); }
    catch (err) { field.value = ""; }
  }
})();
