"""The browser half of :class:`kzviz.timeline.TimelineExplorer`.

:class:`ExplorerScript` is added to the explorer's map, so its script runs
inside the map's iframe wherever the explorer is shown: in JupyterLab, and
with no kernel in nbviewer or an exported page (the widget HTML managers
render the iframe, and nothing else that could run a script). It finds
*its own* explorer through ``window.frameElement.closest(".kz-explorer")``,
so two explorers in one page never see each other's controls. A
``MutationObserver`` on that explorer (no polling) notices every change of
its controls, from a reader, from Play (a ``jslink`` in the browser) or from
Python, and updates the map, the event list, the chart and the status line
in the same task, from data embedded once:

* the map through its ``kz:show`` event (see :mod:`kzviz.maps.time_control`);
* list rows (``tr[data-year]``) are shown or hidden;
* the chart's stacked columns are resized from the segment geometry drawn by
  :func:`kzviz.charts.events_per_year` and its year marker is moved;
* the status line, an ARIA live region, says what list and chart show.

The filter rules mirror :func:`kzviz.timeframe.filter_events`; the search
compares lower-cased text with the row's ``data-search`` (the Python
``casefold`` of title, summary and place), so a query with characters that
``casefold`` expands (such as "ß") may match less than in Python.
"""

from __future__ import annotations

from typing import Any

from folium.template import Template

from kzviz.maps._base import script_json
from kzviz.maps._literal import LiteralMacroElement

