// Vigie's map page. The console builds it once (folium) and then only sends batches over
// QWebChannel: one `batch` signal per frame, at most five a second, never one call per marker.
// Equipment (34,000 lights) is drawn on canvases, not as DOM markers, so panning stays smooth;
// units and incidents, a few hundred at most, are DOM markers that can carry a name.
// What needs action comes first at every zoom (high-performance HMI): healthy lights are grouped
// into counted clusters until the street zoom, while a device in fault, silent or cut off is
// always drawn on its own, on a canvas above the incidents' tags; no label covers another.
// A light's brightness follows its level (dark grey when off), a cluster's its lights' mean
// level; a light dark at night when it should be lit (judged by the console, which knows the
// sun and the city's policy) is marked as a fault is, grouped per cell below the street zoom.
/* global L, QWebChannel, qt */
(function () {
  "use strict";

  const TRAIL_MS = 15 * 60 * 1000; // a unit's trail: its last 15 minutes
  const FRESH_MS = 10 * 60 * 1000; // an older position is shown greyed, with its age
  const UNIT_KINDS = ["patrol", "road_crew", "snow_plough", "salt_spreader", "other"];
  const DEVICE_LAYERS = ["lights", "signals", "cameras", "bollards"];
  // Colours are roles of widgets/palette.py, which the page declares as custom properties
  // (--vigie-map-…); read when first drawn, once the page's style is in force, and again once
  // the theme changed (setRoles).
  const roles = new Map();
  function colour(role) {
    let value = roles.get(role);
    if (!value) {
      const style = getComputedStyle(document.documentElement);
      value = style.getPropertyValue("--vigie-" + role).trim();
      if (value) roles.set(role, value); // not kept while the style is not in force yet
    }
    return value;
  }
  const OK_ROLE = {
    lights: "map-light", signals: "map-signal", cameras: "map-camera", bollards: "map-bollard",
  };
  const ORDINARY_PLANS = new Set(["P1", "P2", "P3"]); // the time-of-day plans
  // Below this zoom healthy lights are clusters of a grid cell each: 34,000 dots are a carpet
  // that hides the few that need action. From it up, a light is some 30 m from the next.
  const CLUSTER_BELOW = 17;
  const CELL_PX = 56; // a cluster's cell, in screen pixels
  // A cluster says its count from this zoom up; below it, a grid of numbers is noise, and the
  // discs' sizes say the density.
  const COUNTS_FROM = 15;
  const FAULT_RING = 8; // radius of a fault's ring: wider than an incident's dot (12 px at most)
  // Below this zoom a clustered layer's devices that need action are grouped too, one mark per
  // cell and state that says how many it holds: ten times Dijon's 1,400 lights in fault were a
  // wall of red rings over the whole métropole, hiding where they were. A device alone in its
  // cell stays itself (a click selects it); a group's click zooms in, like a cluster's.
  const ALARMS_ALONE_FROM = 15;
  const LEVEL_STEPS = 10; // levels are drawn in tenths: one canvas path per tenth, not per light
  // Focusing something off screen: a street zoom that still shows the blocks around it.
  const FOCUS_ZOOM = 15;
  const DEVICE_ZOOM = CLUSTER_BELOW; // a healthy light is drawn on its own from there

  // --- equipment: two canvases per layer, points projected once per zoom level -------------
  // The healthy ones on the overlay pane; those that need action (fault, silent, link lost) on
  // a pane above the markers, so that no incident's tag or unit hides them.
  const DotLayer = L.Layer.extend({
    initialize: function (name, clustered) {
      this.name = name;
      this.clustered = clustered; // healthy points grouped below CLUSTER_BELOW
      this.points = new Map(); // id -> {lat, lon, state, x, y, level, dark} (x, y: projected)
      // A light's look: level drawn (0 off, up to 1; null unknown) and dark at night when it
      // should be lit. One that comes before its light is kept until the light does.
      this.looks = new Map(); // id -> [level, dark], for ids not put yet
      this.labels = new Map(); // id -> text drawn beside it when zoomed in (a signal's plan)
      // what the last redraw drew: alarms on their own, and groups of them (their devices)
      this.drawn = { single: 0, clusters: 0, alarms: 0, alarmGroups: 0, grouped: 0, dark: 0 };
      this._clusters = []; // [x, y, r] of each cluster drawn, in container pixels
      this._grouped = new Set(); // ids of the devices needing action drawn inside a group
      this.clusterLevels = []; // [count, mean level or null] of each healthy cluster drawn
      this._zoom = null;
    },
    onAdd: function (map) {
      this._map = map;
      this._canvas = L.DomUtil.create("canvas", "vigie-dots");
      this._alarm = L.DomUtil.create("canvas", "vigie-dots");
      map.getPanes().overlayPane.appendChild(this._canvas);
      map.getPane("vigie-alarms").appendChild(this._alarm);
      map.on("moveend resize", this.redraw, this);
      map.on("zoomstart", this._hide, this);
      this.redraw();
    },
    onRemove: function (map) {
      map.off("moveend resize", this.redraw, this);
      map.off("zoomstart", this._hide, this);
      L.DomUtil.remove(this._canvas);
      L.DomUtil.remove(this._alarm);
      this._canvas = null;
      this._alarm = null;
      this._clusters = [];
      this._grouped = new Set();
      this.drawn = { single: 0, clusters: 0, alarms: 0, alarmGroups: 0, grouped: 0, dark: 0 };
      this._zoom = null; // points put while off the map are projected when it comes back
    },
    label: function (id, text) {
      if (text) this.labels.set(id, text);
      else this.labels.delete(id);
    },
    put: function (id, lat, lon, state) {
      const point = this.points.get(id);
      if (point && point.lat === lat && point.lon === lon) {
        point.state = state;
        return;
      }
      const fresh = { lat: lat, lon: lon, state: state, x: 0, y: 0, level: null, dark: false };
      if (point) {
        fresh.level = point.level;
        fresh.dark = point.dark;
      }
      const look = this.looks.get(id);
      if (look) {
        this.looks.delete(id);
        fresh.level = look[0];
        fresh.dark = look[1];
      }
      if (this._map && this._zoom !== null) this._project(fresh, this._zoom);
      this.points.set(id, fresh);
    },
    look: function (id, level, dark) {
      const point = this.points.get(id);
      if (point) {
        point.level = level;
        point.dark = Boolean(dark);
      } else if (this.looks.size < 100000) {
        this.looks.set(id, [level, Boolean(dark)]);
      }
    },
    clear: function () {
      this.points.clear();
      this.looks.clear();
    },
    drop: function (id) {
      this.points.delete(id);
    },
    // Ten times Dijon: the console sends the healthy lights of the view already grouped, one
    // weighted point per cluster (zoomed out) or the lights themselves (zoomed in); they take
    // the place of the healthy lights served before. Those that need action come one by one.
    serve: function (payload) {
      for (const [id, point] of this.points) if (point.served) this.points.delete(id);
      const add = (id, lat, lon, n, level) => {
        const p = { lat: lat, lon: lon, state: "ok", x: 0, y: 0, level: level, dark: false };
        p.served = true;
        p.n = n;
        if (this._map && this._zoom !== null) this._project(p, this._zoom);
        this.points.set(id, p);
      };
      (payload.cells || []).forEach((c, i) => add("~cell" + i, c[0], c[1], c[2], c[3]));
      for (const s of payload.singles || []) add(s[0], s[1], s[2], 1, s[3]);
    },
    _project: function (point, zoom) {
      const p = this._map.project([point.lat, point.lon], zoom);
      point.x = p.x;
      point.y = p.y;
    },
    _hide: function () {
      for (const canvas of [this._canvas, this._alarm]) {
        if (canvas) canvas.style.visibility = "hidden";
      }
    },
    _clean: function (canvas, topLeft, size) {
      L.DomUtil.setPosition(canvas, topLeft);
      if (canvas.width !== size.x || canvas.height !== size.y) {
        canvas.width = size.x;
        canvas.height = size.y;
      }
      canvas.style.visibility = "visible";
      const ctx = canvas.getContext("2d");
      ctx.clearRect(0, 0, size.x, size.y);
      return ctx;
    },
    redraw: function () {
      const map = this._map;
      if (!map || !this._canvas) return;
      const zoom = map.getZoom();
      if (zoom !== this._zoom) {
        this._zoom = zoom;
        for (const point of this.points.values()) this._project(point, zoom);
      }
      const size = map.getSize();
      const topLeft = map.containerPointToLayerPoint([0, 0]);
      const ctx = this._clean(this._canvas, topLeft, size);
      const alarmCtx = this._clean(this._alarm, topLeft, size);
      const origin = map.getPixelOrigin().add(topLeft); // projected pixel at the canvas's corner
      const r = zoom < 13 ? 1.5 : zoom < 15 ? 2 : zoom < 18 ? 3 : 4;
      const grouping = this.clustered && zoom < CLUSTER_BELOW;
      const groupingAlarms = this.clustered && zoom < ALARMS_ALONE_FROM;
      // cell key -> [count, sum of x, sum of y, sum of levels, levels known] (projected pixels)
      const cells = new Map();
      const darkCells = new Map(); // the same, of the lights dark at night
      const buckets = { ok: [], stale: [], comm_lost: [], fault: [], dark: [] };
      // state -> cell key -> [count, sum of x, sum of y, ids], of those that need action
      const alarmCells = { stale: new Map(), comm_lost: new Map(), fault: new Map() };
      const byLevel = new Map(); // tenth of level (-1: unknown) -> [x, y, ...] of healthy ones
      for (const [id, point] of this.points) {
        const x = point.x - origin.x;
        const y = point.y - origin.y;
        if (x < -8 || y < -8 || x > size.x + 8 || y > size.y + 8) continue;
        const state = point.state in buckets ? point.state : "ok";
        const dark = state === "ok" && point.dark;
        const n = point.n || 1; // a served cluster counts its lights
        if (state in alarmCells && groupingAlarms) {
          const key = cellKey(point);
          const cell = alarmCells[state].get(key);
          if (cell) {
            cell[0] += 1;
            cell[1] += point.x;
            cell[2] += point.y;
            cell[3].push(id);
          } else {
            alarmCells[state].set(key, [1, point.x, point.y, [id]]);
          }
          continue;
        }
        if (state !== "ok" || (!grouping && !dark && n === 1)) {
          if (state === "ok") levelBucket(byLevel, point.level).push(x, y);
          else buckets[state].push(x, y);
          continue;
        }
        if (dark && !grouping) {
          buckets.dark.push(x, y);
          continue;
        }
        const key = cellKey(point);
        const into = dark ? darkCells : cells;
        const cell = into.get(key);
        const known = point.level === null || point.level === undefined ? 0 : n;
        if (cell) {
          cell[0] += n;
          cell[1] += point.x * n;
          cell[2] += point.y * n;
          cell[3] += known ? point.level * n : 0;
          cell[4] += known;
        } else {
          into.set(key, [n, point.x * n, point.y * n, known ? point.level * n : 0, known]);
        }
      }
      const clusters = []; // x, y, count, mean level (null: unknown)
      for (const [key, cell] of cells) {
        const mx = cell[1] / cell[0] - origin.x;
        const my = cell[2] / cell[0] - origin.y;
        const mean = cell[4] ? cell[3] / cell[4] : null;
        if (cell[0] === 1) {
          levelBucket(byLevel, mean).push(mx, my);
          continue;
        }
        clusters.push(...inMiddleHalf(key, mx, my, origin), cell[0], mean);
      }
      const darkClusters = []; // x, y, count: one mark per cell, at its dark lights' middle
      for (const cell of darkCells.values()) {
        darkClusters.push(cell[1] / cell[0] - origin.x, cell[2] / cell[0] - origin.y, cell[0]);
      }
      // x, y, count of each group of those that need action; one alone is drawn as ever
      const alarmGroups = { stale: [], comm_lost: [], fault: [] };
      this._grouped = new Set();
      for (const state in alarmCells) {
        for (const [key, cell] of alarmCells[state]) {
          const mx = cell[1] / cell[0] - origin.x;
          const my = cell[2] / cell[0] - origin.y;
          if (cell[0] === 1) {
            buckets[state].push(mx, my);
            continue;
          }
          alarmGroups[state].push(...inMiddleHalf(key, mx, my, origin), cell[0]);
          for (const id of cell[3]) this._grouped.add(id);
        }
      }
      const okColour = colour(OK_ROLE[this.name]);
      ctx.globalAlpha = 0.8; // healthy: the calm background the faults stand out against
      let single = 0;
      for (const [step, xy] of byLevel) {
        this._draw(ctx, xy, r, step < 0 ? okColour : levelColour(step / LEVEL_STEPS), null);
        single += xy.length / 2;
      }
      ctx.globalAlpha = 1;
      this._drawClusters(ctx, clusters, okColour, zoom >= COUNTS_FROM);
      // Those that need action, above the markers; never colour alone: size and ring too. A
      // group is drawn as one of its devices, its count beside it.
      const silent = colour("map-silent");
      const marks = (state) => buckets[state].concat(xyOf(alarmGroups[state]));
      this._draw(alarmCtx, marks("stale"), Math.max(r, 3), null, silent);
      this._draw(alarmCtx, marks("comm_lost"), Math.max(r, 3), null, silent, true);
      const faults = marks("fault");
      this._draw(alarmCtx, faults, Math.max(r, 3.5), colour("map-fault"), colour("map-mark"));
      this._rings(alarmCtx, faults, colour("map-fault"), colour("map-outline"));
      this._drawDark(alarmCtx, buckets.dark, darkClusters, Math.max(r, 3), zoom >= COUNTS_FROM);
      this._countAlarms(alarmCtx, alarmGroups, Math.max(r, 3)); // last: no ring covers a count
      if (this.labels.size) this._label(alarmCtx, origin, size, r, zoom);
      const alarms = (buckets.stale.length + buckets.comm_lost.length + buckets.fault.length) / 2;
      const groups = Object.values(alarmGroups);
      this.drawn = {
        single: single,
        clusters: clusters.length / 4,
        alarms: alarms,
        alarmGroups: groups.reduce((sum, g) => sum + g.length / 3, 0),
        grouped: this._grouped.size,
        dark: buckets.dark.length / 2 + darkClusters.length / 3,
      };
    },
    // Each group of devices needing action says how many it holds, at every zoom it is drawn:
    // without its count it would pass for one. A fault's count is written after its ring, a
    // cut-off group's (link lost) before its mark and a silent one's (stale) under it, so that a
    // cell's three never write over each other. A click on a group zooms in.
    _countAlarms: function (ctx, groups, r) {
      ctx.textBaseline = "middle";
      ctx.lineWidth = 3;
      ctx.strokeStyle = colour("map-shadow");
      ctx.fillStyle = colour("map-text");
      for (const state in groups) {
        const xyn = groups[state];
        ctx.font = (state === "fault" ? "bold 11px" : "bold 10px") + " 'DejaVu Sans', sans-serif";
        ctx.textAlign = state === "fault" ? "start" : state === "comm_lost" ? "end" : "center";
        for (let i = 0; i < xyn.length; i += 3) {
          const x = xyn[i];
          const y = xyn[i + 1];
          this._clusters.push([x, y, FAULT_RING]);
          const text = String(xyn[i + 2]);
          const at =
            state === "fault" ? [x + FAULT_RING + 2, y]
            : state === "comm_lost" ? [x - r - 3, y]
            : [x, y + r + 7];
          ctx.strokeText(text, at[0], at[1]);
          ctx.fillText(text, at[0], at[1]);
        }
      }
      ctx.textAlign = "start";
    },
    // A disc per cluster, its size growing with its count, faint: a calm background the faults
    // stand out against. Its colour is its lights' mean level (the layer's colour when their
    // levels are unknown), so that a dimmed or darkened district reads at the métropole's zoom.
    _drawClusters: function (ctx, clusters, fill, counts) {
      this._clusters = [];
      this.clusterLevels = [];
      if (!clusters.length) return;
      const paths = new Map(); // tenth of level -> one path of its discs
      for (let i = 0; i < clusters.length; i += 4) {
        const radius = Math.min(CELL_PX / 4 - 1, 3 + 2.5 * Math.log10(clusters[i + 2]));
        const mean = clusters[i + 3];
        const step = mean === null ? -1 : Math.round(mean * LEVEL_STEPS);
        let path = paths.get(step);
        if (!path) paths.set(step, (path = new Path2D()));
        path.moveTo(clusters[i] + radius, clusters[i + 1]);
        path.arc(clusters[i], clusters[i + 1], radius, 0, 2 * Math.PI);
        this._clusters.push([clusters[i], clusters[i + 1], radius]);
        this.clusterLevels.push([clusters[i + 2], mean]);
      }
      ctx.lineWidth = 1;
      for (const [step, path] of paths) {
        const ink = step < 0 ? fill : levelColour(step / LEVEL_STEPS);
        ctx.globalAlpha = 0.35;
        ctx.fillStyle = ink;
        ctx.fill(path);
        ctx.globalAlpha = 0.85;
        ctx.strokeStyle = ink;
        ctx.stroke(path);
      }
      ctx.globalAlpha = 1;
      if (!counts) return;
      ctx.font = "10px 'DejaVu Sans', sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.lineWidth = 3;
      ctx.strokeStyle = colour("map-shadow");
      ctx.fillStyle = colour("map-text");
      for (let i = 0; i < clusters.length; i += 4) {
        const text = String(clusters[i + 2]);
        ctx.strokeText(text, clusters[i], clusters[i + 1]);
        ctx.fillText(text, clusters[i], clusters[i + 1]);
      }
      ctx.textAlign = "start";
    },
    // A light dark at night when it should be lit: its dark dot in a dashed fault ring (a fault
    // is a red dot in a solid one). Below the street zoom one mark per cell says how many are:
    // a whole street switched off at night is one mark, not two hundred rings.
    _drawDark: function (ctx, xy, clusters, r, counts) {
      const all = xy.slice();
      for (let i = 0; i < clusters.length; i += 3) all.push(clusters[i], clusters[i + 1]);
      if (!all.length) return;
      this._draw(ctx, all, r, colour("map-light-off"), colour("map-outline"));
      ctx.beginPath();
      for (let i = 0; i < all.length; i += 2) {
        ctx.moveTo(all[i] + FAULT_RING, all[i + 1]);
        ctx.arc(all[i], all[i + 1], FAULT_RING, 0, 2 * Math.PI);
      }
      ctx.strokeStyle = colour("map-outline");
      ctx.lineWidth = 4;
      ctx.stroke();
      ctx.setLineDash([3, 2]);
      ctx.strokeStyle = colour("map-fault");
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.setLineDash([]);
      for (let i = 0; i < clusters.length; i += 3) {
        this._clusters.push([clusters[i], clusters[i + 1], FAULT_RING]); // a click zooms in
      }
      if (!counts) return;
      ctx.font = "bold 10px 'DejaVu Sans', sans-serif";
      ctx.textBaseline = "middle";
      ctx.lineWidth = 3;
      ctx.strokeStyle = colour("map-shadow");
      ctx.fillStyle = colour("map-text");
      for (let i = 0; i < clusters.length; i += 3) {
        if (clusters[i + 2] < 2) continue;
        const text = String(clusters[i + 2]);
        ctx.strokeText(text, clusters[i] + FAULT_RING + 2, clusters[i + 1]);
        ctx.fillText(text, clusters[i] + FAULT_RING + 2, clusters[i + 1]);
      }
    },
    // A ring around each fault, wider than an incident's dot, so that one shows through the other.
    _rings: function (ctx, xy, fault, outline) {
      if (!xy.length) return;
      ctx.beginPath();
      for (let i = 0; i < xy.length; i += 2) {
        ctx.moveTo(xy[i] + FAULT_RING, xy[i + 1]);
        ctx.arc(xy[i], xy[i + 1], FAULT_RING, 0, 2 * Math.PI);
      }
      ctx.strokeStyle = outline;
      ctx.lineWidth = 4;
      ctx.stroke();
      ctx.strokeStyle = fault;
      ctx.lineWidth = 2;
      ctx.stroke();
    },
    // A signal's running plan beside it; a plan out of the ordinary (snow, flashing, a
    // diversion) boxed so that it is seen from afar, and written first: a label that would
    // cover one already written is left out.
    _label: function (ctx, origin, size, r, zoom) {
      if (zoom < 13) return;
      ctx.font = "bold 11px sans-serif";
      ctx.textBaseline = "middle";
      const entries = [...this.labels].sort(
        (a, b) => ORDINARY_PLANS.has(a[1]) - ORDINARY_PLANS.has(b[1])
      );
      const placed = [];
      for (const [id, text] of entries) {
        const usual = ORDINARY_PLANS.has(text);
        if (usual && zoom < 16) continue; // the time of day's plan matters at the street's zoom
        const point = this.points.get(id);
        if (!point) continue;
        const x = point.x - origin.x + r + 3;
        const y = point.y - origin.y;
        if (x < -40 || y < -10 || x > size.x + 10 || y > size.y + 10) continue;
        const width = textWidth(text, ctx.font) + 6;
        const box = [x, y - 7, width, 14];
        if (placed.some((other) => overlaps(box, other))) continue;
        placed.push(box);
        ctx.fillStyle = colour(usual ? "map-plan-usual" : "map-plan-unusual");
        ctx.fillRect(x, y - 7, width, 14);
        ctx.fillStyle = colour("map-mark");
        ctx.fillText(text, x + 3, y);
      }
    },
    _draw: function (ctx, xy, r, fill, stroke, crossed) {
      if (!xy.length) return;
      ctx.beginPath();
      for (let i = 0; i < xy.length; i += 2) shape(ctx, this.name, xy[i], xy[i + 1], r);
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fill();
      }
      if (stroke) {
        ctx.strokeStyle = stroke;
        ctx.lineWidth = 1.2;
        ctx.stroke();
      }
      if (crossed) {
        ctx.beginPath();
        for (let i = 0; i < xy.length; i += 2) {
          ctx.moveTo(xy[i] - r, xy[i + 1] - r);
          ctx.lineTo(xy[i] + r, xy[i + 1] + r);
        }
        ctx.stroke();
      }
    },
    // The nearest point drawn on its own within `reach` pixels of a container point, or null
    // (a healthy light inside a cluster is not one).
    nearest: function (containerPoint, reach) {
      const map = this._map;
      if (!map || !this._canvas) return null;
      const zoom = map.getZoom();
      const grouping = this.clustered && zoom < CLUSTER_BELOW;
      const origin = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0]));
      let best = null;
      let bestD = reach * reach;
      for (const [id, point] of this.points) {
        if (this._zoom !== zoom) break;
        if (grouping && point.state === "ok") continue; // in a cluster (a dark one's too)
        if (this._grouped.has(id)) continue; // in a group of those that need action
        if (point.n > 1) continue; // a served cluster, not a device
        const dx = point.x - origin.x - containerPoint.x;
        const dy = point.y - origin.y - containerPoint.y;
        const d = dx * dx + dy * dy;
        if (d <= bestD) {
          bestD = d;
          best = id;
        }
      }
      return best;
    },
    // The cluster under a container point: [x, y] of its middle, or null.
    clusterAt: function (containerPoint) {
      for (const [x, y, r] of this._clusters) {
        const dx = x - containerPoint.x;
        const dy = y - containerPoint.y;
        if (dx * dx + dy * dy <= (r + 2) * (r + 2)) return [x, y];
      }
      return null;
    },
  });

  // Text widths, measured once per text and font (labels are laid out before they are drawn).
  const widths = new Map();
  let measuring = null;
  function textWidth(text, font) {
    const key = font + "|" + text;
    let width = widths.get(key);
    if (width === undefined) {
      measuring = measuring || document.createElement("canvas").getContext("2d");
      measuring.font = font;
      width = measuring.measureText(text).width;
      if (widths.size < 5000) widths.set(key, width);
    }
    return width;
  }

  // [x, y, width, height] boxes
  function overlaps(a, b) {
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
  }

  // A point's cell of the grid that groups points zoomed out: fixed in the projected plane, so
  // that panning does not reshuffle them.
  function cellKey(point) {
    return Math.floor(point.x / CELL_PX) * 4194304 + Math.floor(point.y / CELL_PX);
  }

  // A group's place: around where its points are, but kept in its cell's middle half, so that
  // the groups of two cells never touch. [x, y] in container pixels.
  function inMiddleHalf(key, mx, my, origin) {
    const cx = (Math.floor(key / 4194304) + 0.5) * CELL_PX - origin.x;
    const cy = ((key % 4194304) + 0.5) * CELL_PX - origin.y;
    const quarter = CELL_PX / 4;
    return [
      Math.min(cx + quarter, Math.max(cx - quarter, mx)),
      Math.min(cy + quarter, Math.max(cy - quarter, my)),
    ];
  }

  // [x, y, ...] of [x, y, count, ...]
  function xyOf(xyn) {
    const xy = [];
    for (let i = 0; i < xyn.length; i += 3) xy.push(xyn[i], xyn[i + 1]);
    return xy;
  }

  // The [x, y, ...] list of the healthy lights drawn at a level's tenth (-1: level unknown).
  function levelBucket(byLevel, level) {
    const step = level === null || level === undefined ? -1 : Math.round(level * LEVEL_STEPS);
    let xy = byLevel.get(step);
    if (!xy) byLevel.set(step, (xy = []));
    return xy;
  }

  // A light's colour at a level: dark grey when off (0), the light's colour at full level, and
  // between them as it dims. A light on at a low level is still clearly not off: the scale
  // starts a third of the way.
  function levelColour(level) {
    const off = channels(colour("map-light-off"));
    const on = channels(colour("map-light"));
    if (!off || !on) return colour("map-light");
    const t = level <= 0 ? 0 : 0.35 + 0.65 * Math.min(1, level);
    const mix = off.map((v, i) => Math.round(v + (on[i] - v) * t));
    return "#" + mix.map((v) => v.toString(16).padStart(2, "0")).join("");
  }

  // The red, green and blue of a role's #rrggbb (the palette writes them so), or null.
  function channels(hex) {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
    return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
  }

  // Each equipment type has its shape, so that a colour-blind operator still tells them apart.
  function shape(ctx, layer, x, y, r) {
    if (layer === "signals") {
      ctx.moveTo(x, y - r * 1.3);
      ctx.lineTo(x + r * 1.3, y);
      ctx.lineTo(x, y + r * 1.3);
      ctx.lineTo(x - r * 1.3, y);
      ctx.closePath();
    } else if (layer === "cameras") {
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
    } else if (layer === "bollards") {
      ctx.moveTo(x, y - r * 1.3);
      ctx.lineTo(x + r * 1.2, y + r);
      ctx.lineTo(x - r * 1.2, y + r);
      ctx.closePath();
    } else if (r <= 2.5) {
      ctx.rect(x - r, y - r, 2 * r, 2 * r); // a dot that small: a square is as round, and cheaper
    } else {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  // --- units and incidents: DOM markers -------------------------------------------------------
  const UNIT_SHAPES = {
    patrol: '<circle cx="12" cy="13" r="7"/>',
    road_crew: '<rect x="5.5" y="6.5" width="13" height="13"/>',
    snow_plough: '<path d="M12 5 L20 13 L12 21 L4 13 Z"/>',
    salt_spreader: '<path d="M8 6.5 L16 6.5 L20 13 L16 19.5 L8 19.5 L4 13 Z"/>',
    other: '<circle cx="12" cy="13" r="5"/>',
  };

  function unitIcon(unit, now, selected) {
    const stale = now - unit.at > FRESH_MS;
    const arrow =
      unit.bearing === null || unit.bearing === undefined
        ? ""
        : '<path class="vu-heading" d="M12 0 L15.5 5 L8.5 5 Z" transform="rotate(' +
          unit.bearing +
          ' 12 13)"/>';
    const classes =
      "vu vu-" + unit.status + (stale ? " vu-stale" : "") + (selected ? " vu-selected" : "");
    // a snow vehicle at work says so beside its name: ▼ blade down, ⁘ spreading
    const work = (unit.work || "").replace("plough", "▼").replace("spread", "⁘").replace("+", "");
    const label =
      escapeHtml(unit.name || unit.id) +
      (work ? " " + work : "") +
      (stale ? " (" + age(now - unit.at) + ")" : "");
    return L.divIcon({
      className: "",
      iconSize: [24, 26],
      iconAnchor: [12, 13],
      html:
        '<div class="' + classes + '"><svg width="24" height="26" viewBox="0 0 24 26">' +
        (UNIT_SHAPES[unit.kind] || UNIT_SHAPES.other) + arrow +
        '</svg><span class="vu-name">' + label + "</span></div>",
    });
  }

  function incidentIcon(incident, selected) {
    return L.divIcon({
      className: "",
      iconSize: null,
      iconAnchor: [0, 0],
      html:
        '<div class="vi vi-p' + incident.priority + (selected ? " vi-selected" : "") + '">' +
        escapeHtml(incident.label) + "</div>",
    });
  }

  function age(ms) {
    const minutes = Math.round(ms / 60000);
    return minutes < 120 ? minutes + " min" : Math.round(minutes / 60) + " h";
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // --- the page's state and the batch it applies ----------------------------------------------
  // The map's width (CSS pixels) from which the legend starts open.
  const LEGEND_OPEN_FROM_PX = 900;

  const vigie = (window.vigie = {
    map: null,
    bridge: null,
    groups: {}, // layer name -> L.LayerGroup (or DotLayer)
    units: new Map(), // id -> {data, marker, trail: [[lat, lon, at]], line}
    incidents: new Map(), // id -> {data, marker}
    links: null, // dashed lines from a dispatched unit to its incident
    coverage: null,
    selected: null, // {kind, id}
    awaiting: null, // {kind, id, how}: a selection to show once its incident reaches the page
    follow: null, // a unit id
    base: null, // the communes' outlines (L.GeoJSON)
    outlines: new Map(), // insee -> its outline's path
    names: [], // [marker, name] of each commune's name
    whole: null, // {centre, zoom} the whole métropole was last fitted at
    frames: 0,
    lastFrameMs: 0,
  });

  vigie.start = function (map) {
    vigie.map = map;
    // Panes, bottom to top: the communes, their names, the healthy equipment (overlay pane),
    // units and incidents (marker pane), then what needs action, above the incidents' tags.
    map.createPane("vigie-base").style.zIndex = 250;
    const names = map.createPane("vigie-base-names");
    names.style.zIndex = 450;
    names.style.pointerEvents = "none";
    const alarms = map.createPane("vigie-alarms");
    alarms.style.zIndex = 640;
    alarms.style.pointerEvents = "none";
    // Quarter zooms: the whole métropole fitted to the panel fills it, whatever its size.
    map.options.zoomSnap = 0.25;
    drawBase(map, window.vigieBase || { outlines: null, names: [], attribution: "" });
    for (const kind of UNIT_KINDS) vigie.groups[kind] = L.layerGroup().addTo(map);
    vigie.groups.trails = L.layerGroup().addTo(map);
    vigie.groups.incidents = L.layerGroup().addTo(map);
    vigie.links = L.layerGroup().addTo(map);
    vigie.coverage = L.layerGroup().addTo(map);
    // The winter-service network under everything else: a line per segment, coloured by the
    // time since a plough or spreader last treated it. Off until a snow level asks for it.
    vigie.groups.snow_network = L.layerGroup();
    vigie.segments = new Map(); // id -> {data, line}
    // The selected unit's trail is drawn whatever the trails layer says.
    vigie.selectedTrail = L.polyline([], { className: "vu-trail vu-trail-selected", interactive: false }).addTo(map);
    // Zoomed out, 205 names and a day's incident tags would hide the map: units lose their
    // names (but the selected one) and incidents shrink to a dot of their priority's colour
    // (but P1 and the selected one). What is still written is then kept from overlapping.
    const zoomed = function () {
      map.getContainer().classList.toggle("vm-names-hidden", map.getZoom() < 16);
      map.getContainer().classList.toggle("vm-compact", map.getZoom() < 14);
    };
    map.on("zoomend", zoomed);
    zoomed();
    // A narrow map (a dock at 1366×768) shows the legend folded: its title, a click away.
    if (map.getContainer().clientWidth < LEGEND_OPEN_FROM_PX) {
      for (const legend of document.querySelectorAll("details.vm-legend")) legend.open = false;
    }
    map.on("moveend", declutter);
    for (const name of DEVICE_LAYERS) {
      vigie.groups[name] = new DotLayer(name, name === "lights").addTo(map);
    }
    map.on("click", onMapClick);
    draggableCameras(map);
    // The whole métropole stays fitted while the panel is resized (a dock moved, floated,
    // shared), unless the operator has moved the map since.
    map.on("resize", function () {
      if (atWhole()) showWhole();
    });
    showWhole();
    new QWebChannel(qt.webChannelTransport, function (channel) {
      vigie.bridge = channel.objects.bridge;
      vigie.bridge.sig_batch.connect(vigie.apply);
      vigie.bridge.ready();
      reportView();
    });
    map.on("moveend", reportView);
  };

  // Where the map looks: a field too big to send whole is sent for the part in view.
  function reportView() {
    if (!vigie.bridge || !vigie.bridge.view) return;
    const b = vigie.map.getBounds();
    vigie.bridge.view(vigie.map.getZoom(), b.getSouth(), b.getWest(), b.getNorth(), b.getEast());
  }

  // A camera is dragged from the map onto the video wall. Devices are drawn on a canvas, which
  // cannot start a drag: a press on a camera makes the map's container draggable (and stops the
  // map from panning) until the button is released; the drag carries the camera's id as text,
  // which the wall's tiles take.
  function draggableCameras(map) {
    const container = map.getContainer();
    const release = function () {
      if (vigie.draggedCamera === null) return;
      vigie.draggedCamera = null;
      container.draggable = false;
      map.dragging.enable();
    };
    vigie.draggedCamera = null;
    container.addEventListener("mousedown", function (event) {
      const cameras = vigie.groups.cameras;
      const point = map.mouseEventToContainerPoint(event);
      const id = cameras && map.hasLayer(cameras) ? cameras.nearest(point, 7) : null;
      if (id === null) return;
      vigie.draggedCamera = id;
      container.draggable = true;
      map.dragging.disable();
    }, true);
    container.addEventListener("dragstart", function (event) {
      if (vigie.draggedCamera === null) return;
      event.dataTransfer.setData("text/plain", vigie.draggedCamera);
      event.dataTransfer.effectAllowed = "copy";
    });
    container.addEventListener("dragend", release);
    document.addEventListener("mouseup", release, true);
  }

  function onMapClick(event) {
    for (const name of DEVICE_LAYERS) {
      const layer = vigie.groups[name];
      if (!vigie.map.hasLayer(layer)) continue;
      const id = layer.nearest(event.containerPoint, 7);
      if (id !== null) {
        vigie.bridge.clicked("device", id);
        return;
      }
    }
    // a cluster opens up: two zoom levels closer, on it
    const lights = vigie.groups.lights;
    const cluster = vigie.map.hasLayer(lights) && lights.clusterAt(event.containerPoint);
    if (cluster) {
      const at = vigie.map.containerPointToLatLng(cluster);
      vigie.map.setView(at, Math.min(vigie.map.getZoom() + 2, CLUSTER_BELOW), { animate: false });
    }
  }

  // --- the base: the communes' real outlines and names -----------------------------------------
  function drawBase(map, base) {
    if (base.outlines) {
      vigie.base = L.geoJSON(base.outlines, {
        pane: "vigie-base",
        interactive: false,
        attribution: escapeHtml(base.attribution || ""),
        style: function () {
          return { className: "vm-commune", weight: 1.2 };
        },
        onEachFeature: function (feature, layer) {
          vigie.outlines.set(feature.properties.insee, layer);
        },
      }).addTo(map);
    }
    if (base.tiles) map.getContainer().classList.add("vm-tiles");
    for (const [insee, name, lat, lon] of base.names) {
      const marker = L.marker([lat, lon], {
        pane: "vigie-base-names",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "",
          iconSize: null,
          iconAnchor: [0, 0],
          html: '<div class="vm-commune-name" data-insee="' + escapeHtml(insee) + '">' +
            escapeHtml(name) + "</div>",
        }),
      }).addTo(map);
      vigie.names.push([marker, name]);
    }
  }

  // The 23 outlines' bounds, fitted to the panel's real size.
  function showWhole() {
    const map = vigie.map;
    if (!vigie.base) {
      map.setView(map.getCenter(), map.getZoom(), { animate: false });
      return;
    }
    map.fitBounds(vigie.base.getBounds(), { padding: [6, 6], animate: false });
    vigie.whole = { centre: map.getCenter(), zoom: map.getZoom() };
  }
  vigie.showWhole = showWhole;

  function atWhole() {
    const map = vigie.map;
    const whole = vigie.whole;
    if (!whole || map.getZoom() !== whole.zoom) return false;
    // the centre the panel's resize kept, give or take a pixel's rounding
    const a = map.project(map.getCenter());
    const b = map.project(whole.centre);
    return Math.abs(a.x - b.x) <= 2 && Math.abs(a.y - b.y) <= 2;
  }

  vigie.apply = function (text) {
    const started = performance.now();
    const batch = JSON.parse(text);
    const now = Date.now() + (batch.clock_offset_ms || 0);
    const touched = new Set();
    if (batch.roles) {
      setRoles(batch.roles);
      for (const name of DEVICE_LAYERS) touched.add(vigie.groups[name]);
    }
    if (batch.reset) reset();
    if (batch.layers) showLayers(batch.layers);
    if (batch.units) for (const unit of batch.units) putUnit(unit, now);
    if (batch.units_gone) for (const id of batch.units_gone) dropUnit(id);
    if (batch.trails) for (const id in batch.trails) setTrail(id, batch.trails[id]);
    if (batch.incidents) for (const incident of batch.incidents) putIncident(incident);
    if (batch.incidents_gone) for (const id of batch.incidents_gone) dropIncident(id);
    if (batch.devices_gone) {
      for (const id of batch.devices_gone) vigie.groups.lights.drop(id);
      touched.add(vigie.groups.lights);
    }
    if (batch.light_cells) {
      vigie.groups.lights.serve(batch.light_cells);
      touched.add(vigie.groups.lights);
    }
    if (batch.devices) {
      for (const d of batch.devices) {
        const layer = vigie.groups[d[1]];
        if (!layer) continue;
        layer.put(d[0], d[3], d[4], d[2]);
        touched.add(layer);
      }
    }
    if (batch.looks) {
      const lights = vigie.groups.lights;
      for (const id in batch.looks) lights.look(id, batch.looks[id][0], batch.looks[id][1]);
      touched.add(lights);
    }
    if (batch.labels) {
      for (const name in batch.labels) {
        const layer = vigie.groups[name];
        if (!layer) continue;
        for (const id in batch.labels[name]) layer.label(id, batch.labels[name][id]);
        touched.add(layer);
      }
    }
    if (batch.coverage) showCoverage(batch.coverage);
    if (batch.snow_network) setSnowNetwork(batch.snow_network);
    if (batch.snow_passes) showPasses(batch.snow_passes);
    if ("follow" in batch) vigie.follow = batch.follow;
    if (batch.select) select(batch.select.kind, batch.select.id, batch.select.how);
    trimTrails(now);
    drawLinks();
    if (vigie.follow && vigie.units.has(vigie.follow)) {
      const u = vigie.units.get(vigie.follow).data;
      vigie.map.panTo([u.lat, u.lon], { animate: false });
    }
    for (const layer of touched) if (vigie.map.hasLayer(layer)) layer.redraw();
    // Labels are laid out again when what writes them changed: units' names are written only
    // from the street zoom, so that their moves cost nothing below it.
    const unitsNamed = batch.units && vigie.map.getZoom() >= 16;
    if (batch.incidents || batch.incidents_gone || batch.select || batch.reset || unitsNamed) {
      declutter();
    }
    vigie.frames += 1;
    vigie.lastFrameMs = performance.now() - started;
    if (vigie.bridge) vigie.bridge.frame(vigie.lastFrameMs);
  };

  // The theme changed: the page's custom properties take its colours ({"map-fault": value}).
  // Markers and tags follow by themselves; what the script coloured (the canvases, the winter
  // network) is coloured again.
  function setRoles(values) {
    const style = document.documentElement.style;
    for (const name in values) style.setProperty("--vigie-" + name, values[name]);
    roles.clear();
    for (const entry of vigie.segments.values()) {
      entry.line.setStyle({ color: colour(PASS_ROLES[entry.state] || PASS_ROLES.never) });
    }
  }

  // A new snapshot of units and equipment; incidents come from the incident feed and stay.
  function reset() {
    for (const entry of vigie.units.values()) {
      entry.marker.remove();
      entry.line.remove();
    }
    vigie.units.clear();
    for (const name of DEVICE_LAYERS) vigie.groups[name].clear();
  }

  function showLayers(wanted) {
    if ("legend" in wanted) {
      for (const legend of document.querySelectorAll(".vm-legend")) {
        legend.style.display = wanted.legend ? "" : "none";
      }
    }
    for (const name in wanted) {
      const layer = vigie.groups[name];
      if (!layer) continue;
      if (wanted[name] && !vigie.map.hasLayer(layer)) layer.addTo(vigie.map);
      if (!wanted[name] && vigie.map.hasLayer(layer)) layer.remove();
    }
  }

  function putUnit(unit, now) {
    let entry = vigie.units.get(unit.id);
    const selected = isSelected("unit", unit.id);
    if (!entry) {
      const marker = L.marker([unit.lat, unit.lon], { icon: unitIcon(unit, now, selected) });
      marker.on("click", function () {
        vigie.bridge.clicked("unit", unit.id);
      });
      const group = vigie.groups[unit.kind] || vigie.groups.other;
      marker.addTo(group);
      const line = L.polyline([], { className: "vu-trail vu-trail-" + unit.kind, interactive: false });
      line.addTo(vigie.groups.trails);
      entry = { data: unit, marker: marker, trail: [], line: line, look: "" };
      vigie.units.set(unit.id, entry);
    }
    const moved = entry.data.lat !== unit.lat || entry.data.lon !== unit.lon;
    const previous = entry.trail[entry.trail.length - 1];
    if (!previous || unit.at > previous[2]) entry.trail.push([unit.lat, unit.lon, unit.at]);
    entry.data = unit;
    if (moved) entry.marker.setLatLng([unit.lat, unit.lon]);
    // Rebuilding an icon's DOM is what costs: a new heading only turns the arrow.
    const hasHeading = unit.bearing !== null && unit.bearing !== undefined;
    const look = [unit.status, hasHeading, unit.name, unit.work, now - unit.at > FRESH_MS, selected].join("|");
    if (look !== entry.look) {
      entry.marker.setIcon(unitIcon(unit, now, selected));
      entry.look = look;
    } else if (hasHeading) {
      const arrow = entry.marker.getElement() && entry.marker.getElement().querySelector(".vu-heading");
      if (arrow) arrow.setAttribute("transform", "rotate(" + unit.bearing + " 12 13)");
    }
    entry.moved = true;
  }

  function dropUnit(id) {
    const entry = vigie.units.get(id);
    if (!entry) return;
    entry.marker.remove();
    entry.line.remove();
    vigie.units.delete(id);
  }

  function setTrail(id, points) {
    const entry = vigie.units.get(id);
    if (entry) entry.trail = points.slice();
  }

  // Trails are cut to 15 minutes; a polyline is rebuilt only when its unit moved and the
  // trails layer is shown (the selected unit's own line is drawn apart).
  function trimTrails(now) {
    const drawn = vigie.map.hasLayer(vigie.groups.trails);
    for (const entry of vigie.units.values()) {
      const trail = entry.trail;
      let first = 0;
      while (first < trail.length && now - trail[first][2] > TRAIL_MS) first += 1;
      if (first) trail.splice(0, first);
      if (drawn && (entry.moved || first || entry.line.getLatLngs().length !== trail.length)) {
        entry.line.setLatLngs(trail.map((p) => [p[0], p[1]]));
      } else if (!drawn && entry.line.getLatLngs().length) {
        entry.line.setLatLngs([]);
      }
      entry.moved = false;
    }
    const chosen = vigie.selected && vigie.selected.kind === "unit" && vigie.units.get(vigie.selected.id);
    vigie.selectedTrail.setLatLngs(chosen ? chosen.trail.map((p) => [p[0], p[1]]) : []);
  }

  function putIncident(incident) {
    const waited = vigie.awaiting;
    if (waited && waited.kind === "incident" && waited.id === incident.id) {
      vigie.awaiting = null; // selected before it reached the page (a call just taken)
      bringIntoView([incident.lat, incident.lon], waited.how, FOCUS_ZOOM);
    }
    let entry = vigie.incidents.get(incident.id);
    const selected = isSelected("incident", incident.id);
    if (!entry) {
      const marker = L.marker([incident.lat, incident.lon], {
        icon: incidentIcon(incident, selected),
        zIndexOffset: 1000,
      });
      marker.on("click", function () {
        vigie.bridge.clicked("incident", String(incident.id));
      });
      marker.addTo(vigie.groups.incidents);
      entry = { data: incident, marker: marker };
      vigie.incidents.set(incident.id, entry);
    } else {
      entry.marker.setLatLng([incident.lat, incident.lon]);
      entry.marker.setIcon(incidentIcon(incident, selected));
    }
    entry.data = incident;
  }

  function dropIncident(id) {
    const entry = vigie.incidents.get(id);
    if (!entry) return;
    entry.marker.remove();
    vigie.incidents.delete(id);
  }

  function drawLinks() {
    vigie.links.clearLayers();
    for (const entry of vigie.incidents.values()) {
      const unit = entry.data.unit && vigie.units.get(entry.data.unit);
      if (!unit) continue;
      L.polyline(
        [
          [unit.data.lat, unit.data.lon],
          [entry.data.lat, entry.data.lon],
        ],
        { className: "vi-link", interactive: false }
      ).addTo(vigie.links);
    }
  }

  function showCoverage(gaps) {
    vigie.coverage.clearLayers();
    for (const outline of vigie.outlines.values()) {
      const path = outline.getElement && outline.getElement();
      if (path) path.classList.remove("vc-gap");
    }
    for (const gap of gaps) {
      // the commune's own outline, dashed; a circle where the city's base has none
      const outline = vigie.outlines.get(gap.insee);
      const path = outline && outline.getElement && outline.getElement();
      if (path) {
        path.classList.add("vc-gap");
      } else {
        L.circle([gap.lat, gap.lon], { radius: 1200, className: "vc-gap", interactive: false })
          .addTo(vigie.coverage);
      }
      L.marker([gap.lat, gap.lon], {
        interactive: false,
        icon: L.divIcon({
          className: "",
          iconSize: null,
          iconAnchor: [0, -14],
          html: '<div class="vc-label">⚠ ' + escapeHtml(gap.text) + "</div>",
        }),
      }).addTo(vigie.coverage);
    }
  }

  // Treated within the hour, within its target, past its target, not since the operation began.
  const PASS_ROLES = {
    fresh: "map-treated", due: "map-due", late: "map-untreated", never: "map-never-treated",
  };

  function setSnowNetwork(segments) {
    vigie.groups.snow_network.clearLayers();
    vigie.segments.clear();
    for (const segment of segments) {
      const line = L.polyline(segment.points, {
        color: colour(PASS_ROLES.never),
        weight: segment.network === "principal" ? 6 : 3,
        dashArray: segment.network === "principal" ? null : "6 5",
        opacity: 0.9,
      }).addTo(vigie.groups.snow_network);
      line.bindTooltip(escapeHtml(segment.name), { sticky: true });
      vigie.segments.set(segment.id, { data: segment, line: line });
    }
  }

  // {id: [minutes since the last pass or null, "fresh" | "due" | "late" | "never"]}
  function showPasses(passes) {
    for (const id in passes) {
      const entry = vigie.segments.get(id);
      if (!entry) continue;
      const [minutes, state] = passes[id];
      entry.line.setStyle({ color: colour(PASS_ROLES[state] || PASS_ROLES.never) });
      entry.line.setTooltipContent(
        escapeHtml(entry.data.name) + (minutes === null ? "" : " · " + age(minutes * 60000))
      );
      entry.state = state;
    }
  }
  vigie.segmentState = function (id) {
    const entry = vigie.segments.get(id);
    return entry ? entry.state || "never" : null;
  };

  function isSelected(kind, id) {
    return vigie.selected !== null && vigie.selected.kind === kind && vigie.selected.id === id;
  }

  // how: "none" selects only; "reveal" brings it into view if it is not (the operator
  // clicked it, or it is in view already: the map stays as they left it); "centre" puts it in
  // the middle, at the operator's zoom when it was in view at it, else at a street zoom.
  function select(kind, id, how) {
    const before = vigie.selected;
    vigie.selected = { kind: kind, id: id };
    vigie.awaiting = null;
    const now = Date.now();
    for (const s of [before, vigie.selected]) {
      if (!s) continue;
      if (s.kind === "unit" && vigie.units.has(s.id)) {
        const entry = vigie.units.get(s.id);
        entry.look = "";
        putUnit(entry.data, now);
      } else if (s.kind === "incident" && vigie.incidents.has(s.id)) {
        putIncident(vigie.incidents.get(s.id).data);
      }
    }
    if (!how || how === "none") return;
    let place = null;
    let zoom = FOCUS_ZOOM;
    if (kind === "unit" && vigie.units.has(id)) place = vigie.units.get(id).data;
    if (kind === "incident" && vigie.incidents.has(id)) place = vigie.incidents.get(id).data;
    if (kind === "device") {
      for (const name of DEVICE_LAYERS) place = place || vigie.groups[name].points.get(id) || null;
      zoom = DEVICE_ZOOM; // a healthy light is drawn on its own only from there
    }
    if (place) bringIntoView([place.lat, place.lon], how, zoom);
    else if (kind === "incident") vigie.awaiting = { kind: kind, id: id, how: how }; // on its way
  }

  function bringIntoView(latlng, how, zoom) {
    const map = vigie.map;
    // in view: inside the panel less a margin (the legend, the zoom buttons, a tag's height)
    const p = map.latLngToContainerPoint(latlng);
    const size = map.getSize();
    const margin = Math.min(60, size.x / 6, size.y / 6);
    const inView = p.x >= margin && p.y >= margin && p.x <= size.x - margin && p.y <= size.y - margin;
    if (inView && how === "reveal") return;
    if (inView) map.panTo(latlng, { animate: false });
    else map.setView(latlng, Math.max(map.getZoom(), zoom), { animate: false });
  }

  // --- labels never overlap: what needs action is written first --------------------------------
  // Boxes are estimated from the text's width (no layout is forced). An incident's tag that would
  // cover another shrinks to its dot (an incident is never hidden); a unit's or a commune's
  // name that would cover a tag or another name is left out.
  const TAG_FONT = "bold 12px 'DejaVu Sans', sans-serif";
  const NAME_FONT = "12px 'DejaVu Sans', sans-serif";
  const BASE_FONT = "bold 13px 'DejaVu Sans', sans-serif"; // .vm-commune-name's, in the CSS

  function declutter() {
    const map = vigie.map;
    if (!map) return;
    const zoom = map.getZoom();
    const size = map.getSize();
    const placed = [];
    const onScreen = (p) => p.x > -100 && p.y > -50 && p.x < size.x + 100 && p.y < size.y + 50;
    const free = (box) => !placed.some((other) => overlaps(box, other));
    const tags = []; // the tags written in full
    // incidents: the selected one, then by priority, then the oldest
    const incidents = [...vigie.incidents.values()].filter((e) => e.marker);
    incidents.sort(
      (a, b) =>
        isSelected("incident", b.data.id) - isSelected("incident", a.data.id) ||
        a.data.priority - b.data.priority ||
        a.data.id - b.data.id
    );
    if (map.hasLayer(vigie.groups.incidents)) {
      for (const entry of incidents) {
        const p = map.latLngToContainerPoint([entry.data.lat, entry.data.lon]);
        const selected = isSelected("incident", entry.data.id);
        const full = zoom >= 14 || entry.data.priority === 1 || selected;
        let squeezed = false;
        if (onScreen(p) && full) {
          const width = textWidth(entry.data.label, TAG_FONT) + 12;
          const box = [p.x - width / 2, p.y - 35, width, 20];
          squeezed = !selected && !free(box);
          placed.push(squeezed ? [p.x - 6, p.y - 6, 12, 12] : box);
          if (!squeezed) tags.push(box);
        } else if (onScreen(p)) {
          placed.push([p.x - 6, p.y - 6, 12, 12]);
        }
        setClass(entry.marker, "vi-squeezed", squeezed);
      }
    }
    const written = tags; // what the communes' names must not cover: tags, then names
    // units' names, from the street zoom (the selected one's always)
    for (const entry of vigie.units.values()) {
      const p = map.latLngToContainerPoint([entry.data.lat, entry.data.lon]);
      if (!onScreen(p)) continue;
      const selected = isSelected("unit", entry.data.id);
      let hidden = false;
      if (zoom >= 16 || selected) {
        const width = textWidth(entry.data.name || entry.data.id, NAME_FONT) + 30;
        const box = [p.x + 10, p.y - 8, width, 16];
        hidden = !selected && !free(box);
        if (!hidden) {
          placed.push(box);
          written.push(box);
        }
      }
      setClass(entry.marker, "vu-name-hidden", hidden);
      placed.push([p.x - 10, p.y - 11, 20, 22]); // its symbol: no later name covers it
    }
    // the communes' names: the base, under the symbols, left out where a tag or a name is
    for (const [marker, name] of vigie.names) {
      const p = map.latLngToContainerPoint(marker.getLatLng());
      const width = textWidth(name, BASE_FONT) + 4;
      const box = [p.x - width / 2, p.y - 8, width, 16];
      const hidden = onScreen(p) && written.some((other) => overlaps(box, other));
      if (!hidden) written.push(box);
      setClass(marker, "vm-name-hidden", hidden);
    }
  }

  function setClass(marker, name, on) {
    const element = marker && marker.getElement && marker.getElement();
    if (element && element.firstChild) element.firstChild.classList.toggle(name, on);
  }

  // What tests and the bench read back.
  vigie.colour = colour;
  vigie.census = function () {
    const counts = { units: vigie.units.size, incidents: vigie.incidents.size, frames: vigie.frames };
    for (const name of DEVICE_LAYERS) counts[name] = vigie.groups[name].points.size;
    return counts;
  };
  vigie.selectedTrailLength = function () {
    return vigie.selectedTrail.getLatLngs().length;
  };
  vigie.unitAt = function (id) {
    const entry = vigie.units.get(id);
    return entry ? [entry.data.lat, entry.data.lon, entry.trail.length, entry.data.status] : null;
  };
  vigie.unitLabel = function (id) {
    const entry = vigie.units.get(id);
    return entry ? entry.marker.getElement().querySelector(".vu-name").textContent : null;
  };
  vigie.deviceLabel = function (layer, id) {
    return vigie.groups[layer].labels.get(id) || null;
  };
  vigie.deviceState = function (layer, id) {
    const point = vigie.groups[layer].points.get(id);
    return point ? point.state : null;
  };
  // a light's look as the page holds it: [level, dark]
  vigie.lightLook = function (id) {
    const point = vigie.groups.lights.points.get(id);
    return point ? [point.level, point.dark] : null;
  };
  vigie.levelColour = levelColour;
  // [count, mean level] of each healthy cluster the last redraw drew
  vigie.clusterLevels = function () {
    return vigie.groups.lights.clusterLevels;
  };
  // what the last redraw drew of a layer: {single, clusters, alarms, alarmGroups, grouped, dark}
  vigie.drawn = function (name) {
    return vigie.groups[name].drawn;
  };
  // each label's state: {incidents: {id: squeezed}, units: {id: hidden}, communes: {name: hidden}}
  vigie.labels = function () {
    const has = (marker, name) => {
      const element = marker.getElement && marker.getElement();
      return Boolean(element && element.firstChild && element.firstChild.classList.contains(name));
    };
    const out = { incidents: {}, units: {}, communes: {} };
    for (const [id, e] of vigie.incidents) if (e.marker) out.incidents[id] = has(e.marker, "vi-squeezed");
    for (const [id, e] of vigie.units) out.units[id] = has(e.marker, "vu-name-hidden");
    for (const [marker, name] of vigie.names) out.communes[name] = has(marker, "vm-name-hidden");
    return out;
  };
  vigie.boundsOfBase = function () {
    const b = vigie.base.getBounds();
    return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
  };
  vigie.boundsInView = function () {
    const b = vigie.map.getBounds();
    return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
  };
  vigie.redrawAll = function () {
    const started = performance.now();
    for (const name of DEVICE_LAYERS) vigie.groups[name].redraw();
    return performance.now() - started;
  };
})();
