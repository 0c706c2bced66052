/* event-atlas map: legend (types with counts, precision key, what is not on the map). */
(function () {
  "use strict";
  var EA = window.EventAtlas;
  EA.Legend = L.Control.extend({
    options: { position: "bottomright", title: "Events" },
    initialize: function (view, options) { L.setOptions(this, options); this.view = view; },
    onAdd: function () {
      var view = this.view, data = view.data, el = EA.el, self = this;
      var box = el("div", "ea-control ea-legend leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var held = {}, heldCount = 0;
      data.events.held.forEach(function (h, i) {
        if (!h) return;
        var m = view.s(view.ev.modality[i]);
        held[m] = (held[m] || 0) + 1; heldCount++;
      });
      var toggle = el("button", "ea-legend-toggle", this.options.title + " (" + (view.n - heldCount) + " on the map)", box);
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "true");
      var body = el("div", "ea-legend-body", null, box);
      toggle.addEventListener("click", function () {
        var open = box.classList.toggle("ea-collapsed");
        toggle.setAttribute("aria-expanded", open ? "false" : "true");
      });
      var list = el("ul", "ea-lanes", null, body);
      this.rows = data.lanes.map(function (lane, i) {
        var item = el("li", "ea-lane", null, list);
        item.setAttribute("role", "button"); item.tabIndex = 0;
        item.title = "Show or hide this type";
        var icon = el("span", "ea-icon ea-lane-icon", lane[2], item);
        icon.style.background = lane[1];
        el("span", "ea-lane-name", lane[0], item);
        var count = el("span", "ea-count", String(lane[3]), item);
        function flip() { view.setLane(i, !view.lanesOn.has(i)); }
        item.addEventListener("click", flip);
        item.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); flip(); } });
        return { item: item, count: count };
      });
      el("div", "ea-control-title", "Drawn as precisely as the place is known", body);
      var key = el("ul", "ea-key", null, body);
      [["ea-key-point", "town or exact place (clusters count events)"],
       ["ea-key-near", "near a place, or a district"],
       ["ea-key-region", "province only: shaded (dashed edge: approximate)"],
       ["ea-key-country", "country only: outlined, badge counts events"]].forEach(function (row) {
        var item = el("li", null, null, key);
        el("span", "ea-key-symbol " + row[0], null, item);
        el("span", null, row[1], item);
      });
      var hidden = data.hidden, notes = [];
      if (hidden.unlocated) notes.push(hidden.unlocated + " without a known place");
      Object.keys(hidden.modality).forEach(function (m) { notes.push(hidden.modality[m] + " " + m + " (not asserted)"); });
      if (notes.length) el("div", "ea-note", "Not on the map: " + notes.join(", ") + ".", body);
      var heldNotes = Object.keys(held).sort().map(function (m) { return held[m] + " " + m; });
      if (heldNotes.length) el("div", "ea-note", "Not asserted, hidden until switched on in the timeline: " + heldNotes.join(", ") + ".", body);
      view.on("filtered", function () { self._update(); });
      view.map.on("overlayadd overlayremove", function () { self._update(); });
      this._update();
      return box;
    },
    _update: function () {
      var view = this.view, shown = new Array(view.data.lanes.length).fill(0);
      view.visible.forEach(function (i) { shown[view.ev.lane[i]]++; });
      this.rows.forEach(function (row, i) {
        var total = view.data.lanes[i][3];
        row.count.textContent = shown[i] === total ? String(total) : shown[i] + " of " + total;
        row.item.classList.toggle("ea-off", !view.lanesOn.has(i));
      });
    }
  });
})();
