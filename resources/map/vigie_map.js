// Vigie's map page. The console builds it once (folium) and then only sends batches over
// QWebChannel: one `batch` signal per frame, at most five a second, never one call per marker.
// Equipment (34,000 lights) is drawn on canvases, not as DOM markers, so panning stays smooth;
// units and incidents, a few hundred at most, are DOM markers that can carry a name.
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

  // --- equipment: one canvas per layer, points projected once per zoom level ------------------
  const DotLayer = L.Layer.extend({
    initialize: function (name) {
      this.name = name;
      this.points = new Map(); // id -> {lat, lon, state, x, y} (x, y: projected at this._zoom)
      this.labels = new Map(); // id -> text drawn beside it when zoomed in (a signal's plan)
      this._zoom = null;
    },
    onAdd: function (map) {
      this._map = map;
      this._canvas = L.DomUtil.create("canvas", "vigie-dots");
      map.getPanes().overlayPane.appendChild(this._canvas);
      map.on("moveend resize", this.redraw, this);
      map.on("zoomstart", this._hide, this);
      this.redraw();
    },
    onRemove: function (map) {
      map.off("moveend resize", this.redraw, this);
      map.off("zoomstart", this._hide, this);
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
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
      const fresh = { lat: lat, lon: lon, state: state, x: 0, y: 0 };
      if (this._map && this._zoom !== null) this._project(fresh, this._zoom);
      this.points.set(id, fresh);
    },
    clear: function () {
      this.points.clear();
    },
    _project: function (point, zoom) {
      const p = this._map.project([point.lat, point.lon], zoom);
      point.x = p.x;
      point.y = p.y;
    },
    _hide: function () {
      if (this._canvas) this._canvas.style.visibility = "hidden";
    },
    redraw: function () {
      const map = this._map;
      const canvas = this._canvas;
      if (!map || !canvas) return;
      const zoom = map.getZoom();
      if (zoom !== this._zoom) {
        this._zoom = zoom;
        for (const point of this.points.values()) this._project(point, zoom);
      }
      const size = map.getSize();
      const topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(canvas, topLeft);
      if (canvas.width !== size.x || canvas.height !== size.y) {
        canvas.width = size.x;
        canvas.height = size.y;
      }
      canvas.style.visibility = "visible";
      const origin = map.getPixelOrigin().add(topLeft); // projected pixel at the canvas's corner
      const ctx = canvas.getContext("2d");
      ctx.clearRect(0, 0, size.x, size.y);
      const r = zoom <= 12 ? 1.5 : zoom <= 14 ? 2.5 : 4;
      const buckets = { ok: [], stale: [], comm_lost: [], fault: [] };
      for (const point of this.points.values()) {
        const x = point.x - origin.x;
        const y = point.y - origin.y;
        if (x < -8 || y < -8 || x > size.x + 8 || y > size.y + 8) continue;
        (buckets[point.state] || buckets.ok).push(x, y);
      }
      // Faults last, so that no healthy light hides one; never colour alone: size and ring too.
      const silent = colour("map-silent");
      this._draw(ctx, buckets.ok, r, colour(OK_ROLE[this.name]), null);
      this._draw(ctx, buckets.stale, Math.max(r, 2.5), null, silent);
      this._draw(ctx, buckets.comm_lost, Math.max(r, 2.5), null, silent, true);
      this._draw(ctx, buckets.fault, Math.max(r * 1.6, 4), colour("map-fault"), colour("map-mark"));
      if (zoom >= 13 && this.labels.size) this._label(ctx, origin, size, r);
    },
    // A signal's running plan beside it; a plan out of the ordinary (snow, flashing, a
    // diversion) boxed so that it is seen from afar.
    _label: function (ctx, origin, size, r) {
      ctx.font = "bold 11px sans-serif";
      ctx.textBaseline = "middle";
      for (const [id, text] of this.labels) {
        const point = this.points.get(id);
        if (!point) continue;
        const x = point.x - origin.x + r + 3;
        const y = point.y - origin.y;
        if (x < -40 || y < -10 || x > size.x + 10 || y > size.y + 10) continue;
        const usual = ORDINARY_PLANS.has(text);
        const width = ctx.measureText(text).width + 6;
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
    // The nearest point within `reach` pixels of a container point, or null.
    nearest: function (containerPoint, reach) {
      const map = this._map;
      if (!map || !this._canvas) return null;
      const zoom = map.getZoom();
      const origin = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0]));
      let best = null;
      let bestD = reach * reach;
      for (const [id, point] of this.points) {
        if (this._zoom !== zoom) break;
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
  });

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
  const vigie = (window.vigie = {
    map: null,
    bridge: null,
    groups: {}, // layer name -> L.LayerGroup (or DotLayer)
    units: new Map(), // id -> {data, marker, trail: [[lat, lon, at]], line}
    incidents: new Map(), // id -> {data, marker}
    links: null, // dashed lines from a dispatched unit to its incident
    coverage: null,
    selected: null, // {kind, id}
    follow: null, // a unit id
    frames: 0,
    lastFrameMs: 0,
  });

  vigie.start = function (map) {
    vigie.map = map;
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
    // (but P1 and the selected one).
    const names = function () {
      map.getContainer().classList.toggle("vm-names-hidden", map.getZoom() < 16);
      map.getContainer().classList.toggle("vm-compact", map.getZoom() < 14);
    };
    map.on("zoomend", names);
    names();
    for (const name of DEVICE_LAYERS) vigie.groups[name] = new DotLayer(name).addTo(map);
    map.on("click", onMapClick);
    new QWebChannel(qt.webChannelTransport, function (channel) {
      vigie.bridge = channel.objects.bridge;
      vigie.bridge.sig_batch.connect(vigie.apply);
      vigie.bridge.ready();
    });
  };

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
    if (batch.devices) {
      for (const d of batch.devices) {
        const layer = vigie.groups[d[1]];
        if (!layer) continue;
        layer.put(d[0], d[3], d[4], d[2]);
        touched.add(layer);
      }
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
    if (batch.select) select(batch.select.kind, batch.select.id, batch.select.centre);
    trimTrails(now);
    drawLinks();
    if (vigie.follow && vigie.units.has(vigie.follow)) {
      const u = vigie.units.get(vigie.follow).data;
      vigie.map.panTo([u.lat, u.lon], { animate: false });
    }
    for (const layer of touched) if (vigie.map.hasLayer(layer)) layer.redraw();
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
    for (const gap of gaps) {
      L.circle([gap.lat, gap.lon], { radius: 1200, className: "vc-gap", interactive: false }).addTo(
        vigie.coverage
      );
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

  function select(kind, id, centre) {
    const before = vigie.selected;
    vigie.selected = { kind: kind, id: id };
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
    if (!centre) return;
    let place = null;
    if (kind === "unit" && vigie.units.has(id)) place = vigie.units.get(id).data;
    if (kind === "incident" && vigie.incidents.has(id)) place = vigie.incidents.get(id).data;
    if (kind === "device") {
      for (const name of DEVICE_LAYERS) place = place || vigie.groups[name].points.get(id) || null;
    }
    if (place) vigie.map.setView([place.lat, place.lon], Math.max(vigie.map.getZoom(), 16));
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
  vigie.redrawAll = function () {
    const started = performance.now();
    for (const name of DEVICE_LAYERS) vigie.groups[name].redraw();
    return performance.now() - started;
  };
})();
