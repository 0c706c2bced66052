/* event-atlas map: date-range filter (two sliders over a histogram of event dates). */
(function () {
  "use strict";
  var EA = window.EventAtlas;
  EA.TimeFilter = L.Control.extend({
    options: { position: "bottomleft", bins: 60 },
    initialize: function (view, options) { L.setOptions(this, options); this.view = view; },
    onAdd: function () {
      var view = this.view, ev = view.ev, el = EA.el, self = this;
      var box = el("div", "ea-control ea-timefilter leaflet-bar");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var lo = Infinity, hi = -Infinity, undated = 0;
      for (var i = 0; i < view.n; i++) {
        if (ev.held[i]) continue;  // hidden until the linked timeline shows them
        if (ev.day[i] === null) { undated++; continue; }
        lo = Math.min(lo, ev.day[i]); hi = Math.max(hi, ev.day_end[i] - 1);
      }
      el("div", "ea-control-title", "Dates", box);
      if (lo === Infinity) { el("div", "ea-note", "No dated events.", box); return box; }
      if (hi === lo) hi = lo + 1;
      this.lo = lo; this.hi = hi;
      var bins = this.options.bins, counts = new Array(bins).fill(0), width = (hi - lo + 1) / bins;
      for (var j = 0; j < view.n; j++) if (ev.day[j] !== null && !ev.held[j]) counts[Math.min(bins - 1, Math.floor((ev.day[j] - lo) / width))]++;
      var max = Math.max.apply(null, counts), svgNS = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("class", "ea-histogram"); svg.setAttribute("viewBox", "0 0 " + bins + " 20"); svg.setAttribute("preserveAspectRatio", "none");
      counts.forEach(function (c, k) {
        if (!c) return;
        var h = Math.max(1.5, 20 * Math.sqrt(c / max)), r = document.createElementNS(svgNS, "rect");
        r.setAttribute("x", k + 0.1); r.setAttribute("width", 0.8); r.setAttribute("y", 20 - h); r.setAttribute("height", h);
        svg.appendChild(r);
      });
      this.bars = svg;
      box.appendChild(svg);
      var sliders = el("div", "ea-sliders", null, box);
      this.from = el("input", "ea-from", null, sliders);
      this.to = el("input", "ea-to", null, sliders);
      [this.from, this.to].forEach(function (input, k) {
        input.type = "range"; input.min = lo; input.max = hi; input.step = 1; input.value = k ? hi : lo;
        input.setAttribute("aria-label", k ? "last day shown" : "first day shown");
        input.addEventListener("input", function () { self._moved(input); });
      });
      var labels = el("div", "ea-range-labels", null, box);
      this.fromLabel = el("span", null, EA.dayText(lo), labels);
      this.countLabel = el("span", "ea-range-count", "", labels);
      this.toLabel = el("span", null, EA.dayText(hi), labels);
      var reset = el("button", "ea-reset", "All dates", box);
      reset.type = "button";
      reset.addEventListener("click", function () { view.setRange(null, null, "timefilter"); });
      if (undated) this.undatedNote = el("div", "ea-note", undated + " undated " + (undated === 1 ? "event is" : "events are") + " shown only with all dates.", box);
      view.on("range", function (d) { if (d.origin !== "timefilter") self._sync(d.range); });
      view.on("filtered", function (d) { self.countLabel.textContent = d.count + " shown"; });
      this.countLabel.textContent = view.visible.length + " shown";
      return box;
    },
    _moved: function (input) {
      var a = +this.from.value, b = +this.to.value, self = this;
      if (a > b) { if (input === this.from) this.to.value = a; else this.from.value = b; }
      a = +this.from.value; b = +this.to.value;
      this.fromLabel.textContent = EA.dayText(a); this.toLabel.textContent = EA.dayText(b);
      clearTimeout(this._timer);
      this._timer = setTimeout(function () {
        if (a <= self.lo && b >= self.hi) self.view.setRange(null, null, "timefilter");
        else self.view.setRange(a, b + 1, "timefilter");
      }, 120);
    },
    _sync: function (range) {
      if (!this.from) return;
      var a = range ? Math.max(this.lo, Math.min(this.hi, range[0])) : this.lo;
      var b = range ? Math.max(this.lo, Math.min(this.hi, range[1] - 1)) : this.hi;
      this.from.value = a; this.to.value = b;
      this.fromLabel.textContent = EA.dayText(a); this.toLabel.textContent = EA.dayText(b);
    }
  });
})();