_SCRIPT = r"""
(function () {
    var cfg = {{ this.config_json }};
    var frame = window.frameElement;
    var root = frame && frame.closest(".kz-explorer");
    if (!root) { return; }
    var win = root.ownerDocument.defaultView;
    var seen = {key: null, list: null, chart: null, status: null}, rows = [], chart = null;

    function find(selector) { return root.querySelector(selector); }
    function all(el, selector) { return el ? Array.prototype.slice.call(el.querySelectorAll(selector)) : []; }
    function setAttr(el, name, value) { if (el && el.getAttribute(name) !== value) { el.setAttribute(name, value); } }
    function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }
    function chips(selector, values) {
        var on = {};
        all(find(selector), ".widget-toggle-button").forEach(function (button, i) {
            var active = button.classList.contains("mod-active");
            if (active && i < values.length) { on[values[i]] = true; }
            setAttr(button, "aria-pressed", String(active));
        });
        return on;
    }
    function readState() {
        var year = find(".kz-explorer-year .widget-readout"), span = find(".kz-explorer-range .widget-readout");
        var mode = find(".kz-explorer-mode .mod-active"), query = find(".kz-explorer-search input");
        var y = year && parseInt(year.textContent, 10), s = span && /(\d+)\D+(\d+)/.exec(span.textContent);
        if (!y || !s || !mode || !query) { return null; }
        var ranged = cfg.modes[Number(mode.getAttribute("value"))] === "range";
        return {
            start: ranged ? Number(s[1]) : cfg.first, end: ranged ? Number(s[2]) : y, ranged: ranged,
            categories: chips(".kz-explorer-categories", cfg.categories),
            partners: chips(".kz-explorer-partners", cfg.partners),
            query: query.value.trim()
        };
    }
    function loadRows(list) {
        return all(list, "tr[data-year]").map(function (tr) {
            var partners = tr.getAttribute("data-partners");
            return {
                el: tr, id: tr.getAttribute("data-id"), year: Number(tr.getAttribute("data-year")),
                category: tr.getAttribute("data-category"), partners: partners ? partners.split(" ") : [],
                text: tr.getAttribute("data-search") || ""
            };
        });
    }
    function loadChart(el) {
        var svg = el && el.querySelector("svg"), columns = {}, bottom = 0, scale = null;
        all(svg, "rect.segment[data-year]").forEach(function (r) {
            var seg = {el: r, group: r.getAttribute("data-group"), title: r.querySelector("title"), count: null};
            var year = r.getAttribute("data-year");
            var y = Number(r.getAttribute("y")), h = Number(r.getAttribute("height"));
            var x = Number(r.getAttribute("x")) + Number(r.getAttribute("width")) / 2;
            if (scale === null) { scale = h / Number(r.getAttribute("data-count")); }
            bottom = Math.max(bottom, y + h);
            (columns[year] = columns[year] || {mid: x, segs: [], total: null}).segs.push(seg);
        });
        all(svg, "text.total").forEach(function (t) {
            var x = Number(t.getAttribute("x"));
            Object.keys(columns).forEach(function (year) {
                if (Math.abs(columns[year].mid - x) < 0.05) { columns[year].total = t; }
            });
        });
        var band = svg && svg.querySelector("rect.highlight-band");
        if (scale === null || !band) { return null; }
        var step = Number(band.getAttribute("width"));
        var left = Number(band.getAttribute("x")) - (Number(band.getAttribute("data-year")) - cfg.first) * step;
        return {
            svg: svg, columns: columns, bottom: bottom, scale: scale, band: band, step: step, left: left,
            line: svg.querySelector("line.highlight"), label: svg.querySelector("text.highlight-label"),
            subtitle: svg.querySelector("text.subtitle")
        };
    }
    function matches(row, st, query) {
        if (row.year < st.start || row.year > st.end || !st.categories[row.category]) { return false; }
        var partner = row.partners.length ? row.partners.some(function (p) { return st.partners[p]; })
            : st.partners.domestic;
        return Boolean(partner) && (!query || row.text.indexOf(query) >= 0);
    }
    function drawColumn(col, year, counts, ch) {
        var top = ch.bottom, total = 0;
        col.segs.forEach(function (seg) {
            var c = (counts[year] && counts[year][seg.group]) || 0, h = c * ch.scale;
            var drawn = c ? (top - h).toFixed(2) : "";
            total += c;
            top -= h;
            if (drawn === seg.drawn && c === seg.count) { return; }
            seg.drawn = drawn;
            seg.count = c;
            seg.el.setAttribute("data-count", String(c));
            if (!c) { seg.el.setAttribute("display", "none"); return; }
            seg.el.removeAttribute("display");
            seg.el.setAttribute("y", drawn);
            seg.el.setAttribute("height", h.toFixed(2));
            setText(seg.title, year + ", " + seg.group + ": " + c);
        });
        if (col.total) {
            setText(col.total, String(total));
            setAttr(col.total, "y", (top - 3).toFixed(2));
            setAttr(col.total, "display", total ? "inline" : "none");
        }
        return top - (total ? 15 : 0);
    }
    function drawChart(ch, counts, st, n) {
        var marked = ch.bottom;
        Object.keys(ch.columns).forEach(function (year) {
            var top = drawColumn(ch.columns[year], year, counts, ch);
            if (Number(year) === st.end) { marked = top; }
        });
        var x = ch.left + (st.end - cfg.first) * ch.step, mid = x + ch.step / 2;
        var right = ch.left + (cfg.last - cfg.first + 1) * ch.step;
        setAttr(ch.band, "x", x.toFixed(2));
        [ch.band, ch.line, ch.label].forEach(function (el) { setAttr(el, "data-year", String(st.end)); });
        setAttr(ch.line, "x1", mid.toFixed(2));
        setAttr(ch.line, "x2", mid.toFixed(2));
        setAttr(ch.line, "y2", marked.toFixed(2));
        setAttr(ch.label, "x", mid.toFixed(2));
        setAttr(ch.label, "text-anchor", mid < ch.left + 40 ? "start" : mid > right - 40 ? "end" : "middle");
        setText(ch.label, String(st.end));
        setText(ch.subtitle, n + (n === 1 ? " event" : " events") + cfg.subtitle);
        setAttr(ch.svg, "aria-label", cfg.title + ": " + statusText(st, n));
    }
    function chosen(on, values, labels) {
        var picked = values.filter(function (v) { return on[v]; });
        if (picked.length === values.length) { return null; }
        return picked.length ? picked.map(function (v) { return labels[values.indexOf(v)]; }).join(", ") : "none";
    }
    function statusText(st, n) {
        var years = st.start === st.end ? String(st.end) : st.start + "\u2013" + st.end;
        var parts = [n + (n === 1 ? " event, " : " events, ") + years];
        var cats = chosen(st.categories, cfg.categories, cfg.categoryLabels);
        var partners = chosen(st.partners, cfg.partners, cfg.partners);
        if (cats !== null) { parts.push("categories: " + cats); }
        if (partners !== null) { parts.push("partners: " + partners); }
        if (st.query) { parts.push("matching \u201c" + st.query + "\u201d"); }
        return parts.join("; ");
    }
    function decorate(st) {
        setAttr(find(".kz-explorer-year .noUi-handle"), "aria-label", "Year");
        all(find(".kz-explorer-range"), ".noUi-handle").forEach(function (h, i) {
            setAttr(h, "aria-label", i ? "Last year" : "First year");
        });
        all(find(".kz-explorer-steps"), ".widget-play button").forEach(function (b, i) {
            setAttr(b, "aria-label", ["Play or pause", "Stop", "Repeat"][i] || "");
        });
        var steps = find(".kz-explorer-steps"), range = find(".kz-explorer-range");
        if (steps) { steps.style.display = st.ranged ? "none" : ""; }
        if (range) { range.style.display = st.ranged ? "" : "none"; }
    }
    function update() {
        var st = readState();
        if (!st) { return; }
        var list = find(".kz-event-list"), chartEl = find(".kz-explorer-chart svg"), status = find(".kz-status");
        var key = JSON.stringify(st);
        if (key === seen.key && list === seen.list && chartEl === seen.chart && status === seen.status) { return; }
        if (list !== seen.list) { rows = loadRows(list); }
        if (chartEl !== seen.chart) { chart = loadChart(chartEl && chartEl.parentNode); }
        seen = {key: key, list: list, chart: chartEl, status: status};
        decorate(st);
        var query = st.query.toLowerCase(), ids = [], counts = {};
        rows.forEach(function (row) {
            var ok = matches(row, st, query);
            if (row.el.hidden === ok) { row.el.hidden = !ok; }
            if (!ok) { return; }
            ids.push(row.id);
            var column = counts[row.year] = counts[row.year] || {};
            (row.partners.length ? row.partners : ["domestic"]).forEach(function (g) {
                column[g] = (column[g] || 0) + 1;
            });
        });
        document.dispatchEvent(new CustomEvent("kz:show", {detail: {start: st.start, end: st.end, ids: ids}}));
        var empty = list && list.querySelector(".kz-empty"), table = list && list.querySelector("table");
        if (empty) { empty.hidden = ids.length > 0; }
        if (table) { table.hidden = ids.length === 0; }
        if (chart) { drawChart(chart, counts, st, ids.length); }
        setText(status, statusText(st, ids.length));
        root.setAttribute("data-kz-start", String(st.start));
        root.setAttribute("data-kz-year", String(st.end));
        root.dispatchEvent(new win.CustomEvent("kz:year-applied", {
            bubbles: true, detail: {start: st.start, end: st.end, shown: ids.length}
        }));
    }
    function ours(node) {
        return [seen.list, seen.chart, seen.status].some(function (el) { return el && el.contains(node); });
    }
    var observer = new MutationObserver(function (records) {
        if (records.some(function (r) { return !ours(r.target); })) { update(); }
    });
    observer.observe(root, {
        subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["class"]
    });
    window.addEventListener("pagehide", function () { observer.disconnect(); });
    update();
})();
"""


class ExplorerScript(LiteralMacroElement):
    """Link a timeline explorer's controls to its map, list, chart and status line in the browser.

    Add it to the explorer's map (a :func:`kzviz.maps.timeline_map` built
    with ``year_control=False``); see the module docstring for what it does.

    Parameters
    ----------
    config : dict
        ``first``, ``last`` (the year range), ``modes`` (mode option values
        in button order), ``categories`` and ``categoryLabels``,
        ``partners`` (filter values and labels in chip order), ``title``
        and ``subtitle`` (chart title, and the subtitle after the count).
    """

    _template = Template("{% macro script(this, kwargs) %}" + _SCRIPT + "{% endmacro %}")

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "ExplorerScript"
        self.config_json = script_json(config)
