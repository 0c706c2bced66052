/* event-atlas timeline page. Decodes the data block (gzip-compressed JSON in base64), draws it
   with vis-timeline, and wires the filters, hover summary, detail panel and undated list. Article
   text is only ever put in the page with textContent (never innerHTML): a hostile string stays text.
   More than DETAIL_LIMIT events in view are drawn as counts per lane and period (click to zoom in),
   so 10,000 events stay quick. */
(function () {
  "use strict";
  function fail(message) {
    var box = document.getElementById("status");
    box.textContent = message;
    box.className = "status failed";
    document.body.dataset.failed = "true";
  }
  var block = document.getElementById("timeline-data");
  if (typeof DecompressionStream === "undefined") {
    fail("This browser is too old to open this timeline (it needs Chrome 80, Firefox 113, Safari 16.4 or later).");
    return;
  }
  var binary = atob(block.textContent.trim());
  var bytes = new Uint8Array(binary.length);
  for (var b = 0; b < binary.length; b++) bytes[b] = binary.charCodeAt(b);
  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
    .then(function (text) { start(JSON.parse(text)); })
    .catch(function (error) { fail("Could not read the timeline data: " + error); throw error; });
})();

function start(DATA) {
  "use strict";
  var S = DATA.strings, EVENTS = DATA.events, ARTICLES = DATA.articles, LANES = DATA.lanes;
  var MODALITIES = DATA.modalities;
  var DAY = 864e5;
  // event row fields (see timeline.view.payload)
  var ID = 0, LANE = 1, MOD = 2, FIRST = 3, END = 4, FLAGS = 5, LABEL = 6, TRIGGER = 7, SUB = 8,
      PLACE = 9, PLACE_TEXT = 10, ACTOR1 = 11, ACTOR2 = 12, SENTENCE = 13, REPORTS = 14,
      INDEPENDENT = 15, SOURCES = 16, DATE_TEXT = 17, TYPE = 18;
  var POINT = 1, BY_PUBLICATION = 2;

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function safeHref(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (error) { return null; }
  }
  function colour(hex) { return /^#[0-9a-fA-F]{6}$/.test(hex) ? hex : "#95a5a6"; }
  function wash(hex) {
    var n = parseInt(colour(hex).slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + ",0.18)";
  }
  function place(row) { return S[row[PLACE]] || S[row[PLACE_TEXT]]; }
  function headline(row) {
    var what = S[row[TRIGGER]] || S[row[SUB]] || S[row[TYPE]] || "Event";
    var where = place(row);
    return what.charAt(0).toUpperCase() + what.slice(1) + (where ? " \u00b7 " + where : "");
  }
  function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function plural(n, word) { return num(n) + " " + word + (n === 1 ? "" : "s"); }

  // ---- lane colours as CSS custom properties, one class per lane
  var laneStyle = el("style");
  laneStyle.textContent = LANES.map(function (lane, k) {
    return ".l" + k + "{--c:" + colour(lane[1]) + ";--wash-c:" + wash(lane[1]) + "}";
  }).join("\n");
  document.head.appendChild(laneStyle);

  // ---- filter state
  var shownModalities = {};
  DATA.shown_modalities.forEach(function (m) { shownModalities[m] = true; });
  var hiddenLanes = {};
  var state = { query: "", place: "", actor: "", reports: 1 };
  var keep = new Uint8Array(EVENTS.length);
  var filterListeners = [];
  var haystacks = null;

  function haystack(i) {
    if (!haystacks) {
      haystacks = EVENTS.map(function (row) {
        var parts = [headline(row), S[row[SENTENCE]], S[row[PLACE_TEXT]], S[row[ACTOR1]], S[row[ACTOR2]],
                     S[row[DATE_TEXT]], S[row[LABEL]], S[row[SUB]], S[row[TYPE]], row[ID]];
        var sources = row[SOURCES];
        for (var j = 0; j < sources.length; j += 2) {
          var article = ARTICLES[sources[j]];
          parts.push(S[article[1]], S[article[4]], S[sources[j + 1]]);
        }
        return parts.join("\n").toLowerCase();
      });
    }
    return haystacks[i];
  }
  function matches(i) {
    var row = EVENTS[i];
    if (!shownModalities[MODALITIES[row[MOD]]] || hiddenLanes[row[LANE]]) return false;
    if (row[REPORTS] < state.reports) return false;
    if (state.place && (S[row[PLACE]] + "\n" + S[row[PLACE_TEXT]]).toLowerCase().indexOf(state.place) < 0) return false;
    if (state.actor && (S[row[ACTOR1]] + "\n" + S[row[ACTOR2]]).toLowerCase().indexOf(state.actor) < 0) return false;
    if (state.query && haystack(i).indexOf(state.query) < 0) return false;
    return true;
  }

  // the shown dated events' extent, with room on the right for the labels of the last ones
  function shownWindow() {
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < EVENTS.length; i++) {
      if (!keep[i] || EVENTS[i][FIRST] === null) continue;
      if (EVENTS[i][FIRST] < lo) lo = EVENTS[i][FIRST];
      if (EVENTS[i][END] > hi) hi = EVENTS[i][END];
    }
    if (lo === Infinity) return null;
    var span = Math.max(hi - lo, 7);
    return [new Date((lo - span * 0.03) * DAY), new Date((hi + span * 0.25) * DAY)];
  }

  // ---- vis-timeline: the items drawn are single events, or counts per lane and period
  var DETAIL_LIMIT = 300;
  var dated = [], undated = [];
  EVENTS.forEach(function (row, i) { (row[FIRST] === null ? undated : dated).push(i); });
  for (var i0 = 0; i0 < EVENTS.length; i0++) keep[i0] = matches(i0) ? 1 : 0;
  var items = new vis.DataSet();
  var drawn = {};
  var mode = "events";
  var groups = new vis.DataSet(LANES.map(function (lane, k) { return { id: k, content: "", order: k }; }));
  var laneCounts = LANES.map(function () { return 0; });
  var laneVisible = LANES.map(function () { return true; });
  var laneCountNodes = [];

  // a range narrower than MIN_RANGE_PX at this zoom is drawn as a marker with its label beside it
  // (class "squeezed", a bar instead of a dot); zooming in draws it as a range again
  var MIN_RANGE_PX = 40;
  function eventItem(i, pxPerDay) {
    var row = EVENTS[i];
    var range = !(row[FLAGS] & POINT), squeezed = range && (row[END] - row[FIRST]) * pxPerDay < MIN_RANGE_PX;
    var item = {
      id: i, group: row[LANE], content: "", start: new Date(row[FIRST] * DAY),
      type: range && !squeezed ? "range" : "point",
      className: "ev l" + row[LANE] + (row[MOD] ? " hedged" : "") + (row[FLAGS] & BY_PUBLICATION ? " published" : "")
        + (squeezed ? " squeezed" : "")
    };
    if (range && !squeezed) item.end = new Date(row[END] * DAY);
    return item;
  }
  function pxPerDay(a, b) {
    var width = timeline ? timeline.body.domProps.center.width : $("timeline").clientWidth - 200;
    return Math.max(width, 100) / Math.max(b - a, 1e-3);
  }

  // periods for counts: [days, months]; weeks start on Monday (day 4 since 1970-01-01)
  var STEPS = [[1, 0], [7, 0], [0, 1], [0, 3], [0, 6], [0, 12], [0, 60], [0, 120], [0, 1200]];
  function monthOf(day) { var d = new Date(day * DAY); return d.getUTCFullYear() * 12 + d.getUTCMonth(); }
  function dayOfMonth(m) { return Date.UTC(Math.floor(m / 12), m % 12, 1) / DAY; }
  function period(day, step) {
    if (step[0]) { var first = Math.floor((day - 4) / step[0]) * step[0] + 4; return [first, first + step[0]]; }
    var m = monthOf(day);
    m -= ((m % step[1]) + step[1]) % step[1];
    return [dayOfMonth(m), dayOfMonth(m + step[1])];
  }
  function periodName(from, step) {
    var d = new Date(from * DAY), y = d.getUTCFullYear(), m = d.getUTCMonth();
    var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"];
    if (step[0] === 1) return d.getUTCDate() + " " + months[m].slice(0, 3) + " " + y;
    if (step[0] === 7) return "week of " + d.getUTCDate() + " " + months[m].slice(0, 3) + " " + y;
    if (step[1] === 1) return months[m] + " " + y;
    if (step[1] === 3) return "Q" + (m / 3 + 1) + " " + y;
    if (step[1] === 6) return (m ? "second" : "first") + " half of " + y;
    if (step[1] === 12) return String(y);
    return y + "–" + (y + step[1] / 12 - 1);
  }
  function chooseStep(width) {
    for (var k = 0; k < STEPS.length; k++) {
      if (width / (STEPS[k][0] || STEPS[k][1] * 30.44) <= 40) return STEPS[k];
    }
    return STEPS[STEPS.length - 1];
  }

  // what to draw for the window [a, b) in days: the single events, or counts when there are too many
  function wanted(a, b) {
    var width = b - a, lo = a - width / 2, hi = b + width / 2, inView = 0, near = [];
    for (var k = 0; k < dated.length; k++) {
      var i = dated[k], row = EVENTS[i];
      if (!keep[i] || row[FIRST] >= hi || row[END] <= lo) continue;
      near.push(i);
      if (row[FIRST] < b && row[END] > a) inView++;
    }
    if (inView <= DETAIL_LIMIT) {
      var scale = pxPerDay(a, b);
      return { mode: "events", items: near.map(function (i) { return eventItem(i, scale); }) };
    }
    // count each event in every period of the window its dates overlap: a coarse date ("in 2024")
    // is counted wherever it may fall
    var step = chooseStep(width), bins = {}, max = 0;
    for (k = 0; k < dated.length; k++) {
      i = dated[k];
      row = EVENTS[i];
      if (!keep[i] || row[FIRST] >= b || row[END] <= a) continue;
      var day = Math.max(row[FIRST], a), last = Math.min(row[END], b);
      while (day < last) {
        var span = period(day, step);
        var key = row[LANE] + ":" + span[0];
        var bin = bins[key] || (bins[key] = { lane: row[LANE], from: span[0], to: span[1], count: 0 });
        bin.count++;
        if (bin.count > max) max = bin.count;
        day = span[1];
      }
    }
    // one item per lane, a strip of cells: few DOM items for vis to measure, however many events
    var strips = {};
    Object.keys(bins).forEach(function (key) {
      var bin = bins[key];
      bin.level = Math.max(1, Math.ceil(5 * bin.count / max));
      (strips[bin.lane] = strips[bin.lane] || []).push(bin);
    });
    var list = Object.keys(strips).map(function (lane) {
      var cells = strips[lane].sort(function (x, y) { return x.from - y.from; });
      var from = cells[0].from, to = cells[cells.length - 1].to;
      return {
        id: "strip:" + lane, group: Number(lane), content: "", type: "range", selectable: false,
        start: new Date(from * DAY), end: new Date(to * DAY), className: "strip l" + lane,
        cells: cells, step: step, signature: cells.map(function (c) { return c.from + "=" + c.count; }).join(",")
      };
    });
    return { mode: "counts", items: list, step: step };
  }

  // the cell (period) of a strip at ``day``, or null
  function cellAt(stripId, day) {
    var strip = items.get(stripId);
    if (!strip) return null;
    for (var k = 0; k < strip.cells.length; k++) {
      if (strip.cells[k].from <= day && day < strip.cells[k].to) return { cell: strip.cells[k], step: strip.step, lane: strip.group };
    }
    return null;
  }

  function draw(a, b) {
    var want = wanted(a, b), keepIds = {}, changed = [];
    want.items.forEach(function (item) {
      keepIds[item.id] = true;
      var signature = item.type + item.className + (item.signature || "");
      if (drawn[item.id] !== signature) { drawn[item.id] = signature; changed.push(item); }
    });
    var gone = Object.keys(drawn).filter(function (id) { return !keepIds[id]; });
    gone.forEach(function (id) { delete drawn[id]; });
    if (want.mode !== mode && timeline) timeline.setOptions({ stack: want.mode === "events" });
    mode = want.mode;
    items.remove(gone.map(function (id) { return id.slice(0, 6) === "strip:" ? id : Number(id); }));
    items.update(changed);
    document.body.dataset.mode = mode;
    $("zoomhint").textContent = mode === "counts"
      ? "Counts per lane and " + (want.step[0] === 1 ? "day" : want.step[0] ? "week" : want.step[1] === 1 ? "month"
        : want.step[1] === 3 ? "quarter" : want.step[1] === 6 ? "half-year" : want.step[1] === 12 ? "year"
        : (want.step[1] / 12) + " years") + ": click a count or zoom in to see single events."
      : "";
  }
  function drawWindow() {
    var w = timeline.getWindow();
    draw(w.start.getTime() / DAY, w.end.getTime() / DAY);
  }

  function itemNode(i) {
    var row = EVENTS[i];
    var node = el("span", "label");
    if (row[MOD]) node.appendChild(el("span", "mode", MODALITIES[row[MOD]]));
    node.appendChild(document.createTextNode(headline(row)));
    return node;
  }
  function stripNode(item) {
    var node = el("div", "cells"), from = item.start.getTime() / DAY, span = item.end.getTime() / DAY - from;
    item.cells.forEach(function (cell) {
      var box = el("span", "bin q" + cell.level, num(cell.count));
      box.style.left = (100 * (cell.from - from) / span) + "%";
      box.style.width = (100 * (cell.to - cell.from) / span) + "%";
      box.dataset.from = String(cell.from);
      box.dataset.to = String(cell.to);
      node.appendChild(box);
    });
    return node;
  }
  function laneNode(k) {
    var node = el("div", "lane l" + k);
    node.appendChild(el("span", "swatch"));
    node.appendChild(el("span", "name", LANES[k][0]));
    var count = el("span", "count", String(laneCounts[k]));
    laneCountNodes[k] = count;
    node.appendChild(count);
    return node;
  }

  var first = shownWindow() || [new Date(0), new Date(365 * DAY)];
  var timeline = null;
  applyFilters(false);
  draw(first[0].getTime() / DAY, first[1].getTime() / DAY);
  timeline = new vis.Timeline($("timeline"), items, groups, {
    start: first[0],
    end: first[1],
    groupOrder: "order",
    height: "100%",
    stack: mode === "events",
    verticalScroll: true,
    zoomKey: "ctrlKey",
    zoomMin: DAY,
    zoomMax: 200 * 365 * DAY,
    orientation: { axis: "top", item: "top" },
    margin: { item: { horizontal: 12, vertical: 4 }, axis: 6 },
    showCurrentTime: false,
    selectable: true,
    multiselect: false,
    moment: function (date) { return vis.moment(date).utc(); },
    onInitialDrawComplete: function () { markReady(); },
    template: function (item) { return item.cells ? stripNode(item) : itemNode(item.id); },
    groupTemplate: function (group) { return laneNode(group.id); }
  });

  // ---- filters
  function applyFilters(fit) {
    var shown = 0, shownUndated = 0;
    laneCounts = LANES.map(function () { return 0; });
    for (var i = 0; i < EVENTS.length; i++) {
      keep[i] = matches(i) ? 1 : 0;
      if (keep[i]) {
        if (EVENTS[i][FIRST] === null) shownUndated++; else { shown++; laneCounts[EVENTS[i][LANE]]++; }
      }
    }
    if (timeline) drawWindow();
    var lanes = [];
    laneCounts.forEach(function (n, k) {
      if (laneVisible[k] !== n > 0) { laneVisible[k] = n > 0; lanes.push({ id: k, visible: n > 0 }); }
    });
    if (lanes.length) groups.update(lanes);
    laneCounts.forEach(function (n, k) { if (laneCountNodes[k]) laneCountNodes[k].textContent = String(n); });
    renderUndated();
    var text = "Showing " + num(shown) + " of " + plural(dated.length, "dated event");
    text += " \u00b7 " + num(shownUndated) + " of " + num(undated.length) + " undated";
    $("status").textContent = text;
    document.body.dataset.shown = String(shown);
    if (fit) fitShown();
    filterListeners.forEach(function (fn) { fn(keep); });
  }

  function fitShown() {
    var window = shownWindow();
    if (window) timeline.setWindow(window[0], window[1], { animation: false });
    drawWindow();
  }

  var modalityBox = $("modalities");
  var modalityCounts = MODALITIES.map(function () { return 0; });
  EVENTS.forEach(function (row) { modalityCounts[row[MOD]]++; });
  MODALITIES.forEach(function (m, k) {
    if (!modalityCounts[k]) return;
    var label = el("label");
    label.title = m === "asserted" ? "events reported as having happened"
      : m + " events (not reported as having happened), hidden at first";
    var box = el("input");
    box.type = "checkbox";
    box.checked = !!shownModalities[m];
    box.dataset.modality = m;
    box.addEventListener("change", function () { shownModalities[m] = box.checked; applyFilters(false); });
    label.appendChild(box);
    label.appendChild(document.createTextNode(m + " (" + num(modalityCounts[k]) + ")"));
    modalityBox.appendChild(label);
  });

  var legend = $("legend");
  var totals = LANES.map(function () { return 0; });
  EVENTS.forEach(function (row) { totals[row[LANE]]++; });
  LANES.forEach(function (lane, k) {
    var chip = el("button", "chip l" + k);
    chip.type = "button";
    chip.setAttribute("aria-pressed", "true");
    chip.title = "Show or hide " + lane[0];
    chip.appendChild(el("span", "swatch"));
    chip.appendChild(document.createTextNode(lane[0]));
    chip.appendChild(el("span", "count", num(totals[k])));
    chip.addEventListener("click", function () {
      hiddenLanes[k] = !hiddenLanes[k];
      chip.setAttribute("aria-pressed", hiddenLanes[k] ? "false" : "true");
      applyFilters(false);
    });
    legend.appendChild(chip);
  });

  function fillList(id, values) {
    var counts = {};
    values.forEach(function (v) { if (v) counts[v] = (counts[v] || 0) + 1; });
    var names = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    var list = $(id);
    names.slice(0, 500).forEach(function (name) { var option = el("option"); option.value = name; list.appendChild(option); });
  }
  fillList("places", EVENTS.map(place));
  fillList("actors", EVENTS.map(function (r) { return S[r[ACTOR1]]; }).concat(EVENTS.map(function (r) { return S[r[ACTOR2]]; })));

  var pending = null;
  function onText(id, key) {
    $(id).addEventListener("input", function () {
      state[key] = $(id).value.trim().toLowerCase();
      clearTimeout(pending);
      pending = setTimeout(function () { applyFilters(false); }, 120);
    });
  }
  onText("search", "query");
  onText("place", "place");
  onText("actor", "actor");
  $("sources").addEventListener("change", function () { state.reports = parseInt($("sources").value, 10) || 1; applyFilters(false); });
  $("fit").addEventListener("click", fitShown);
  $("reset").addEventListener("click", function () {
    ["search", "place", "actor"].forEach(function (id) { $(id).value = ""; });
    $("sources").value = "1";
    state = { query: "", place: "", actor: "", reports: 1 };
    hiddenLanes = {};
    Array.prototype.forEach.call(legend.children, function (chip) { chip.setAttribute("aria-pressed", "true"); });
    applyFilters(true);
  });

  // ---- undated list
  var current = null;
  function renderUndated() {
    var list = $("undated-list");
    list.textContent = "";
    var shown = undated.filter(function (i) { return keep[i]; });
    $("undated-title").textContent = "Undated events (" + num(shown.length) + ")";
    shown.slice(0, 300).forEach(function (i) {
      var item = el("li");
      var button = el("button", "l" + EVENTS[i][LANE], headline(EVENTS[i]));
      button.type = "button";
      button.dataset.event = EVENTS[i][ID];
      if (current === i) button.setAttribute("aria-current", "true");
      button.addEventListener("click", function () { timeline.setSelection([]); showDetail(i); });
      item.appendChild(button);
      list.appendChild(item);
    });
    if (shown.length > 300) list.appendChild(el("li", "note", "\u2026 and " + (shown.length - 300) + " more: narrow the filters"));
  }

  // ---- detail panel
  function showDetail(i) {
    current = i;
    var panel = $("detail");
    panel.textContent = "";
    if (i === null || i === undefined) {
      panel.appendChild(el("p", "hint", "Click an event to see its evidence and sources."));
      return;
    }
    var row = EVENTS[i];
    panel.className = "detail l" + row[LANE];
    panel.dataset.event = row[ID];
    var kind = el("div", "kind");
    kind.appendChild(el("span", "swatch"));
    var kindText = S[row[TYPE]] || LANES[row[LANE]][0];
    if (S[row[SUB]] && S[row[SUB]] !== kindText) kindText += " \u203a " + S[row[SUB]];
    kind.appendChild(document.createTextNode(kindText));
    if (row[MOD]) kind.appendChild(el("span", "badge", MODALITIES[row[MOD]]));
    panel.appendChild(kind);
    panel.appendChild(el("h2", null, headline(row)));
    panel.appendChild(el("p", "when", S[row[LABEL]]));
    if (S[row[DATE_TEXT]]) panel.appendChild(el("p", "written", "Date as written: \u201c" + S[row[DATE_TEXT]] + "\u201d"));

    var quote = el("blockquote", "evidence");
    var sentence = S[row[SENTENCE]], trigger = S[row[TRIGGER]];
    var at = trigger ? sentence.toLowerCase().indexOf(trigger.toLowerCase()) : -1;
    if (at >= 0) {
      quote.appendChild(document.createTextNode(sentence.slice(0, at)));
      quote.appendChild(el("mark", null, sentence.slice(at, at + trigger.length)));
      quote.appendChild(document.createTextNode(sentence.slice(at + trigger.length)));
    } else {
      quote.textContent = sentence || "(no evidence sentence)";
    }
    panel.appendChild(quote);

    var facts = el("dl");
    function fact(name, value) {
      if (!value) return;
      facts.appendChild(el("dt", null, name));
      facts.appendChild(el("dd", null, value));
    }
    var written = S[row[PLACE_TEXT]];
    fact("Place", S[row[PLACE]] ? S[row[PLACE]] + (written && written !== S[row[PLACE]] ? " (\u201c" + written + "\u201d)" : "") : written);
    fact("Actors", [S[row[ACTOR1]], S[row[ACTOR2]]].filter(Boolean).join(" \u2192 "));
    fact("Reports", plural(row[REPORTS], "report") + ", " + num(row[INDEPENDENT]) + " independent");
    panel.appendChild(facts);

    panel.appendChild(el("h3", null, "Sources"));
    var list = el("ol", "sources");
    var sources = row[SOURCES];
    for (var j = 0; j < sources.length; j += 2) {
      var article = ARTICLES[sources[j]];
      var entry = el("li", "source");
      entry.appendChild(el("span", "outlet", S[article[1]] || "Article " + (S[article[0]] || "(no id)")));
      entry.appendChild(el("span", "published", S[article[2]] ? " \u00b7 " + S[article[2]] : " \u00b7 publication time unknown"));
      var title = S[article[4]], href = safeHref(S[article[3]]);
      if (title || href) {
        var line = el("div");
        if (href) {
          var link = el("a", null, title || href);
          link.href = href;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          line.appendChild(link);
        } else {
          line.textContent = title;
        }
        entry.appendChild(line);
      }
      var said = S[sources[j + 1]];
      if (said && said !== sentence) entry.appendChild(el("div", "said", "\u201c" + said + "\u201d"));
      list.appendChild(entry);
    }
    if (!sources.length) list.appendChild(el("li", null, "No source recorded."));
    panel.appendChild(list);
    panel.appendChild(el("div", "event-id", row[ID]));
    Array.prototype.forEach.call(document.querySelectorAll("#undated-list button"), function (b) {
      b.setAttribute("aria-current", b.dataset.event === row[ID] ? "true" : "false");
    });
  }

  // ---- hover summary
  var tip = $("tip");
  function placeTip(event) {
    var x = event.clientX + 14, y = event.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = Math.max(8, event.clientX - w - 14);
    if (y + h > window.innerHeight - 8) y = Math.max(8, event.clientY - h - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  timeline.on("itemover", function (props) {
    tip.textContent = "";
    if (typeof props.item === "string") return;  // a strip of counts: see mousemove
    var row = EVENTS[props.item];
    tip.appendChild(el("strong", null, headline(row)));
    tip.appendChild(el("span", "when", S[row[LABEL]]));
    var sentence = S[row[SENTENCE]];
    tip.appendChild(el("span", null, sentence.length > 220 ? sentence.slice(0, 217) + "\u2026" : sentence));
    tip.appendChild(el("span", "when", "\n" + plural(row[REPORTS], "report") + " \u00b7 click for sources"));
    tip.hidden = false;
    placeTip(props.event);
  });
  timeline.on("itemout", function () { tip.hidden = true; });
  function showCellTip(found, event) {
    tip.textContent = "";
    tip.appendChild(el("strong", null, plural(found.cell.count, "event") + " \u00b7 " + LANES[found.lane][0]));
    tip.appendChild(el("span", "when", periodName(found.cell.from, found.step) + " \u00b7 click to zoom in"));
    tip.appendChild(el("span", null, "dated in or overlapping this period"));
    tip.hidden = false;
    placeTip(event);
  }
  $("timeline").addEventListener("mousemove", function (event) {
    if (mode !== "counts") return;
    var props = timeline.getEventProperties(event);
    var found = typeof props.item === "string" ? cellAt(props.item, props.time.getTime() / DAY) : null;
    if (found) showCellTip(found, event); else tip.hidden = true;
  });
  document.addEventListener("mousemove", function (event) { if (!tip.hidden) placeTip(event); });
  timeline.on("select", function (props) {
    var id = props.items[0];
    if (id === undefined) return;
    if (typeof id === "string") return;
    showDetail(id);
  });
  $("timeline").addEventListener("click", function (event) {
    var cell = event.target.closest && event.target.closest(".bin");
    if (!cell) return;
    tip.hidden = true;
    var from = Number(cell.dataset.from), to = Number(cell.dataset.to), pad = (to - from) * 0.04;
    timeline.setWindow(new Date((from - pad) * DAY), new Date((to + pad) * DAY), { animation: false });
    drawWindow();
  });
  var redrawPending = false;
  timeline.on("rangechanged", function () {
    if (redrawPending) return;
    redrawPending = true;
    requestAnimationFrame(function () { redrawPending = false; drawWindow(); });
  });

  // ---- body[data-ready] marks the page drawn (vis-timeline's initial draw done) and its handlers attached
  // vis-timeline shows the timeline on the first redraw after its initial range change; ask for
  // that redraw at once instead of waiting for its once-a-second resize check
  var ready = false;
  timeline.on("rangechanged", function () { if (!ready) timeline.redraw(); });
  timeline.redraw();  // in case that range change already happened in the constructor
  function markReady() {
    ready = true;
    requestAnimationFrame(function () {
      document.body.dataset.ready = "true";
      window.timelineReadyAt = performance.now();
    });
  }
  // eventIds[i] is the event_id of item i; onFilter(fn) calls fn(keep) now and after every filter
  // change, keep[i] being 1 when item i passes the search, place, actor, reports, type and modality filters
  window.eventTimeline = {
    timeline: timeline, showDetail: showDetail, applyFilters: applyFilters, fit: fitShown,
    eventIds: EVENTS.map(function (row) { return row[ID]; }),
    onFilter: function (fn) { filterListeners.push(fn); fn(keep); }
  };
}
