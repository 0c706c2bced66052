/* event-atlas map: count-per-province choropleth (events with a point or province inside it). */
(function () {
  "use strict";
  var EA = window.EventAtlas;
  var COLOURS = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
  EA.ProvinceCounts = function (view, options) {
    var layer = L.layerGroup(), data = view.data, self = this;
    this.view = view; this.layer = layer;
    function draw() {
      layer.clearLayers();
      if (!view.map.hasLayer(layer)) return;
      var counts = new Map();
      view.visible.forEach(function (i) {
        var p = view.ev.province[i];
        if (p >= 0) counts.set(p, (counts.get(p) || 0) + 1);
      });
      var max = 0;
      counts.forEach(function (c) { max = Math.max(max, c); });
      Array.from(counts.keys()).sort(function (a, b) { return a - b; }).forEach(function (p) {
        var c = counts.get(p), row = data.regions[p];
        var step = max <= 1 ? COLOURS.length - 1 : Math.min(COLOURS.length - 1, Math.floor(COLOURS.length * Math.log(c) / Math.log(max + 1)));
        var shape = L.geoJSON(row[3], {
          pane: "ea-shapes", renderer: view.shapeRenderer,
          style: { color: "#7f2704", weight: 0.8, dashArray: row[2] ? "3 3" : null, fillColor: COLOURS[Math.max(1, step)], fillOpacity: 0.75 }
        });
        var text = row[0] + ": " + c + (c === 1 ? " event" : " events") + (row[2] ? " (boundary approximate)" : "");
        shape.bindTooltip(EA.el("span", null, text), { sticky: true });
        layer.addLayer(shape);
      });
    }
    view.control.addOverlay(layer, options.name);
    view.on("filtered", draw);
    view.map.on("overlayadd", function (e) { if (e.layer === layer) draw(); });
    if (options.show) layer.addTo(view.map);
  };
})();
