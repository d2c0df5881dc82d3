// Map schedule: the stops of a date as numbered markers coloured per run, joined by the run's
// route line from the depot. The markers and lines are drawn whether or not the tile server
// answers (the map keeps its plain background when tiles fail).
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("map");
    var source = document.getElementById("map-data");
    if (!el || !source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    // Leaflet's own zoom buttons and attribution box fail WCAG checks: plain buttons outside
    // the map zoom it, and the tile attribution is text under the map.
    var map = L.map(el, { scrollWheelZoom: false, zoomControl: false, attributionControl: false });
    var zoomIn = document.getElementById("map-zoom-in");
    var zoomOut = document.getElementById("map-zoom-out");
    if (zoomIn) zoomIn.addEventListener("click", function () { map.zoomIn(); });
    if (zoomOut) zoomOut.addEventListener("click", function () { map.zoomOut(); });
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 18 }).addTo(map);
    }
    var bounds = [];
    data.runs.forEach(function (run, index) {
      var line = [];
      if (run.depot) {
        line.push(run.depot);
        bounds.push(run.depot);
        L.marker(run.depot, {
          icon: L.divIcon({ className: "", html: '<span class="dl-depot">D</span>', iconSize: [24, 24] }),
          interactive: false,
          keyboard: false,
        }).addTo(map);
      }
      run.stops.forEach(function (stop) {
        var at = [stop.lat, stop.lng];
        line.push(at);
        bounds.push(at);
        var icon = L.divIcon({
          className: "",
          html: '<span class="dl-marker dl-c' + (index % 7) + '">' + stop.n + "</span>",
          iconSize: [26, 26],
        });
        var marker = L.marker(at, { icon: icon, title: stop.title, alt: stop.title }).addTo(map);
        marker.bindPopup(document.createTextNode(stop.title + " — " + stop.status));
      });
      if (run.depot && line.length > 1) line.push(run.depot);
      if (line.length > 1) L.polyline(line, { color: run.colour, weight: 3, opacity: 0.8 }).addTo(map);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30] });
    else map.setView([12.5, 122], 5);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
