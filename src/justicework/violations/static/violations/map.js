/* Incident map (Leaflet, vendored). No inline script: the page renders the points as a JSON data
   block (Django's json_script) and the map options as data-* attributes on the map element.
   With no tile URL configured the map draws a vendored, simplified world layer (Natural Earth
   country borders, world-atlas TopoJSON) under the points, so it works offline. Many points
   are clustered (Leaflet.markercluster). */
(function () {
  "use strict";

  var CLUSTER_FROM = 20; // fewer points than this are drawn one by one
  var DETAIL_FROM_ZOOM = 4; // the 1:50m borders replace the 1:110m ones from this zoom on
  var WORLD_STYLE = {
    color: "#7d8a97", weight: 0.7, fillColor: "#f5f2ea", fillOpacity: 1, interactive: false
  };

  function popupFor(point) {
    // Popup content is built from text nodes, never from HTML strings.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.title;
    box.appendChild(link);
    [point.date, point.place].forEach(function (text) {
      if (text) {
        var line = document.createElement("div");
        line.textContent = text;
        box.appendChild(line);
      }
    });
    return box;
  }

  function worldLayer(map, element) {
    var url = element.getAttribute("data-world-url");
    var detailUrl = element.getAttribute("data-world-detail-url");
    if (!url || typeof topojson === "undefined" || !window.fetch) {
      return;
    }
    map.createPane("world");
    map.getPane("world").style.zIndex = 250; // under the points (overlayPane is 400)
    var renderer = L.canvas({ pane: "world" });
    var current = null;
    var loading = {};

    function show(address, name) {
      if (loading[name]) {
        return;
      }
      loading[name] = true;
      fetch(address, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (topology) {
          var shapes = topojson.feature(topology, topology.objects.countries);
          var layer = L.geoJSON(shapes, { pane: "world", renderer: renderer, style: WORLD_STYLE });
          if (current) {
            map.removeLayer(current);
          }
          current = layer.addTo(map);
          element.setAttribute("data-world-layer", name);
        })
        .catch(function () {
          loading[name] = false; // the plain background stays; a later zoom tries again
        });
    }

    show(url, "110m");
    if (detailUrl) {
      map.on("zoomend", function () {
        if (map.getZoom() >= DETAIL_FROM_ZOOM) {
          show(detailUrl, "50m");
        }
      });
    }
  }

  function addPoints(map, points) {
    var bounds = [];
    var target = map;
    if (points.length >= CLUSTER_FROM && typeof L.markerClusterGroup === "function") {
      target = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
      map.addLayer(target);
    }
    points.forEach(function (point) {
      if (typeof point.lat !== "number" || typeof point.lng !== "number") {
        return;
      }
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: 7, weight: 2, color: "#0b4f8a", fillColor: "#ffffff", fillOpacity: 0.9
      });
      marker.bindPopup(popupFor(point));
      marker.bindTooltip(point.title);
      target.addLayer(marker);
      bounds.push([point.lat, point.lng]);
    });
    return bounds;
  }

  function init() {
    var element = document.getElementById("incident-map");
    var dataElement = document.getElementById("incident-map-points");
    if (!element || !dataElement || typeof L === "undefined") {
      return;
    }
    var points = JSON.parse(dataElement.textContent || "[]");
    var tileUrl = element.getAttribute("data-tile-url") || "";
    var attribution = element.getAttribute("data-tile-attribution") || "";
    var worldAttribution = element.getAttribute("data-world-attribution") || "";
    var map = L.map(element, {
      worldCopyJump: true, maxZoom: 18, attributionControl: Boolean(tileUrl || worldAttribution)
    });
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18, attribution: attribution }).addTo(map);
    } else {
      element.classList.add("incident-map--plain");
      if (worldAttribution) {
        map.attributionControl.addAttribution(worldAttribution);
      }
      worldLayer(map, element);
    }
    var bounds = addPoints(map, points);
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
