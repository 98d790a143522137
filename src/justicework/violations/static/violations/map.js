/* Incident map (Leaflet, vendored). No inline script: the page renders the points as a JSON data
   block (Django's json_script) and the map options as data-* attributes on the map element.
   With no tile URL configured the map still works: markers over a plain background. */
(function () {
  "use strict";

  function init() {
    var element = document.getElementById("incident-map");
    var dataElement = document.getElementById("incident-map-points");
    if (!element || !dataElement || typeof L === "undefined") {
      return;
    }
    var points = JSON.parse(dataElement.textContent || "[]");
    var tileUrl = element.getAttribute("data-tile-url") || "";
    var attribution = element.getAttribute("data-tile-attribution") || "";
    var map = L.map(element, { worldCopyJump: true, attributionControl: Boolean(tileUrl) });
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18, attribution: attribution }).addTo(map);
    } else {
      element.classList.add("incident-map--plain");
    }
    var bounds = [];
    points.forEach(function (point) {
      if (typeof point.lat !== "number" || typeof point.lng !== "number") {
        return;
      }
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: 7, weight: 2, color: "#0b4f8a", fillColor: "#ffffff", fillOpacity: 0.9
      }).addTo(map);
      // Popup content is built from text nodes, never from HTML strings.
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      box.appendChild(link);
      if (point.date) {
        var when = document.createElement("div");
        when.textContent = point.date;
        box.appendChild(when);
      }
      if (point.place) {
        var where = document.createElement("div");
        where.textContent = point.place;
        box.appendChild(where);
      }
      marker.bindPopup(box);
      marker.bindTooltip(point.title);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 8);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 });
    } else {
      map.setView([20, 0], 2);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
