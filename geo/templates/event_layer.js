/* event-atlas map: events drawn at their precision, clustered, filtered by type and date.
 * Data arrives once as base64 zlib JSON (see geo/map_payload.py). Article text only ever reaches
 * the page through textContent: nothing from the data is parsed as HTML. */
(function () {
  "use strict";
  if (window.EventAtlas) return;
  var EA = window.EventAtlas = { views: [] };
  var POINT = 0, NEAR = 1, REGION = 2, COUNTRY = 3, AREA = 4;
  var LIST_LIMIT = 100;
  var CLUSTER_MAX_ZOOM = 14;  // past it every place is drawn on its own

  /** base64 of compressed JSON -> Promise of the value; format "deflate" (ours) or "gzip". */
  EA.decode = function (b64, format) {
    var binary = atob(b64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format || "deflate"));
    return new Response(stream).text().then(JSON.parse);
  };

  /** Element with class and text (never HTML). */
  function el(tag, cls, text, parent) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null && text !== "") node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  EA.el = el;
  EA.escape = function (text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };
  EA.dayText = function (day) {
    var d = new Date(day * 86400000);
    return d.getUTCDate() + " " + ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()] + " " + d.getUTCFullYear();
  };
  /** Promise of the map's view (created by the event layer). */
  EA.ready = function (map) { return map._eventAtlas; };

  function View(map, data, options) {
    this.map = map;
    this.data = data;
    this.options = options;
    this.ev = data.events;
    this.S = data.strings;
    this.n = this.ev.id.length;
    this.index = new Map();
    for (var i = 0; i < this.n; i++) this.index.set(this.ev.id[i], i);
    this.lanesOn = new Set(data.lanes.map(function (_, i) { return i; }));
    this.range = null;
    // Uint8Array: 1 for the events another view (the linked timeline) keeps; held events start hidden
    this.only = data.events.held.indexOf(1) < 0 ? null : Uint8Array.from(data.events.held, function (h) { return 1 - h; });
    this.span = [Infinity, -Infinity];  // first day, day after the last (dated events)
    for (var d = 0; d < this.n; d++) {
      if (this.ev.day[d] === null) continue;
      this.span[0] = Math.min(this.span[0], this.ev.day[d]); this.span[1] = Math.max(this.span[1], this.ev.day_end[d]);
    }
    // events at the very same coordinates (a town's gazetteer point) share one place, indexed once
    var placeIds = new Map();
    this.placeOf = new Int32Array(this.n).fill(-1);
    this.placeAt = [];
    for (var p = 0; p < this.n; p++) {
      if (this.ev.kind[p] !== POINT && this.ev.kind[p] !== NEAR) continue;
      var at = this.ev.lat[p] + "," + this.ev.lon[p];
      var id = placeIds.get(at);
      if (id === undefined) { id = this.placeAt.length; placeIds.set(at, id); this.placeAt.push(p); }
      this.placeOf[p] = id;
    }
    this.listeners = {};
    this.visible = [];
    this._build();
    this.refresh();
  }
  EA.View = View;

  View.prototype.on = function (name, fn) { (this.listeners[name] = this.listeners[name] || []).push(fn); };
  View.prototype.emit = function (name, detail) {
    (this.listeners[name] || []).forEach(function (fn) { fn(detail); });
    this.map.getContainer().dispatchEvent(new CustomEvent("eventatlas:" + name, { detail: detail, bubbles: true }));
  };
  View.prototype.s = function (i) { return this.S[i] || ""; };
  View.prototype.lane = function (i) { return this.data.lanes[this.ev.lane[i]]; };

  View.prototype._build = function () {
    var map = this.map, self = this, data = this.data;
    map.getContainer().classList.add("ea-map");
    map.createPane("ea-base").style.zIndex = 200;
    map.createPane("ea-shapes").style.zIndex = 410;
    var renderer = L.canvas({ pane: "ea-base", padding: 0.5 });
    this.shapeRenderer = L.canvas({ pane: "ea-shapes", padding: 0.5, tolerance: 2 });
    this.ringRenderer = L.svg({ pane: "ea-shapes" });
    var features = data.countries.map(function (c) {
      return { type: "Feature", properties: { name: c[0] }, geometry: c[3] };
    });
    this.base = L.geoJSON({ type: "FeatureCollection", features: features }, {
      renderer: renderer, interactive: false, pane: "ea-base",
      style: { color: "#8d99a6", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }
    });
    var bases = {}, offlineName = "Countries (offline, Natural Earth)";
    bases[offlineName] = this.base;
    this.base.addTo(map);
    (this.options.tiles || []).forEach(function (t) {
      bases[EA.escape(t.name) + " (online)"] = L.tileLayer(t.url, { attribution: t.attribution, maxZoom: 18 });
    });
    map.attributionControl.addAttribution("Boundaries: Natural Earth");
    this.overlays = [];
    this.control = L.control.layers(bases, {}, { collapsed: this.options.collapsed_control, position: "topright" }).addTo(map);
    this.laneLayers = data.lanes.map(function (lane, i) {
      var proxy = L.layerGroup().addTo(map);
      proxy._eaLane = i;
      self.control.addOverlay(proxy, '<span class="ea-swatch" style="background:' + lane[1] + '"></span>' +
        EA.escape(lane[0]) + ' <span class="ea-count">' + lane[3] + "</span>");
      return proxy;
    });
    map.on("overlayadd overlayremove", function (e) {
      if (e.layer._eaLane === undefined) return;
      if (e.type === "overlayadd") self.lanesOn.add(e.layer._eaLane); else self.lanesOn.delete(e.layer._eaLane);
      self.refresh();
    });
    this.shapeLayer = L.layerGroup().addTo(map);
    this.clusterLayer = L.layerGroup().addTo(map);
    this.highlightLayer = L.layerGroup().addTo(map);
    map.on("moveend", function () { self.drawClusters(); });
  };

  /** Show or hide an event type (lane index). */
  View.prototype.setLane = function (lane, on) {
    var proxy = this.laneLayers[lane];
    if (on) this.map.addLayer(proxy); else this.map.removeLayer(proxy);
  };

  /** Keep events whose dates overlap [day, dayEnd) (days since 1970-01-01); null, or a range
   * holding every dated event, shows every event (undated ones too). */
  View.prototype.setRange = function (day, dayEnd, origin) {
    var all = day === null || day === undefined || (day <= this.span[0] && dayEnd >= this.span[1]);
    this.range = all ? null : [day, dayEnd];
    this.refresh();
    this.emit("range", { range: this.range, origin: origin || "api" });
  };

  /** Show only the events whose ``mask[i]`` is 1 (``null``: all), e.g. the linked timeline's filters. */
  View.prototype.setMask = function (mask) {
    this.only = mask;
    this.refresh();
  };

  View.prototype.passes = function (i) {
    if (!this.lanesOn.has(this.ev.lane[i])) return false;
    if (this.only !== null && !this.only[i]) return false;
    if (this.range === null) return true;
    var d = this.ev.day[i];
    return d !== null && d < this.range[1] && this.ev.day_end[i] > this.range[0];
  };

  View.prototype.refresh = function () {
    var ev = this.ev, groups = new Map(), members = new Array(this.placeAt.length);
    this.visible = [];
    for (var i = 0; i < this.n; i++) {
      if (!this.passes(i)) continue;
      this.visible.push(i);
      var place = this.placeOf[i];
      if (place >= 0) {
        (members[place] || (members[place] = [])).push(i);
      } else {
        var kind = ev.kind[i];
        var key = kind === AREA ? "a" + ev.lat[i] + "," + ev.lon[i] + "," + ev.precision[i] : kind + ":" + ev.shape[i];
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(i);
      }
    }
    this.places = members.filter(Boolean);
    var points = this.places.map(function (indices, k) {
      var props = { k: k, n: indices.length };
      for (var j = 0; j < indices.length; j++) { var lane = "l" + ev.lane[indices[j]]; props[lane] = (props[lane] || 0) + 1; }
      return { type: "Feature", properties: props, geometry: { type: "Point", coordinates: [ev.lon[indices[0]], ev.lat[indices[0]]] } };
    });
    this.index_ = new Supercluster({
      radius: this.options.cluster_radius, maxZoom: CLUSTER_MAX_ZOOM,
      map: function (p) { var out = {}; for (var k in p) if (k !== "k") out[k] = p[k]; return out; },
      reduce: function (acc, p) { for (var k in p) if (k === "n" || k.charAt(0) === "l") acc[k] = (acc[k] || 0) + p[k]; }
    }).load(points);
    performance.mark("eventatlas:indexed");
    this.drawShapes(groups);
    this.drawClusters();
    this.emit("filtered", { count: this.visible.length, range: this.range });
  };

  View.prototype.colourOf = function (indices) {
    var counts = {}, best = null;
    for (var j = 0; j < indices.length; j++) {
      var lane = this.ev.lane[indices[j]];
      counts[lane] = (counts[lane] || 0) + 1;
      if (best === null || counts[lane] > counts[best] || (counts[lane] === counts[best] && lane < best)) best = lane;
    }
    return this.data.lanes[best][1];
  };

  /** conic-gradient of lane shares, from {"l<lane>": count}. */
  View.prototype.pie = function (counts, total) {
    var stops = [], at = 0, lanes = this.data.lanes;
    Object.keys(counts).filter(function (k) { return k.charAt(0) === "l"; })
      .sort(function (a, b) { return +a.slice(1) - +b.slice(1); })
      .forEach(function (k) {
        var end = at + 360 * counts[k] / total;
        stops.push(lanes[+k.slice(1)][1] + " " + at.toFixed(1) + "deg " + end.toFixed(1) + "deg");
        at = end;
      });
    return "conic-gradient(" + stops.join(",") + ")";
  };

  View.prototype.badge = function (latlng, indices, cls, title) {
    var self = this, node = el("div", "ea-badge " + cls, String(indices.length));
    node.style.setProperty("--ea-colour", this.colourOf(indices));
    var marker = L.marker(latlng, {
      icon: L.divIcon({ html: node, className: "ea-badge-icon", iconSize: null }),
      keyboard: false, zIndexOffset: 500
    });
    marker.bindTooltip(el("span", null, title), { direction: "top", offset: [0, -10] });
    marker.on("click", function () {
      self.openList(latlng, indices, title);
      self.emit("select", { ids: indices.map(function (i) { return self.ev.id[i]; }), origin: "map" });
    });
    return marker;
  };

  /** Regions, countries and areas of the shown events: one shape and one counted badge per place.
   * Shapes are drawn on a canvas (thousands stay fast); badges are clustered like points. */
  View.prototype.drawShapes = function (groups) {
    var self = this, ev = this.ev, data = this.data;
    this.shapeLayer.clearLayers();
    this.shapes = new Map();
    this.groups = [];
    var badges = [];
    Array.from(groups.keys()).sort().forEach(function (key) {
      var indices = groups.get(key), i = indices[0], kind = ev.kind[i], colour = self.colourOf(indices);
      var title, latlng, shape, cls, count = indices.length + (indices.length === 1 ? " event" : " events");
      if (kind === REGION || kind === COUNTRY) {
        var row = (kind === REGION ? data.regions : data.countries)[ev.shape[i]];
        var approx = row[2];
        shape = L.geoJSON(row[3], {
          pane: "ea-shapes", renderer: self.shapeRenderer,
          style: kind === REGION
            ? { color: colour, weight: 1.5, dashArray: approx ? "5 4" : null, fillColor: colour, fillOpacity: 0.22 }
            : { color: colour, weight: 2.5, dashArray: "8 6", fillColor: colour, fillOpacity: 0.05 }
        });
        latlng = [row[4], row[5]];
        title = row[0] + (kind === REGION ? " (province" + (approx ? ", boundary approximate" : "") + ")" : " (country level)") + ": " + count;
        cls = kind === REGION ? "ea-badge-region" : "ea-badge-country";
      } else {
        latlng = [ev.lat[i], ev.lon[i]];
        var radius = data.area_radius_m[ev.precision[i]] || 50000;
        shape = L.circle(latlng, { radius: radius, pane: "ea-shapes", renderer: self.shapeRenderer, color: colour, weight: 1.5, dashArray: "5 4", fillColor: colour, fillOpacity: 0.18 });
        title = (self.s(ev.place[i]) || self.s(ev.place_text[i]) || "Area") + " (" + self.s(ev.level[i]) + ", shape not on file: shaded circle of " +
          Math.round(radius / 1000) + " km): " + count;
        cls = "ea-badge-area";
      }
      shape.eaKind = ["point", "near", "region", "country", "area"][kind];
      shape.on("click", function (e) { self.openList(e.latlng, indices, title); });
      shape.bindTooltip(el("span", null, title), { sticky: true });
      self.shapeLayer.addLayer(shape);
      var group = { shape: shape, latlng: latlng, title: title, indices: indices, cls: cls };
      badges.push({ type: "Feature", properties: { g: self.groups.length, n: indices.length },
                    geometry: { type: "Point", coordinates: [latlng[1], latlng[0]] } });
      self.groups.push(group);
      indices.forEach(function (j) { self.shapes.set(j, group); });
    });
    this.badgeIndex = new Supercluster({
      radius: 40, maxZoom: CLUSTER_MAX_ZOOM,
      map: function (p) { return { n: p.n }; },
      reduce: function (acc, p) { acc.n += p.n; }
    }).load(badges);
  };

  View.prototype.drawClusters = function () {
    if (!this.index_) return;
    var self = this, map = this.map, bounds = map.getBounds().pad(0.25);
    var bbox = [Math.max(-180, bounds.getWest()), Math.max(-85, bounds.getSouth()), Math.min(180, bounds.getEast()), Math.min(85, bounds.getNorth())];
    var zoom = Math.round(map.getZoom());
    var items = this.index_.getClusters(bbox, zoom);
    this.clusterLayer.clearLayers();
    items.forEach(function (f) {
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], p = f.properties;
      if (!p.cluster && p.n === 1) { self.clusterLayer.addLayer(self.pointMarker(self.places[p.k][0])); return; }
      var size = Math.round(26 + 9 * Math.log10(p.n));
      var node = el("div", "ea-cluster" + (p.cluster ? "" : " ea-stack"), String(p.n));
      node.style.width = node.style.height = size + "px";
      node.style.background = self.pie(p, p.n);
      var marker = L.marker(ll, { icon: L.divIcon({ html: node, className: "ea-cluster-icon", iconSize: [size, size] }), keyboard: false });
      var leaves = function () {
        if (!p.cluster) return self.places[p.k];
        var out = [];
        self.index_.getLeaves(p.cluster_id, Infinity).forEach(function (x) { Array.prototype.push.apply(out, self.places[x.properties.k]); });
        return out;
      };
      var title = p.cluster ? p.n + " events at towns or exact places: click to zoom in"
        : p.n + " events at " + (self.s(self.ev.place[self.places[p.k][0]]) || "this place") + ": click to list them";
      marker.bindTooltip(el("span", null, title), { direction: "top" });
      marker.on("click", function () {
        var expand = p.cluster ? self.index_.getClusterExpansionZoom(p.cluster_id) : Infinity;
        if (expand > CLUSTER_MAX_ZOOM) self.openList(ll, leaves(), p.n + " events here");
        else map.flyTo(ll, expand, { duration: 0.4 });
      });
      self.clusterLayer.addLayer(marker);
    });
    this.badgeIndex.getClusters(bbox, zoom).forEach(function (f) {
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], p = f.properties;
      if (!p.cluster) {
        var group = self.groups[p.g];
        self.clusterLayer.addLayer(self.badge(group.latlng, group.indices, group.cls, group.title));
        return;
      }
      var indices = [];
      self.badgeIndex.getLeaves(p.cluster_id, Infinity).forEach(function (x) { Array.prototype.push.apply(indices, self.groups[x.properties.g].indices); });
      var title = p.n + " events known only by province or country, in " + p.point_count + " places: click to zoom in";
      var marker = self.badge(ll, indices, "ea-badge-group", title);
      marker.off("click");
      marker.on("click", function () {
        var expand = self.badgeIndex.getClusterExpansionZoom(p.cluster_id);
        if (expand > CLUSTER_MAX_ZOOM) self.openList(ll, indices, title);
        else map.flyTo(ll, expand, { duration: 0.4 });
      });
      self.clusterLayer.addLayer(marker);
    });
  };

  View.prototype.pointMarker = function (i) {
    var self = this, ev = this.ev, lane = this.lane(i);
    var node = el("div", "ea-marker ea-icon" + (ev.kind[i] === NEAR ? " ea-near" : ""), lane[2] || "");
    node.style.setProperty("--ea-colour", lane[1]);
    node.setAttribute("data-event-id", ev.id[i]);
    var marker = L.marker([ev.lat[i], ev.lon[i]], {
      icon: L.divIcon({ html: node, className: "ea-marker-icon", iconSize: [26, 26] }), keyboard: false
    });
    marker.bindTooltip(el("span", null, this.summary(i)), { direction: "top", offset: [0, -12] });
    marker.bindPopup(function () { return self.details(i); }, { maxWidth: 360, minWidth: 260 });
    marker.on("click", function () { self.emit("select", { ids: [ev.id[i]], origin: "map" }); });
    return marker;
  };

  View.prototype.summary = function (i) {
    var place = this.s(this.ev.place[i]) || this.s(this.ev.place_text[i]);
    return this.lane(i)[0] + " · " + this.s(this.ev.date[i]).split(",")[0] + (place ? " · " + place : "");
  };

  /** The popup body of one event: type, date and precision, place and level, actors, evidence, sources. */
  View.prototype.details = function (i) {
    var ev = this.ev, s = this.s.bind(this), lane = this.lane(i);
    var box = el("div", "ea-popup");
    box.setAttribute("data-event-id", ev.id[i]);
    var head = el("div", "ea-head", null, box);
    var icon = el("span", "ea-icon ea-head-icon", lane[2], head);
    icon.style.background = lane[1];
    el("b", null, lane[0], head);
    var sub = s(ev.sub_event_type[i]);
    if (sub && sub !== lane[0]) el("span", "ea-sub", sub, head);
    var facts = el("dl", "ea-facts", null, box);
    function fact(name, value) { if (!value) return; el("dt", null, name, facts); el("dd", null, value, facts); }
    var written = s(ev.date_text[i]);
    fact("When", s(ev.date[i]) + (written ? " (written “" + written + "”)" : ""));
    var place = s(ev.place[i]) || s(ev.place_text[i]);
    var placeText = s(ev.place_text[i]);
    var where = place + (placeText && placeText !== place ? " (written “" + placeText + "”)" : "");
    var extra = ev.kind[i] === REGION ? (this.data.regions[ev.shape[i]][2] ? "; whole province shaded, boundary approximate" : "; whole province shaded")
      : ev.kind[i] === COUNTRY ? "; only the country is known" : ev.kind[i] === AREA ? "; shape not on file, shaded circle" : "";
    fact("Where", where + " — " + s(ev.level[i]) + extra);
    var actors = [s(ev.actor1[i]), s(ev.actor2[i])].filter(Boolean).join(" → ");
    fact("Who", actors);
    fact("Trigger", s(ev.trigger[i]));
    if (s(ev.modality[i]) && s(ev.modality[i]) !== "asserted") fact("Modality", s(ev.modality[i]));
    var sentence = s(ev.sentence[i]);
    if (sentence) el("blockquote", "ea-evidence", sentence, box);
    var src = ev.sources[i], count = src.length / 2;
    var sources = el("div", "ea-sources", null, box);
    el("div", "ea-sources-title", "Sources (" + count + (ev.source_count[i] > count ? " of " + ev.source_count[i] : "") + ")", sources);
    var list = el("ol", null, null, sources);
    for (var k = 0; k < src.length; k += 2) {
      var art = this.data.articles[src[k]], item = el("li", "ea-source", null, list);
      var name = s(art[4]) || s(art[1]) || s(art[0]) || "source";
      if (s(art[3])) {
        var a = el("a", null, name, item);
        a.href = s(art[3]); a.target = "_blank"; a.rel = "noopener noreferrer";
      } else {
        el("span", "ea-source-name", name, item);
      }
      var meta = [s(art[1]), s(art[2]), s(art[0])].filter(function (x) { return x && x !== name; }).join(" · ");
      if (meta) el("span", "ea-meta", " — " + meta, item);
      var said = s(src[k + 1]);
      if (said && said !== sentence) el("q", "ea-said", said, item);
    }
    return box;
  };

  View.prototype.openList = function (latlng, indices, title, open) {
    var self = this, box = el("div", "ea-popup ea-list");
    el("div", "ea-head", title, box);
    indices.slice(0, LIST_LIMIT).forEach(function (i) {
      var item = el("details", "ea-item", null, box);
      item.setAttribute("data-event-id", self.ev.id[i]);
      var summary = el("summary", null, null, item);
      var dot = el("span", "ea-swatch", null, summary);
      dot.style.background = self.lane(i)[1];
      summary.appendChild(document.createTextNode(self.summary(i)));
      item.addEventListener("toggle", function () {
        if (item.open && item.childNodes.length === 1) item.appendChild(self.details(i));
        if (item.open) self.emit("select", { ids: [self.ev.id[i]], origin: "map" });
      });
      if (i === open) { item.appendChild(self.details(i)); item.open = true; }
    });
    if (indices.length > LIST_LIMIT) el("p", "ea-more", "and " + (indices.length - LIST_LIMIT) + " more: narrow the dates or zoom in to see them", box);
    L.popup({ maxWidth: 380, minWidth: 280, maxHeight: 360 }).setLatLng(latlng).setContent(box).openOn(this.map);
  };

  /** Centre the map on an event, ring it and open its popup. */
  View.prototype.highlight = function (id) {
    var i = this.index.get(id), self = this, map = this.map;
    if (i === undefined) return false;
    if (!this.passes(i)) { this.setLane(this.ev.lane[i], true); if (!this.passes(i)) this.setRange(null, null, "highlight"); }
    this.highlightLayer.clearLayers();
    var kind = this.ev.kind[i], latlng;
    if (kind === POINT || kind === NEAR) {
      latlng = [this.ev.lat[i], this.ev.lon[i]];
      map.setView(latlng, Math.max(map.getZoom(), 7), { animate: false });
      L.popup({ maxWidth: 360, minWidth: 260, offset: [0, -8] }).setLatLng(latlng).setContent(this.details(i)).openOn(map);
    } else {
      var info = this.shapes.get(i);
      latlng = info.latlng;
      if (info.shape.getBounds) map.fitBounds(info.shape.getBounds(), { maxZoom: 7, animate: false });
      this.openList(latlng, info.indices, info.title, i);
    }
    L.circleMarker(latlng, { radius: 20, renderer: this.ringRenderer, className: "ea-highlight", color: "#111", weight: 3, fill: false, interactive: false }).addTo(this.highlightLayer);
    return true;
  };

  /** How many shapes of each kind ("region", "country", "area") are drawn. */
  View.prototype.shapeCounts = function () {
    var out = { region: 0, country: 0, area: 0 };
    this.groups.forEach(function (g) { out[g.shape.eaKind]++; });
    return out;
  };

  EA.create = function (map, payload, options) {
    map._eventAtlas = EA.decode(payload).then(function (data) {
      performance.mark("eventatlas:decoded");
      var view = new View(map, data, options);
      performance.mark("eventatlas:drawn");
      EA.views.push(view);
      // drawn and handlers attached: the next frame is the first a reader can use
      requestAnimationFrame(function () {
        window.eventAtlasReadyAt = performance.now();
        map.getContainer().setAttribute("data-ready", "true");
      });
      return view;
    });
    map._eventAtlas.catch(function (error) {
      var box = el("div", "ea-error", "The event data could not be read: " + error, map.getContainer());
      box.setAttribute("role", "alert");
    });
    return map._eventAtlas;
  };
})();
