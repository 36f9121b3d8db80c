/* CAP warning maps (Leaflet, served by the platform; no inline script, CSP).
   #cap-map data-* attributes:
   data-geojson       FeatureCollection of warning areas to show (register, detail)
   data-boundary      the organisation's boundary (composer)
   data-tile-url      base map tiles, only when the operator configured MAP_TILE_URL
   data-draw          id of the textarea the drawn polygon goes into ("lat,lon lat,lon ...")
   data-area-url      composer: URL answering ?source=place:ID|area:ID with the boundary as CAP polygon
   data-source-select id of the select choosing a boundary */
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  function parse(text) { try { return text ? JSON.parse(text) : null; } catch (e) { return null; } }
  function toText(points) { return points.map(function (p) { return p[0].toFixed(5) + "," + p[1].toFixed(5); }).join(" "); }
  function fromText(text) {
    return (text || "").trim().split(/\s+/).map(function (pair) { var v = pair.split(","); return [parseFloat(v[0]), parseFloat(v[1])]; })
      .filter(function (p) { return !isNaN(p[0]) && !isNaN(p[1]); });
  }

  ready(function () {
    var el = document.getElementById("cap-map");
    if (!el || typeof L === "undefined") { return; }
    var map = L.map(el, { attributionControl: true });
    if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 18 }).addTo(map); }
    var bounds = null;
    var boundary = parse(el.dataset.boundary);
    if (boundary) {
      var b = L.geoJSON(boundary, { style: { color: "#4b5563", weight: 2, fill: false, dashArray: "4 4" } }).addTo(map);
      bounds = b.getBounds();
    }
    var shown = parse(el.dataset.geojson);
    if (shown && shown.features && shown.features.length) {
      var layer = L.geoJSON(shown, {
        style: { color: "#a3200b", weight: 2, fillOpacity: 0.25 },
        onEachFeature: function (f, l) {
          var a = document.createElement("a"); a.href = f.properties.url || "#"; a.textContent = f.properties.name || "";
          if (f.properties.url) { l.bindPopup(a); }
        }
      }).addTo(map);
      bounds = layer.getBounds();
    }
    if (bounds && bounds.isValid()) { map.fitBounds(bounds); } else { map.setView([51.2, 7.5], 7); }

    var target = el.dataset.draw ? document.getElementById(el.dataset.draw) : null;
    if (!target) { return; }
    var drawn = L.polygon([], { color: "#0b4f8a", weight: 3, fillOpacity: 0.2 }).addTo(map);
    var clear = document.getElementById("draw-clear");
    var undo = document.getElementById("draw-undo");
    var handles = L.layerGroup().addTo(map);
    function unclose(list) {
      if (list.length > 1 && list[0][0] === list[list.length - 1][0] && list[0][1] === list[list.length - 1][1]) { list.pop(); }
      return list;
    }
    var points = unclose(fromText(target.value));
    /* one draggable handle per point: drag it to move the point, click it to remove the point */
    function handlesFor() {
      handles.clearLayers();
      if (points.length > 60) { return; }  /* a boundary with many points: edit it in the text field */
      points.forEach(function (p, i) {
        var m = L.marker(p, { draggable: true, keyboard: false, title: String(i + 1),
          icon: L.divIcon({ className: "cap-vertex", iconSize: [14, 14] }) });
        m.on("drag", function (e) { points[i] = [e.latlng.lat, e.latlng.lng]; drawn.setLatLngs(points); });
        m.on("dragend", function () { redraw(); });
        m.on("click", function (e) { L.DomEvent.stopPropagation(e); points.splice(i, 1); redraw(); });
        handles.addLayer(m);
      });
    }
    function redraw() {
      drawn.setLatLngs(points);
      target.value = points.length >= 3 ? toText(points.concat([points[0]])) : "";
      if (clear) { clear.hidden = points.length === 0; }
      if (undo) { undo.hidden = points.length === 0; }
      handlesFor();
    }
    if (points.length) { redraw(); if (points.length >= 3) { map.fitBounds(drawn.getBounds()); } }
    map.on("click", function (e) { points.push([e.latlng.lat, e.latlng.lng]); redraw(); });
    if (clear) { clear.addEventListener("click", function () { points = []; redraw(); }); }
    if (undo) { undo.addEventListener("click", function () { points.pop(); redraw(); }); }
    target.addEventListener("change", function () {
      points = unclose(fromText(target.value));
      drawn.setLatLngs(points);
      handlesFor();
      if (clear) { clear.hidden = points.length === 0; }
      if (undo) { undo.hidden = points.length === 0; }
    });
    var select = el.dataset.sourceSelect ? document.getElementById(el.dataset.sourceSelect) : null;
    var area = document.getElementById("id_area_desc");
    if (select && el.dataset.areaUrl) {
      select.addEventListener("change", function () {
        if (!select.value) { return; }
        fetch(el.dataset.areaUrl + "?source=" + encodeURIComponent(select.value), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (data) {
            points = fromText(data.polygon); points.pop(); redraw();
            if (area && !area.value) { area.value = data.name; }
            if (points.length >= 3) { map.fitBounds(drawn.getBounds()); }
          });
      });
    }
  });
})();
