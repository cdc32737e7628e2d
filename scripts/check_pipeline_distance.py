"""Check that every pipeline drawn from a GEM route stays within 1 km of it.

Usage::

    python scripts/check_pipeline_distance.py ../shared/data/gem-pipeline-routes

For each feature of ``data/pipelines.geojson`` whose ``geometry_source_ids``
name GEM route files, the part of the drawn line that comes from GEM is
sampled every :data:`STEP_M` metres, and each sample's distance to GEM's line
is measured (metres, in an azimuthal equidistant projection centred on the
route). The same is done the other way round (GEM's line sampled, distance to
the drawn line), so a drawn line that stopped short would show. The script
prints the median, 90th percentile and maximum of both and exits 1 if any
median exceeds :data:`LIMIT_M`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from _routes import metric, read_gem_line, to_metric
from shapely.geometry import LineString, MultiLineString
from shapely.ops import substring

ROOT = Path(__file__).resolve().parent.parent
STEP_M = 1_000.0
LIMIT_M = 1_000.0


def samples(line: LineString, step: float) -> list[float]:
    """Return positions (metres along `line`) every `step` metres, ends included."""
    count = max(int(line.length // step), 1)
    return [line.length * i / count for i in range(count + 1)]


def distances(line: LineString, target: LineString | MultiLineString) -> list[float]:
    """Return the distance from `target` of points every :data:`STEP_M` along `line`."""
    return [target.distance(line.interpolate(at)) for at in samples(line, STEP_M)]


def summary(values: list[float]) -> tuple[float, float, float]:
    """Return (median, 90th percentile, maximum)."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))], ordered[-1]


def check_feature(folder: Path, feature: dict[str, object]) -> tuple[str, tuple[float, ...]]:
    """Return the feature id and (median, p90, max) drawn-to-GEM then GEM-to-drawn, in metres."""
    props = feature["properties"]
    assert isinstance(props, dict)
    geometry = feature["geometry"]
    assert isinstance(geometry, dict)
    drawn = LineString(geometry["coordinates"])
    forward, _ = metric(drawn)
    gem_lines = [LineString(read_gem_line(folder, pid)) for pid in props["geometry_source_ids"]]
    gem = to_metric(MultiLineString(gem_lines), forward)
    drawn_m = to_metric(drawn, forward)
    # Only the stretch of the drawn line that comes from GEM (CPC ends with a straight extension).
    ends = [
        drawn_m.project(to_metric(line.interpolate(f, normalized=True), forward)) for line in gem_lines for f in (0, 1)
    ]
    from_gem = substring(drawn_m, min(ends), max(ends))
    there = summary(distances(from_gem, gem))
    back = summary([d for line in gem.geoms for d in distances(line, drawn_m)])
    return str(props["id"]), there + back


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gem_folder", type=Path, help="folder of GEM route files")
    parser.add_argument("--pipelines", type=Path, default=ROOT / "data" / "pipelines.geojson")
    args = parser.parse_args()
    features = json.loads(args.pipelines.read_text(encoding="utf-8"))["features"]
    print(
        f"{'id':24} {'drawn→GEM median':>17} {'p90':>6} {'max':>6} {'GEM→drawn median':>17} {'p90':>6} {'max':>6}  (m)"
    )
    worst = 0.0
    for feature in features:
        if not feature["properties"]["geometry_source_ids"]:
            print(f"{feature['properties']['id']:24} no GEM route: drawn from named places, flagged approximate")
            continue
        fid, (med, p90, top, bmed, bp90, btop) = check_feature(args.gem_folder, feature)
        print(f"{fid:24} {med:17.0f} {p90:6.0f} {top:6.0f} {bmed:17.0f} {bp90:6.0f} {btop:6.0f}")
        worst = max(worst, med, bmed)
    ok = worst <= LIMIT_M
    print(f"largest median {worst:.0f} m: {'within' if ok else 'OVER'} the {LIMIT_M:.0f} m limit")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
