"""The JavaScript and CSS every kzviz map page carries (constant text, no data).

``window.kzMaps`` holds what turns a plain Leaflet map into one a reader can
use on any screen and by keyboard:

* ``overlay(map, name, data, attribution, listed, canvas)``: a layer drawn from a compact
  collection (:mod:`kzviz.maps._compact`, turned back into GeoJSON by
  ``expand(data)``) whose points are drawn as circles, squares, diamonds or
  triangles; a click where several points overlap opens a list of them
  (each opens its own popup); with `canvas` its lines go on a canvas;
* ``legend(map, html)``: a collapsible legend, closed on small maps;
* ``setup(map, config, layerControl, baseLayer, overlays)``: the title with its "zoom to" buttons
  and a keyboard-friendly list of every feature on the map, popups that fit
  the map (they scroll inside themselves and never hide under a control),
  labels shown by zoom level without overlapping, the first view fitted to
  the features, a full-screen button, and the layer control collapsed on
  small maps.

The script is written once into the page head and defines functions only; it
touches Leaflet when a map calls it.
"""

from __future__ import annotations

NARROW_PX = 560
"""Maps narrower than this start with the layer list and the legend collapsed."""

RUNTIME_JS = r"""
(function () {
"use strict";
if (window.kzMaps) { return; }
var K = window.kzMaps = {}, Shaped = null;

function state(map) {
    if (!map._kz) {
        map._kz = {tl: [54, 60], br: [10, 40], overlays: [], popup: null, back: null};
    }
    return map._kz;
}

function shapePath(p, r, shape) {
    var x = p.x, y = p.y, h;
    if (shape === "square") {
        h = r * 0.9;
        return "M" + (x - h) + " " + (y - h) + "h" + 2 * h + "v" + 2 * h + "h" + (-2 * h) + "z";
    }
    if (shape === "diamond") {
        h = r * 1.25;
        return "M" + x + " " + (y - h) + "L" + (x + h) + " " + y + "L" + x + " " + (y + h) +
            "L" + (x - h) + " " + y + "z";
    }
    if (shape === "triangle") {
        h = r * 1.25;
        return "M" + x + " " + (y - h) + "L" + (x + h) + " " + (y + 0.7 * h) +
            "L" + (x - h) + " " + (y + 0.7 * h) + "z";
    }
    return null;
}

function shapedMarker() {
    if (!Shaped) {
        Shaped = L.CircleMarker.extend({
            _updatePath: function () {
                var d = shapePath(this._point, this._radius, this.options.shape);
                if (d === null || !this._renderer._setPath) {
                    L.CircleMarker.prototype._updatePath.call(this);
                } else {
                    this._renderer._setPath(this, this._empty() ? "M0 0" : d);
                }
            }
        });
    }
    return Shaped;
}

function popupOptions(st) {
    return {maxWidth: 340, minWidth: 120, className: "kz-popup-box",
            autoPanPaddingTopLeft: st.tl, autoPanPaddingBottomRight: st.br};
}

/* Every visible point whose symbol covers `pt` (a container point). */
function pointsAt(map, pt) {
    var out = [];
    state(map).overlays.forEach(function (o) {
        if (!map.hasLayer(o.group)) { return; }
        o.group.eachLayer(function (l) {
            if (!(l instanceof L.CircleMarker) || !l._map || !l.getPopup()) { return; }
            var d = map.latLngToContainerPoint(l.getLatLng()).distanceTo(pt);
            var r = l.getRadius(), w = (l.options.weight || 0) / 2;
            var round = !l.options.shape || l.options.shape === "circle";
            var hit = l.options.fill === false ? Math.abs(d - r) <= w + 3 : d <= r * (round ? 1 : 1.25) + w + 1;
            if (hit) { out.push(l); }
        });
    });
    return out;
}

function focusPopup(popup) {
    var box = popup && popup.getElement();
    var content = box && box.querySelector(".leaflet-popup-content");
    if (content) {
        content.setAttribute("tabindex", "-1");
        content.focus({preventScroll: true});
    }
}

/* Open `layer`'s own popup; with `keyboard`, move the focus into it and back afterwards. */
function openFeature(map, layer, keyboard) {
    var st = state(map);
    st.back = keyboard ? document.activeElement : null;
    if (st.list && st.list.open && st.narrow) { st.list.open = false; }
    layer.openPopup();
    if (keyboard) { focusPopup(layer.getPopup()); }
}

function chooser(map, layers, latlng) {
    var st = state(map), div = L.DomUtil.create("div", "kz-popup kz-choices");
    var items = layers.map(function (l, i) {
        return '<li><button type="button" data-kz="' + i + '">' + l.feature.properties.tooltip + "</button></li>";
    });
    div.innerHTML = "<h4>" + layers.length + " features here</h4><p>Choose one to open it:</p>" +
        "<ul>" + items.join("") + "</ul>";
    L.DomEvent.on(div, "click", function (e) {
        var button = e.target.closest("button[data-kz]");
        if (button) { openFeature(map, layers[Number(button.getAttribute("data-kz"))], e.detail === 0); }
    });
    L.popup(popupOptions(st)).setLatLng(latlng).setContent(div).openOn(map);
}

/* A feature's path can take the keyboard focus (Leaflet shows its tooltip then): name it for screen
   readers. Done in a batch just after the features are drawn, not while drawing them. */
var unnamed = [];
function nameQueued() {
    var text = document.createElement("div");
    unnamed.splice(0).forEach(function (layer) {
        var el = layer.getElement && layer.getElement();
        if (!el || el.hasAttribute("aria-label")) { return; }
        text.innerHTML = layer.feature.properties.tooltip;
        el.setAttribute("role", "button");
        el.setAttribute("aria-label", text.textContent);
    });
}

function namePath(e) {
    if (!unnamed.length) { setTimeout(nameQueued, 0); }
    unnamed.push(e.target);
}

function pointClick(e) {
    var map = e.target._map, here = pointsAt(map, e.containerPoint);
    if (here.length > 1) { chooser(map, here, e.target.getLatLng()); } else { e.target.openPopup(); }
}

/* An encoded polyline (latitude first, `digits` decimals) as Leaflet LatLngs: made directly, not through
   GeoJSON [lon, lat] arrays, which would be a million short-lived arrays on a large map. */
function decodeLine(text, digits) {
    var out = [], i = 0, lat = 0, lon = 0, factor = Math.pow(10, digits);
    function next() {
        var result = 0, shift = 0, b;
        do { b = text.charCodeAt(i++) - 63; result |= (b & 31) << shift; shift += 5; } while (b >= 32);
        return (result & 1) ? ~(result >> 1) : (result >> 1);
    }
    while (i < text.length) {
        lat += next();
        lon += next();
        out.push(new L.LatLng(lat / factor, lon / factor));
    }
    return out;
}

/* A popup from its parts: the same markup as kzviz._html.Popup.html. */
function popupHtml(data, entry) {
    var S = data.strings;
    if (typeof entry === "number") { return S[entry]; }
    function t(part) { return typeof part === "number" ? S[part] : part; }  // shared strings are indexes
    var labels = data.layouts[entry[0]], cells = "", sources = "";
    entry[2].forEach(function (v, i) {
        if (t(v)) { cells += "<tr><th>" + S[labels[i]] + "</th><td>" + t(v) + "</td></tr>"; }
    });
    if (entry[4].length) {
        sources = '<div class="kz-sources-head">Sources</div><ul class="kz-sources">' + entry[4].map(function (l) {
            return t(l[0]) ? '<li><a href="' + t(l[0]) + '" target="_blank" rel="noopener noreferrer">' +
                t(l[1]) + "</a></li>" : "<li>" + t(l[1]) + "</li>";
        }).join("") + "</ul>";
    }
    return '<div class="kz-popup"><h4>' + t(entry[1]) + "</h4><table>" + cells + "</table>" + t(entry[3]) +
        sources + "</div>";
}

/* The GeoJSON FeatureCollection of a compact collection (kzviz.maps._compact); its lines' coordinates are
   LatLngs (see decodeLine), which the overlay's coordsToLatLng takes as they are. */
K.expand = function (data) {
    var popups = data.popups.map(function (entry) { return popupHtml(data, entry); });
    var names = Object.keys(data.properties), features = [], last = {};
    names.forEach(function (name) { last[name] = 0; });
    for (var i = 0; i < data.n; i++) {
        var g = data.geometries[i], p = {};
        names.forEach(function (name) {
            var c = last[name] += data.properties[name][i];  // columns hold differences
            if (c === 0) { return; }
            p[name] = name === "popup" ? popups[c - 1] : (c > 0 ? data.strings[c - 1] : data.objects[-c - 1]);
        });
        if (typeof g === "string") { g = {type: "LineString", coordinates: decodeLine(g, data.lines.precision)}; }
        features.push({type: "Feature", geometry: g, properties: p});
    }
    return {type: "FeatureCollection", features: features};
};

K.overlay = function (map, name, data, attribution, listed, canvas) {
    var st = state(map);
    if (!map.getPane("kzPoints")) { map.createPane("kzPoints").style.zIndex = 450; }  // points above every line
    var group = L.geoJSON(K.expand(data), {
        renderer: canvas ? L.canvas({tolerance: 4}) : undefined,
        coordsToLatLng: function (c) { return c instanceof L.LatLng ? c : L.GeoJSON.coordsToLatLng(c); },
        style: function (f) { return f.properties.style; },
        pointToLayer: function (f, latlng) {
            return new (shapedMarker())(latlng, L.extend({pane: "kzPoints"}, f.properties.style));
        },
        onEachFeature: function (f, layer) {
            var p = f.properties;
            if (p.route) { layer.options.className = (layer.options.className || "") + " kz-id-" + p.route; }
            if (p.tooltip) { layer.bindTooltip(p.tooltip, {sticky: true}); }
            if (!p.popup) { return; }
            layer.bindPopup(p.popup, popupOptions(st));
            if (p.tooltip) { layer.on("add", namePath); }
            if (layer instanceof L.CircleMarker) {  // a click on stacked points lists them instead
                layer.off("click", layer._openPopup, layer);  // the handler bindPopup added (Leaflet 1.9)
                layer.on("click", pointClick);
            }
        }
    });
    // credited by the layer as a whole (given to L.geoJSON, every feature would rewrite the credits as it is added)
    group.options.attribution = attribution;
    if (listed) { st.overlays.push({group: group, name: name}); }  // not a backdrop (country outlines)
    return group;
};

K.legend = function (map, html) {
    var st = state(map), control = L.control({position: "bottomright"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "kz-legend leaflet-control");
        div.innerHTML = html;
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    control.addTo(map);
    st.legendControl = control;
    st.legend = control.getContainer();
    st.legendDetails = st.legend.querySelector("details");
    return control;
};

function rect(el, box) {
    var r = el.getBoundingClientRect();
    return {l: r.left - box.left, t: r.top - box.top, r: r.right - box.left, b: r.bottom - box.top,
            w: r.width, h: r.height};
}

function overlaps(a, b) {
    return a.w > 0 && b.w > 0 && a.l < b.r && a.r > b.l && a.t < b.b && a.b > b.t;
}

/* Height a control takes when its collapsible part is closed: a layer list as its button, a legend as its title. */
function restingHeight(map, el) {
    var st = state(map), cs = getComputedStyle(el), margins = parseFloat(cs.marginTop) + parseFloat(cs.marginBottom);
    if (el === st.legend && st.legendDetails.open) {
        return margins + st.legendDetails.querySelector("summary").offsetHeight + 10;
    }
    if (el.classList.contains("leaflet-control-layers-expanded")) { return margins + 44; }
    return margins + el.offsetHeight;
}

function stackHeight(map, corner) {
    var total = 0;
    map.getContainer().querySelectorAll(corner + " > .leaflet-control").forEach(function (el) {
        total += restingHeight(map, el);
    });
    return total;
}

/* Paddings that keep popups and fitted views clear of the controls; sizes of popups, legend and list. */
function layout(map) {
    var st = state(map), c = map.getContainer(), size = map.getSize(), box = c.getBoundingClientRect();
    var left = 0, right = 54, header = st.header ? rect(st.header, box).b : 0;
    c.querySelectorAll(".leaflet-top.leaflet-left > .leaflet-control").forEach(function (el) {
        if (el !== st.header) { left = Math.max(left, rect(el, box).r); }
    });
    c.querySelectorAll(".leaflet-top.leaflet-right > .leaflet-control").forEach(function (el) {
        if (el !== st.legend) { right = Math.max(right, size.x - rect(el, box).l); }
    });
    var top = stackHeight(map, ".leaflet-top.leaflet-right");
    var bottom = Math.max(stackHeight(map, ".leaflet-bottom.leaflet-left"),
                          stackHeight(map, ".leaflet-bottom.leaflet-right"));
    if (st.narrow && st.legend) {  // the legend drops down below the title, not over it
        var margin = parseFloat(st.legend.style.marginTop) || 10, above = rect(st.legend, box).t - margin;
        var wanted = Math.max(10, header + 6 - above);
        st.legend.style.marginTop = wanted + "px";
        top += wanted - margin;
    }
    st.tl[0] = left + 8; st.tl[1] = Math.max(header, top) + 8; st.br[0] = 10; st.br[1] = bottom + 8;
    var set = function (name, px) { c.style.setProperty(name, Math.max(60, Math.floor(px)) + "px"); };
    set("--kz-popup-h", size.y - st.tl[1] - st.br[1] - 52);
    set("--kz-popup-w", size.x - st.tl[0] - st.br[0] - 50);
    set("--kz-header-w", size.x - right - 24);
    set("--kz-list-h", size.y - header - st.br[1] - 16);
    set("--kz-legend-h", size.y - top - bottom - 40);
}

/* Ways to keep a view clear of the controls: each pads the sides where controls stand (the top right
   ones, or the open legend, beside or beneath the features). */
function paddings(map) {
    var st = state(map), c = map.getContainer(), box = c.getBoundingClientRect(), topRight = st.tl[1];
    c.querySelectorAll(".leaflet-top.leaflet-right > .leaflet-control").forEach(function (el) {
        topRight = Math.max(topRight, rect(el, box).b + 8);
    });
    var legend = st.legendDetails && st.legendDetails.open && !st.narrow ? rect(st.legend, box) : null;
    if (legend && !legend.w) { legend = null; }  // not drawn (hidden by the page's own styles)
    var out = [];
    [st.tl[1], topRight].forEach(function (top) {
        out.push({tl: L.point(st.tl[0], top), br: L.point(st.br[0], st.br[1])});
        if (legend) {
            out.push({tl: L.point(st.tl[0], top), br: L.point(legend.w + 20, st.br[1])});
            out.push({tl: L.point(st.tl[0], top), br: L.point(st.br[0], map.getSize().y - legend.t + 8)});
        }
    });
    return out;
}

/* Every vertex and point the overlays draw (or will draw: they join the map after the first fit), or an
   even sample of FIT_POINTS of them on a large map. */
var FIT_POINTS = 20000;
function featurePoints(map) {
    var all = allPoints(map);
    if (all.length <= FIT_POINTS) { return all; }
    var step = all.length / FIT_POINTS, out = [];
    for (var i = 0; i < FIT_POINTS; i++) { out.push(all[Math.floor(i * step)]); }
    return out;
}

function allPoints(map) {
    var out = [];
    state(map).overlays.forEach(function (o) {
        o.group.eachLayer(function (l) {
            if (l.getLatLng) {
                out.push(l.getLatLng());
            } else if (l.getLatLngs) {
                var lls = l.getLatLngs();
                out.push.apply(out, L.LineUtil.isFlat(lls) ? lls : [].concat.apply([], lls));
            }
        });
    });
    return out;
}

/* Fit `bounds` as large as the controls allow: of the paddings, take the one with the fewest features
   beneath a control, then the largest zoom. Leaflet's own centring for a padded fit is used. */
K.fit = function (map, bounds, animate) {
    var c = map.getContainer(), box = c.getBoundingClientRect(), size = map.getSize(), best = null;
    var controls = Array.prototype.map.call(c.querySelectorAll(".leaflet-control"), function (el) {
        return rect(el, box);
    });
    var points = featurePoints(map);
    bounds = L.latLngBounds(bounds);
    paddings(map).forEach(function (pad) {
        var zoom = map.getBoundsZoom(bounds, false, pad.tl.add(pad.br));
        if (!isFinite(zoom)) { return; }  // the padding leaves no room
        var sw = map.project(bounds.getSouthWest(), zoom), ne = map.project(bounds.getNorthEast(), zoom);
        var centre = sw.add(ne).divideBy(2).add(pad.br.subtract(pad.tl).divideBy(2));
        var origin = centre.subtract(size.divideBy(2)), hidden = 0;
        points.forEach(function (ll) {
            var p = map.project(ll, zoom).subtract(origin);
            if (controls.some(function (r) { return r.l <= p.x && p.x <= r.r && r.t <= p.y && p.y <= r.b; })) {
                hidden += 1;
            }
        });
        if (!best || hidden < best.hidden || (hidden === best.hidden && zoom > best.zoom)) {
            best = {hidden: hidden, zoom: zoom, centre: map.unproject(centre, zoom)};
        }
    });
    if (best) {
        map.setView(best.centre, best.zoom, {animate: !!animate});
    } else {
        map.fitBounds(bounds, {animate: !!animate});
    }
};

/* Close the legend, the list and the layer list when an open popup lies under them. */
function clearPopup(map) {
    var st = state(map);
    if (!st.popup || !st.popup.isOpen()) { return; }
    var box = map.getContainer().getBoundingClientRect(), pop = rect(st.popup.getElement(), box);
    if (st.legendDetails && st.legendDetails.open && overlaps(pop, rect(st.legend, box))) {
        st.legendDetails.open = false;
        st.legendHidden = true;
    }
    if (st.list && st.list.open && overlaps(pop, rect(st.list, box))) { st.list.open = false; }
    var layers = st.layers && st.layers.getContainer();
    if (layers && layers.classList.contains("leaflet-control-layers-expanded") && overlaps(pop, rect(layers, box))) {
        st.layers.collapse();
    }
}

function featureItems(map) {
    var st = state(map), parts = [], entries = [];
    st.overlays.forEach(function (o) {
        if (!map.hasLayer(o.group)) { return; }
        var seen = {}, items = [];
        o.group.eachLayer(function (l) {
            var p = l.feature.properties, key = p.route || p.id || L.stamp(l);
            if (!l._map || !p.popup || seen[key]) { return; }
            seen[key] = true;
            items.push('<li><button type="button" data-kz="' + entries.length + '">' + p.tooltip + "</button></li>");
            entries.push(l);
        });
        if (items.length) {
            parts.push("<h3>" + o.name + " (" + items.length + ")</h3><ul>" + items.join("") + "</ul>");
        }
    });
    return {html: parts.join("") || "<p>No feature is shown.</p>", entries: entries};
}

function header(map, cfg) {
    var st = state(map), control = L.control({position: "topleft"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "kz-header leaflet-control");
        var views = cfg.views.map(function (v, i) {
            return '<button type="button" class="kz-view" data-kz="' + i + '">' + v.label + "</button>";
        });
        div.innerHTML = '<h2 class="kz-title">' + cfg.title + "</h2>" +
            '<div class="kz-tools"><span class="kz-views"><span>Zoom to:</span> ' + views.join(" ") + "</span>" +
            '<details class="kz-find"><summary>List of features</summary>' +
            '<div class="kz-find-body"></div></details></div>';
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    control.addTo(map);
    var div = control.getContainer(), corner = div.parentNode;
    corner.insertBefore(div, corner.firstChild);
    st.header = div;
    st.list = div.querySelector(".kz-find");
    var body = div.querySelector(".kz-find-body"), entries = [];
    L.DomEvent.on(div, "click", function (e) {
        var view = e.target.closest("button.kz-view"), item = e.target.closest(".kz-find-body button[data-kz]");
        if (view) { K.fit(map, cfg.views[Number(view.getAttribute("data-kz"))].bounds, true); }
        if (item) { openFeature(map, entries[Number(item.getAttribute("data-kz"))], true); }
    });
    function fill() {
        var found = featureItems(map);
        body.innerHTML = found.html;
        entries = found.entries;
    }
    // Filled as the list opens (a click on its title comes before the toggle), so the keyboard finds it at once.
    var fresh = false;
    st.list.querySelector("summary").addEventListener("click", function () {
        if (!st.list.open) { fill(); fresh = true; }
    });
    st.list.addEventListener("toggle", function () {
        if (st.list.open && !fresh) { fill(); }
        fresh = false;
    });
}

/* The controls' boxes in layer points, so labels are never placed beneath them. */
function controlBoxes(map) {
    var c = map.getContainer(), box = c.getBoundingClientRect(), out = [];
    c.querySelectorAll(".leaflet-control").forEach(function (el) {
        var r = rect(el, box), p = map.containerPointToLayerPoint([r.l, r.t]);
        out.push({l: p.x, t: p.y, r: p.x + r.w, b: p.y + r.h, w: r.w});
    });
    return out;
}

function labels(map) {
    var st = state(map), pane = map.createPane("kzLabels"), items = [], pending = false;
    pane.classList.add("kz-labels");
    pane.style.zIndex = 460;
    st.overlays.forEach(function (o) {
        var seen = {};
        o.group.eachLayer(function (l) {
            var p = l.feature.properties;
            if (!p.label || seen[p.label]) { return; }
            seen[p.label] = true;
            var point = l instanceof L.CircleMarker;
            items.push({layer: l, group: o.group, html: p.label, zoom: p.label_zoom || 0, point: point,
                        size: point ? l.getRadius() : (l.options.weight || 1)});
        });
        o.group.on("layeradd layerremove", schedule);
    });
    items.sort(function (a, b) { return a.zoom - b.zoom || b.size - a.size; });
    /* A label's element is made and measured the first time its zoom is reached, all such labels at once
       (one layout), so a map of thousands of routes does not lay out labels it does not show yet. */
    function make(shown) {
        var fresh = shown.filter(function (it) { return !it.el; });
        fresh.forEach(function (it) {
            it.el = L.DomUtil.create("div", it.point ? "kz-label" : "kz-label kz-label-line", pane);
            it.el.innerHTML = it.html;
        });
        fresh.forEach(function (it) { it.w = it.el.offsetWidth; it.h = it.el.offsetHeight; });
    }
    function refresh() {
        pending = false;
        var z = map.getZoom(), placed = controlBoxes(map);
        make(items.filter(function (it) { return z >= it.zoom; }));
        items.forEach(function (it) {
            if (!it.el) { return; }
            var show = !!it.layer._map && map.hasLayer(it.group) && z >= it.zoom;
            if (show) {
                if (!it.anchor) { it.anchor = it.point ? it.layer.getLatLng() : it.layer.getCenter(); }
                var pt = map.latLngToLayerPoint(it.anchor);
                var x = it.point ? pt.x + it.size + 4 : pt.x - it.w / 2, y = pt.y - it.h / 2;
                var b = {l: x, t: y, r: x + it.w, b: y + it.h, w: it.w};
                show = !placed.some(function (other) { return overlaps(b, other); });
                if (show) {
                    placed.push(b);
                    L.DomUtil.setPosition(it.el, L.point(Math.round(x), Math.round(y)));
                }
            }
            it.el.style.display = show ? "" : "none";
        });
    }
    function schedule() {
        if (!pending) { pending = true; L.Util.requestAnimFrame(refresh); }
    }
    map.on("zoomstart", function () { pane.style.visibility = "hidden"; });
    map.on("zoomend", function () { refresh(); pane.style.visibility = ""; });
    map.on("viewreset overlayadd overlayremove", schedule);
    refresh();
}

/* A full-screen button (the Fullscreen API; no plugin to fetch). Left out where the page cannot go full screen. */
var FULL_ICON = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">' +
    '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#222" stroke-width="2"/></svg>';

function fullscreen(map) {
    var c = map.getContainer(), control = L.control({position: "topleft"});
    if (!document.fullscreenEnabled || !c.requestFullscreen) { return; }
    control.onAdd = function () {
        var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control kz-fullscreen");
        var button = L.DomUtil.create("a", "kz-fullscreen-button", bar);
        button.href = "#";
        button.setAttribute("role", "button");
        button.innerHTML = FULL_ICON;
        var label = function () {
            var on = document.fullscreenElement === c;
            button.title = on ? "Leave full screen" : "Show the map full screen";
            button.setAttribute("aria-label", button.title);
            button.setAttribute("aria-pressed", String(on));
        };
        label();
        L.DomEvent.on(button, "click", function (e) {
            L.DomEvent.preventDefault(e);
            if (document.fullscreenElement === c) { document.exitFullscreen(); } else { c.requestFullscreen(); }
        });
        L.DomEvent.disableClickPropagation(bar);
        document.addEventListener("fullscreenchange", function () {
            label();
            map.invalidateSize();
            layout(map);
        });
        return bar;
    };
    control.addTo(map);
}

/* Keyboard: the controls come first in the tab order, then the features (Enter opens a feature's
   popup and moves the focus into it); Escape closes a popup or an open list and returns the focus. */
function keyboard(map, cfg) {
    var st = state(map), c = map.getContainer();
    c.setAttribute("role", "region");
    c.setAttribute("aria-roledescription", "map");
    c.setAttribute("aria-label", cfg.label + ". Arrow keys pan the map; plus and minus zoom; " +
                   "the list of features opens each one.");
    var controls = c.querySelector(":scope > .leaflet-control-container");
    if (controls) { c.insertBefore(controls, c.firstChild); }
    L.DomEvent.on(c, "keydown", function (e) {
        if (e.key !== "Escape") { return; }
        var active = document.activeElement;
        var inside = function (sel) { return active && active.closest && active.closest(sel); };
        var open = inside("details[open]");
        if (open && !inside(".leaflet-popup")) {
            open.open = false;
            open.querySelector("summary").focus();
            L.DomEvent.stop(e);
        } else if (st.popup && st.popup.isOpen()) {
            map.closePopup();
            L.DomEvent.stop(e);
        }
    });
    map.on("popupopen", function (e) {
        var active = document.activeElement;
        st.popup = e.popup;
        if (active && active.tagName && active.tagName.toLowerCase() === "path") {  // a feature opened by keyboard
            st.back = active;
            focusPopup(e.popup);
        }
        clearPopup(map);
    });
    map.on("moveend", function () { clearPopup(map); });
    map.on("popupclose", function (e) {
        var box = e.popup.getElement(), back = st.back;
        if (st.legendHidden) { st.legendDetails.open = true; st.legendHidden = false; }
        if (back && box && box.contains(document.activeElement)) {
            st.back = null;
            back.focus({preventScroll: true});
            if (document.activeElement !== back) { st.list.querySelector("summary").focus({preventScroll: true}); }
        }
    });
}

/* Open the legend where it fits (in two columns on wide maps); on narrow maps it waits, closed, at the top right. */
function placeLegend(map, size) {
    var st = state(map);
    st.legendClosed = 0;
    if (!st.legendControl) { return; }
    if (st.narrow) {
        st.legendControl.setPosition("topright");
        st.legend = st.legendControl.getContainer();
        st.legendDetails = st.legend.querySelector("details");
    }
    var details = st.legendDetails, body = details.querySelector(".kz-legend-body");
    var height = body.scrollHeight, summary = details.querySelector("summary").offsetHeight;  // one layout
    var wide = !st.narrow && height > 0.5 * size.y && size.x >= 900;
    st.legend.classList.toggle("kz-legend-wide", wide);
    details.open = !st.narrow && (wide ? height / 2 : height) <= 0.6 * size.y;  // two columns: about half as tall
    st.legendClosed = st.narrow ? 0 : summary + 10;
    details.addEventListener("toggle", function () { layout(map); });
}

/* The credits take one line (they can be long); a tap, a hover or the keyboard shows them all. */
function credits(map) {
    var control = map.attributionControl;
    if (!control) { return; }
    var el = control.getContainer();
    el.title = "Credits: tap or hover to read them all";
    L.DomEvent.on(el, "click", function (e) {
        if (e.target.tagName !== "A") { el.classList.toggle("kz-open"); }
    });
}

K.setup = function (map, cfg, layerControl, baseLayer, overlays) {
    var st = state(map), c = map.getContainer(), size = map.getSize();
    st.narrow = size.x < cfg.narrow || size.y < 360;
    st.layers = layerControl;
    c.classList.add("kz-map");
    c.classList.toggle("kz-narrow", st.narrow);
    L.control.scale({imperial: !st.narrow, maxWidth: st.narrow ? 80 : 120}).addTo(map);
    header(map, cfg);
    fullscreen(map);
    credits(map);
    keyboard(map, cfg);
    if (layerControl && !st.narrow) { layerControl.expand(); }
    placeLegend(map, size);
    layout(map);
    K.fit(map, cfg.views[0].bounds, false);
    // Features and tiles are drawn once, in the first view; labels follow after that first frame.
    (overlays || []).forEach(function (o) { o.addTo(map); });
    if (baseLayer) { baseLayer.addTo(map); }
    map.on("resize", function () { layout(map); });
    L.Util.requestAnimFrame(function () { setTimeout(function () { labels(map); }, 0); });
};
})();
"""
"""Defines ``window.kzMaps`` (see the module docstring); written once into the page head."""

