/* event-atlas linked view: the timeline (in #ea-timeline, a same-origin srcdoc frame) and the map.
 * Moving or zooming the timeline filters the map to its window; the map's date slider moves the
 * timeline's window; clicking an event in either selects and shows it in the other. */
(function () {
  "use strict";
  var EA = window.EventAtlas, DAY = 86400000;
  EA.link = function (map) {
    EA.ready(map).then(function (view) {
      var frame = document.getElementById("ea-timeline");
      var tries = 0;
      function hook() {
        var w = frame.contentWindow, api = w && w.eventTimeline;
        if (!api) { if (tries++ < 600) setTimeout(hook, 50); return; }
        connect(api, api.eventIds);
      }
      function connect(api, ids) {
        var timeline = api.timeline;
        var itemOf = new Map(ids.map(function (id, i) { return [id, i]; }));
        // the timeline's filters (search, place, actor, reports, types, modalities) filter the map too
        var itemOfEvent = view.ev.id.map(function (id) { var i = itemOf.get(id); return i === undefined ? -1 : i; });
        var mask = new Uint8Array(view.n), last = null;
        api.onFilter(function (keep) {
          for (var m = 0; m < view.n; m++) mask[m] = itemOfEvent[m] < 0 || keep[itemOfEvent[m]] ? 1 : 0;
          var signature = mask.join("");
          if (signature !== last) { last = signature; view.setMask(mask); }
        });
        var quiet = false, quietTimer = null;
        function hush() { quiet = true; clearTimeout(quietTimer); quietTimer = setTimeout(function () { quiet = false; }, 400); }
        timeline.on("rangechanged", function (p) {
          if (quiet) return;
          view.setRange(Math.floor(p.start.getTime() / DAY), Math.ceil(p.end.getTime() / DAY), "timeline");
        });
        timeline.on("select", function (p) {
          if (p.items.length) view.highlight(ids[p.items[0]]);
        });
        view.on("range", function (d) {
          if (d.origin === "timeline" || d.origin === "highlight") return;
          hush();
          if (d.range) timeline.setWindow(d.range[0] * DAY, d.range[1] * DAY, { animation: false });  // numbers: Dates of this window are not Dates in the frame
          else api.fit();
        });
        view.on("select", function (d) {
          var items = d.ids.map(function (id) { return itemOf.get(id); }).filter(function (x) { return x !== undefined; });
          hush();
          try { timeline.setSelection(items, { focus: items.length === 1, animation: false }); } catch (e) { /* item drawn inside a count bin */ }
          if (items.length === 1) api.showDetail(items[0]);
        });
        document.body.setAttribute("data-linked", "true");
      }
      if (frame.contentDocument && frame.contentDocument.readyState === "complete") hook();
      else frame.addEventListener("load", hook);
    });
  };
})();
