"""The compact form of an overlay's features (kzviz.maps._compact), read back as the browser reads it."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest
import shapely

from kzviz._html import build_popup, source_links
from kzviz.maps import layers
from kzviz.maps._compact import MAX_ZOOM, LineDetail, compact_collection, encode_lines


def reference_polyline(coords: list[list[float]], digits: int) -> str:
    """Google's polyline algorithm, written out plainly (latitude first)."""
    out, previous = [], (0, 0)
    for lon, lat in coords:
        point = (round(lat * 10**digits), round(lon * 10**digits))
        for value in (point[0] - previous[0], point[1] - previous[1]):
            value = ~(value << 1) if value < 0 else value << 1
            while value >= 0x20:
                out.append(chr((0x20 | (value & 0x1F)) + 63))
                value >>= 5
            out.append(chr(value + 63))
        previous = point
    return "".join(out)


def decode_polyline(text: str, digits: int) -> list[list[float]]:
    """Decode a polyline as the browser does (kzviz.maps._runtime decodeLine)."""
    out, i, lat, lon = [], 0, 0, 0
    while i < len(text):
        values = []
        for _ in range(2):
            result, shift = 0, 0
            while True:
                b = ord(text[i]) - 63
                i += 1
                result |= (b & 31) << shift
                shift += 5
                if b < 32:
                    break
            values.append(~(result >> 1) if result & 1 else result >> 1)
        lat, lon = lat + values[0], lon + values[1]
        out.append([lon / 10**digits, lat / 10**digits])
    return out


def expand(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Expand a compact collection as the browser does (kzviz.maps._runtime K.expand)."""
    strings = data["strings"]

    def t(part: int | str) -> str:
        return strings[part] if isinstance(part, int) else part

    def popup(entry: Any) -> str:
        if isinstance(entry, int):
            return strings[entry]
        labels = data["layouts"][entry[0]]
        cells = "".join(
            f"<tr><th>{strings[labels[i]]}</th><td>{t(v)}</td></tr>" for i, v in enumerate(entry[2]) if t(v)
        )
        links = "".join(
            f'<li><a href="{t(h)}" target="_blank" rel="noopener noreferrer">{t(lb)}</a></li>'
            if t(h)
            else f"<li>{t(lb)}</li>"
            for h, lb in entry[4]
        )
        sources = f'<div class="kz-sources-head">Sources</div><ul class="kz-sources">{links}</ul>' if entry[4] else ""
        return f'<div class="kz-popup"><h4>{t(entry[1])}</h4><table>{cells}</table>{t(entry[3])}{sources}</div>'

    features = []
    for i in range(data["n"]):
        props = {}
        for name, differences in data["properties"].items():
            c = sum(differences[: i + 1])
            if c == 0:
                continue
            if name == "popup":
                props[name] = popup(data["popups"][c - 1])
            else:
                props[name] = strings[c - 1] if c > 0 else data["objects"][-c - 1]
        geometry = data["geometries"][i]
        if isinstance(geometry, str):
            geometry = {"type": "LineString", "coordinates": decode_polyline(geometry, data["lines"]["precision"])}
        features.append({"geometry": geometry, "properties": props})
    return features


def _walk(seed: int, n: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    lon, lat, heading, out = rng.uniform(20, 110), rng.uniform(30, 60), rng.uniform(0, 6.28), []
    for _ in range(n):
        out.append((round(lon, 5), round(lat, 5)))
        heading += rng.gauss(0, 0.15)
        lat += 0.02 * math.sin(heading)
        lon += 0.02 * math.cos(heading)
    return out


def test_lines_encode_as_google_polylines() -> None:
    rng = random.Random(3)
    lines = [[[rng.uniform(-180, 180), rng.uniform(-85, 85)] for _ in range(rng.randint(2, 20))] for _ in range(200)]
    encoded = encode_lines(lines, LineDetail(20))  # no simplification can remove these scattered points
    assert encoded == [reference_polyline(line, 6) for line in lines]


@pytest.mark.parametrize("max_zoom", [8, MAX_ZOOM, 18])
def test_line_detail_is_half_a_pixel_at_the_largest_zoom(max_zoom: int) -> None:
    detail = LineDetail(max_zoom)
    pixel = 360 / (256 * 2**max_zoom)  # degrees of longitude per pixel at max_zoom
    assert detail.tolerance == pytest.approx(pixel / 2)
    assert 0.5 * 10**-detail.precision <= pixel / 5  # rounding moves a vertex at most a fifth of a pixel
    assert 0.5 * 10 ** -(detail.precision - 1) > pixel / 5  # and no more decimals are kept than that needs


@pytest.mark.parametrize("max_zoom", [6, MAX_ZOOM])
def test_simplified_lines_stay_within_half_a_pixel(max_zoom: int) -> None:
    detail = LineDetail(max_zoom)
    lines = [_walk(seed, 300) for seed in range(20)]
    decoded = [decode_polyline(text, detail.precision) for text in encode_lines(lines, detail)]
    for line, back in zip(lines, decoded, strict=True):
        assert back[0] == pytest.approx(list(line[0]), abs=10**-detail.precision)
        assert back[-1] == pytest.approx(list(line[-1]), abs=10**-detail.precision)
        assert len(back) <= len(line)
        original = shapely.LineString(line)
        worst = max(shapely.Point(v).distance(shapely.LineString(back)) for v in line)
        assert worst <= detail.tolerance + 10**-detail.precision, (worst, original.length)
    assert sum(map(len, decoded)) < sum(map(len, lines))  # at zoom 6 this winding line loses vertices


def test_properties_and_popups_come_back_as_written(frames: dict[str, Any]) -> None:
    overlay = layers.pipeline_layer(frames["pipelines"], year=2010)
    data = json.loads(json.dumps(compact_collection(overlay.features, LineDetail(MAX_ZOOM))))
    back = expand(data)
    assert len(back) == len(overlay.features) > 0
    for original, feature in zip(overlay.features, back, strict=True):
        props = dict(original["properties"])
        props["popup"] = props["popup"].html()
        assert feature["properties"] == json.loads(json.dumps(props))
        assert feature["geometry"]["coordinates"][0] == pytest.approx(
            list(original["geometry"]["coordinates"][0]), abs=1e-4
        )


def test_every_distinct_value_is_written_once() -> None:
    popup = build_popup("Route", [("Carries", "oil")], source_links(["https://example.org/a"]))
    style = {"color": "#123456", "weight": 2}
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [50.0, 45.0]}, "properties": p}
        for p in (
            {"style": style, "popup": popup, "tooltip": "A", "flag": True},
            {"style": dict(style), "popup": popup, "tooltip": "A", "flag": 1},
            {"style": dict(style), "popup": "<b>plain</b>", "tooltip": "B", "flag": 1.0},
        )
    ]
    data = compact_collection(features, LineDetail(MAX_ZOOM))
    assert data["objects"].count(style) == 1
    assert [type(v) for v in data["objects"] if not isinstance(v, dict)] == [bool, int, float]  # 1, 1.0, True differ
    assert data["strings"].count("A") == 1
    assert len(data["popups"]) == 2
    assert [f["properties"]["popup"] for f in expand(data)] == [popup.html(), popup.html(), "<b>plain</b>"]
    assert [f["properties"]["flag"] for f in expand(data)] == [True, 1, 1.0]
