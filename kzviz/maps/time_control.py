"""A browser-side year control, so time maps work without a Python kernel.

:class:`TimeControl` filters and restyles a map's overlays for a year in the
browser: it shows the events up to that year and every route in the stage
it had then (announced, under construction, operating). Route tooltips and
popups say the stage of the year shown: the control rewrites the stage text
that :func:`kzviz.maps.layers.pipeline_layer` marks. It needs no kernel, so it works on nbviewer and in exported HTML.

Browser API
-----------
The control speaks plain DOM events on the map's own ``document`` (inside
the map's iframe in a notebook), so other scripts can drive or follow it:

``kz:show`` (listened to)
    ``document.dispatchEvent(new CustomEvent("kz:show", {detail: {start,
    end, ids}}))`` shows years `start` to `end`; `ids`, optional, is the
    array of event ids to show instead of every event in those years.
    :class:`kzviz.timeline.TimelineExplorer` drives its map this way.
``kz:year-applied`` (dispatched)
    Fired on ``document`` after every change, once the map shows the new
    state; ``event.detail`` is ``{start, end, shown}``, `shown` being the
    number of features now on the map.
``data-kz-year`` (state attribute)
    ``document.body`` carries the last year shown.

With ``year_control=True`` (the default) the map draws its own slider and
Play button; a map driven by an explorer draws none, so the reader sees one
year control.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from folium.template import Template

from kzviz import palette, vocab
from kzviz.maps._base import Overlay, script_json
from kzviz.maps._literal import LiteralMacroElement
from kzviz.maps.layers import STAGE_LABELS
from kzviz.timeframe import PLAY_STEP_MS

_SCRIPT = """
(function () {
    var map = {{ this._parent.get_name() }};
    var groups = [{{ this.overlay_names|join(", ") }}];
    var cfg = {{ this.config_json }};
    var items = [];
    groups.forEach(function (g) { g.eachLayer(function (l) { items.push([g, l]); }); });
    var state = {start: cfg.first, end: cfg.year, ids: null};
    var slider = null, label = null;
    function stage(y, ys) {
        if (ys.first != null && ys.first <= y) { return "operating"; }
        if (ys.construction != null && ys.construction <= y) { return "under_construction"; }
        if (ys.announced != null && ys.announced <= y) { return "announced"; }
        return null;
    }
    function setText(root, selector, text) {
        var el = root && root.querySelector(selector);
        if (el && el.textContent !== text) { el.textContent = text; }
    }
    function stageText(layer, root) {
        var ys = layer.feature.properties.years, st = ys && stage(state.end, ys);
        if (!st) { return; }
        setText(root, ".kz-stage-year", String(state.end));
        setText(root, ".kz-stage", cfg.labels[st]);
        setText(root, ".kz-stage-note", st === "operating" ? "" : ", " + cfg.labels[st]);
    }
    map.on("popupopen tooltipopen", function (e) {
        var layer = (e.popup || e.tooltip)._source;
        if (layer && layer.feature) { stageText(layer, (e.popup || e.tooltip).getElement()); }
    });
    function apply() {
        var y = state.end, shown = 0, added = false;
        items.forEach(function (pair) {
            var g = pair[0], l = pair[1], p = l.feature.properties, visible = true;
            if (p.event) {
                visible = state.ids ? state.ids.has(p.id) : (p.year >= state.start && p.year <= y);
            } else if (p.years) {
                var st = stage(y, p.years);
                visible = st !== null;
                if (visible && l.setStyle && !(l instanceof L.CircleMarker)) {
                    var s = cfg.stages[st];
                    l.setStyle({opacity: s.opacity, dashArray: p.sea ? p.style.dashArray : s.dashArray});
                }
                if (visible && l.isPopupOpen()) { stageText(l, l.getPopup().getElement()); }
                if (visible && l.isTooltipOpen()) { stageText(l, l.getTooltip().getElement()); }
            }
            if (visible) { shown += 1; }
            if (visible && !g.hasLayer(l)) { g.addLayer(l); added = true; }
            if (!visible && g.hasLayer(l)) { g.removeLayer(l); }
        });
        // Leaflet draws a re-added layer on top of everything; restore the
        // original order (overlays in turn, larger markers beneath smaller).
        if (added) { items.forEach(function (pair) { if (pair[1]._map) { pair[1].bringToFront(); } }); }
        if (slider) {
            label.textContent = (state.start > cfg.first ? state.start + "\\u2013" : "") + y;
            slider.value = y;
        }
        document.body.setAttribute("data-kz-year", String(y));
        document.dispatchEvent(new CustomEvent("kz:year-applied", {
            detail: {start: state.start, end: y, shown: shown}
        }));
    }
    document.addEventListener("kz:show", function (e) {
        var d = e.detail || {};
        state = {start: Number(d.start), end: Number(d.end), ids: d.ids ? new Set(d.ids) : null};
        apply();
    });
    if (cfg.yearControl) {
        var control = L.control({position: "bottomleft"}), timer = null, play;
        control.onAdd = function () {
            var div = L.DomUtil.create("div", "kz-time leaflet-bar");
            div.innerHTML = '<button type="button" class="kz-play" title="Play" aria-label="Play">\\u25b6</button>' +
                '<input type="range" class="kz-year" aria-label="Year" min="' + cfg.first + '" max="' +
                cfg.last + '" step="1" value="' + cfg.year + '"><b class="kz-year-label" aria-hidden="true"></b>';
            slider = div.querySelector(".kz-year");
            label = div.querySelector(".kz-year-label");
            play = div.querySelector(".kz-play");
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            slider.addEventListener("input", function () {
                state = {start: cfg.first, end: Number(slider.value), ids: null}; apply();
            });
            function stop() {
                clearInterval(timer); timer = null;
                play.textContent = "\\u25b6"; play.title = "Play"; play.setAttribute("aria-label", "Play");
            }
            play.addEventListener("click", function () {
                if (timer) { stop(); return; }
                if (Number(slider.value) >= cfg.last) { slider.value = cfg.first; }
                play.textContent = "\\u275a\\u275a"; play.title = "Pause"; play.setAttribute("aria-label", "Pause");
                timer = setInterval(function () {
                    var next = Number(slider.value) + 1;
                    if (next > cfg.last) { stop(); return; }
                    state = {start: cfg.first, end: next, ids: null}; apply();
                }, cfg.stepMs);
            });
            return div;
        };
        control.addTo(map);
    }
    apply();
})();
"""


class TimeControl(LiteralMacroElement):
    """Filter and restyle overlays for a year in the browser, with an optional slider and Play.

    Parameters
    ----------
    overlays : sequence of Overlay
        Layers to control. Features with ``properties.event`` are shown when
        their ``year`` is in the selected range; features with
        ``properties.years`` are styled by their stage in the selected year
        and hidden before they were announced; other features stay. After a
        step that shows features again, every feature is put back in its
        original drawing order. Elements with the classes ``kz-stage-year``,
        ``kz-stage`` and ``kz-stage-note`` in a time-aware feature's popup or
        tooltip are rewritten for the year shown.
    year : int
        Year selected when the map opens.
    year_control : bool
        Draw a year slider and a Play button on the map. Pass False when
        something else drives the map through ``kz:show`` events (see the
        module docstring).
    """

    _template = Template(
        "{% macro html(this, kwargs) %}{% endmacro %}{% macro script(this, kwargs) %}" + _SCRIPT + "{% endmacro %}"
    )

    def __init__(self, overlays: Sequence[Overlay], *, year: int = vocab.LAST_YEAR, year_control: bool = True) -> None:
        super().__init__()
        self._name = "TimeControl"
        self.overlays = list(overlays)
        config = {
            "first": vocab.FIRST_YEAR,
            "last": vocab.LAST_YEAR,
            "year": year,
            "yearControl": year_control,
            "stepMs": PLAY_STEP_MS,
            "stages": {k: dict(v) for k, v in palette.STATUS_STYLES.items()},
            "labels": STAGE_LABELS,
        }
        self.config_json = script_json(config)

    def render(self, **kwargs: object) -> Any:
        """Render after the overlays, whose JavaScript names the control needs."""
        self.overlay_names = [o.get_name() for o in self.overlays]
        return super().render(**kwargs)
