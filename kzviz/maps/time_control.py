"""A browser-side year control, so time maps work without a Python kernel.

:class:`TimeControl` adds a slider and a Play button to the map. Moving it
shows, for the chosen year, the events up to that year and every route in
the stage it had then (announced, under construction, operating). It needs
no kernel, so it works on nbviewer and in exported HTML.

In JupyterLab the ipywidgets timeline explorer drives the same map through a
*bridge*: a hidden element in the notebook page whose ``data-*`` attributes
carry the explorer's state (year range and the ids of the events to show).
The map finds it through ``window.parent`` and follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from folium.template import Template

from kzviz import palette, vocab
from kzviz.maps._base import Overlay, script_json
from kzviz.maps._literal import LiteralMacroElement

BRIDGE_ATTRIBUTE = "data-kz-bridge"


class TimeControl(LiteralMacroElement):
    """A year slider with Play that filters and restyles overlays in the browser.

    Parameters
    ----------
    overlays : sequence of Overlay
        Layers to control. Features with ``properties.event`` are shown when
        their ``year`` is in the selected range; features with
        ``properties.years`` are styled by their stage in the selected year
        and hidden before they were announced; other features stay. After a
        step that shows features again, every feature is put back in its
        original drawing order.
    year : int
        Year selected when the map opens.
    bridge : str, optional
        Token of the explorer bridge element to follow, if any.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var groups = [{{ this.overlay_names|join(", ") }}];
            var cfg = {{ this.config_json }};
            var items = [];
            groups.forEach(function (g) { g.eachLayer(function (l) { items.push([g, l]); }); });
            var state = {start: cfg.first, end: cfg.year, ids: null};
            function stage(y, ys) {
                if (ys.first != null && ys.first <= y) { return "operating"; }
                if (ys.construction != null && ys.construction <= y) { return "under_construction"; }
                if (ys.announced != null && ys.announced <= y) { return "announced"; }
                return null;
            }
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
                    }
                    if (visible) { shown += 1; }
                    if (visible && !g.hasLayer(l)) { g.addLayer(l); added = true; }
                    if (!visible && g.hasLayer(l)) { g.removeLayer(l); }
                });
                // Leaflet draws a re-added layer on top of everything; restore the
                // original order (overlays in turn, larger markers beneath smaller).
                if (added) { items.forEach(function (pair) { if (pair[1]._map) { pair[1].bringToFront(); } }); }
                label.textContent = (state.start > cfg.first ? state.start + "–" : "") + y;
                slider.value = y;
                document.body.setAttribute("data-kz-year", String(y));
                document.body.setAttribute("data-kz-shown", String(shown));
                document.body.setAttribute("data-kz-applied", String(performance.timeOrigin + performance.now()));
            }
            var control = L.control({position: "bottomleft"});
            var slider, label, play, timer = null;
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "kz-time leaflet-bar");
                div.innerHTML = '<button type="button" class="kz-play" title="Play">\u25b6</button>' +
                    '<input type="range" class="kz-year" aria-label="Year" min="' + cfg.first + '" max="' + cfg.last +
                    '" step="1" value="' + cfg.year + '"><b class="kz-year-label"></b>';
                slider = div.querySelector(".kz-year");
                label = div.querySelector(".kz-year-label");
                play = div.querySelector(".kz-play");
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                slider.addEventListener("input", function () {
                    state = {start: cfg.first, end: Number(slider.value), ids: null}; apply();
                });
                play.addEventListener("click", function () {
                    if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25b6"; return; }
                    if (Number(slider.value) >= cfg.last) { slider.value = cfg.first; }
                    play.textContent = "\u275a\u275a";
                    timer = setInterval(function () {
                        var next = Number(slider.value) + 1;
                        if (next > cfg.last) {
                            clearInterval(timer); timer = null; play.textContent = "\u25b6"; return;
                        }
                        state = {start: cfg.first, end: next, ids: null}; apply();
                    }, cfg.stepMs);
                });
                return div;
            };
            control.addTo(map);
            apply();
            if (!cfg.bridge) { return; }
            function readBridge(el) {
                var ids = el.getAttribute("data-ids");
                state = {
                    start: Number(el.getAttribute("data-start")),
                    end: Number(el.getAttribute("data-end")),
                    ids: ids === null ? null : new Set(ids ? ids.split(" ") : [])
                };
                apply();
            }
            function findBridge() {
                try {
                    var selector = '[{{ this.bridge_attribute }}="' + cfg.bridge + '"]';
                    return window.parent.document.querySelector(selector);
                } catch (e) { return null; }
            }
            var watched = null;
            function watch() {
                var el = findBridge();
                if (!el) { return; }
                var host = el.parentNode;
                if (host === watched) { return; }
                watched = host;
                readBridge(el);
                new MutationObserver(function () {
                    var now = findBridge();
                    if (now) { readBridge(now); }
                }).observe(host, {childList: true, subtree: true, attributes: true});
            }
            watch();
            setInterval(watch, 500);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, overlays: Sequence[Overlay], *, year: int = vocab.LAST_YEAR, bridge: str | None = None) -> None:
        super().__init__()
        self._name = "TimeControl"
        self.overlays = list(overlays)
        self.bridge_attribute = BRIDGE_ATTRIBUTE
        config = {
            "first": vocab.FIRST_YEAR,
            "last": vocab.LAST_YEAR,
            "year": year,
            "bridge": bridge,
            "stepMs": 700,
            "stages": {k: dict(v) for k, v in palette.STATUS_STYLES.items()},
        }
        self.config_json = script_json(config)

    def render(self, **kwargs: object) -> Any:
        """Render after the overlays, whose JavaScript names the control needs."""
        self.overlay_names = [o.get_name() for o in self.overlays]
        return super().render(**kwargs)