CSS = """
.leaflet-container.kz-map {font: 12px/1.35 "Helvetica Neue", Arial, sans-serif;}
.kz-map .leaflet-control-layers {font-size: 13px;}
.kz-popup h4 {margin: 0 0 4px; font-size: 14px;}
.kz-popup table {border-collapse: collapse; font-size: 12px;}
.kz-popup th {text-align: left; padding: 1px 8px 1px 0; color: #444; font-weight: 600; vertical-align: top;}
.kz-popup td {padding: 1px 0;}
.kz-popup ul {margin: 2px 0 0; padding-left: 16px; font-size: 12px;}
.kz-popup p {margin: 4px 0;}
.kz-popup .kz-sources-head {margin-top: 6px; font-size: 11px; color: #555; text-transform: uppercase;}
.kz-popup-box .leaflet-popup-content {max-height: var(--kz-popup-h, 60vh); max-width: var(--kz-popup-w, 300px);
  overflow-y: auto; overflow-x: hidden; overscroll-behavior: contain;}
.kz-popup-box .leaflet-popup-content:focus {outline: none;}
.kz-popup-box .leaflet-popup-content:focus-visible {outline: 2px solid #0072B2; outline-offset: 2px;}
.kz-choices ul {list-style: none; padding: 0;}
.kz-choices li, .kz-find li {margin: 1px 0;}
.kz-choices button, .kz-find-body button {font: inherit; text-align: left; width: 100%; padding: 2px 4px;
  background: #f4f4f4; border: 1px solid #ccc; border-radius: 3px; cursor: pointer; color: #222;}
.kz-choices button:hover, .kz-find-body button:hover {background: #e4e4e4;}
.kz-header, .kz-legend {background: rgba(255,255,255,0.95); border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); color: #222;}
.kz-header {padding: 4px 8px; max-width: var(--kz-header-w, 60vw);}
.kz-title {margin: 0; font-size: 14px; line-height: 1.25;}
.kz-tools {display: flex; flex-wrap: wrap; gap: 3px 10px; align-items: baseline; margin-top: 3px;}
.kz-views button {font: inherit; padding: 1px 5px; margin: 0 2px 0 0; border: 1px solid #888; border-radius: 3px;
  background: #f4f4f4; cursor: pointer; color: #222;}
.kz-find summary, .kz-legend summary {cursor: pointer; font-weight: 700;}
.kz-find-body {max-height: var(--kz-list-h, 50vh); overflow-y: auto; margin-top: 4px; min-width: 220px;}
.kz-find h3 {font-size: 12px; margin: 6px 0 2px;}
.kz-find ul {list-style: none; padding: 0; margin: 0;}
.kz-legend {padding: 4px 8px; font-size: 11px;}
.kz-legend-body {max-height: var(--kz-legend-h, 50vh); overflow-y: auto; padding-right: 4px; column-gap: 14px;
  max-width: 460px;
  background: linear-gradient(#fff 30%, rgba(255,255,255,0)) top, linear-gradient(rgba(255,255,255,0), #fff 70%) bottom,
  radial-gradient(farthest-side at 50% 0, rgba(0,0,0,.25), rgba(0,0,0,0)) top,
  radial-gradient(farthest-side at 50% 100%, rgba(0,0,0,.25), rgba(0,0,0,0)) bottom;
  background-repeat: no-repeat; background-size: 100% 24px, 100% 24px, 100% 8px, 100% 8px;
  background-attachment: local, local, scroll, scroll;}
.kz-legend h5 {margin: 5px 0 1px; font-size: 11px; break-after: avoid;}
.kz-legend .kz-row {display: flex; align-items: center; gap: 6px; break-inside: avoid;}
.kz-narrow .kz-legend-body {max-width: var(--kz-header-w, 260px);}
.kz-legend .kz-samples {flex: none; display: flex; gap: 2px; align-items: center; min-width: 40px;}
.kz-legend svg {flex: none;}
.kz-labels {pointer-events: none;}
.kz-fullscreen-button {display: flex !important; align-items: center; justify-content: center;}
.leaflet-container.kz-map:fullscreen {width: 100% !important; height: 100% !important;}
.kz-map path.leaflet-interactive:focus {outline: none;}
.kz-map path.leaflet-interactive:focus-visible {filter: drop-shadow(0 0 2px #000) drop-shadow(0 0 2px #0072B2);}
.kz-label {position: absolute; white-space: nowrap; font: 600 11px/1.2 "Helvetica Neue", Arial, sans-serif; color: #111;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff;}
.kz-label-line {white-space: normal; width: max-content; max-width: 130px; text-align: center; font-style: italic;}
.kz-narrow .leaflet-bottom.leaflet-left {bottom: 14px;}
.kz-legend-wide .kz-legend-body {columns: 2; width: 440px; max-width: none;}
.kz-narrow .kz-title {font-size: 12px;}
.kz-narrow .kz-tools {font-size: 11px; gap: 2px 8px;}
.kz-narrow .kz-views > span:first-child {display: none;}
.kz-map .leaflet-control-attribution {background: #fff; max-width: calc(100vw - 150px); white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; cursor: pointer;}
.kz-map .leaflet-control-attribution:hover, .kz-map .leaflet-control-attribution:focus-within,
.kz-map .leaflet-control-attribution.kz-open {white-space: normal; cursor: auto;}
.kz-map .leaflet-control-attribution a {color: #005a80;}
.kz-narrow .leaflet-control-attribution {font-size: 9px;}
.kz-narrow .kz-legend {font-size: 11px;}
.kz-time {background: #fff; padding: 4px 8px; display: flex; gap: 8px; align-items: center; font: 13px sans-serif;}
.kz-time input {width: 240px; max-width: calc(100vw - 130px);}
.kz-time button {border: 1px solid #888; background: #f4f4f4; border-radius: 3px; cursor: pointer; width: 30px;}
"""
"""Styles of popups, legend, title, labels and the time control (written once into the page head)."""
