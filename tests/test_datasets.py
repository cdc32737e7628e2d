"""The shipped datasets load, are typed, and meet the coverage the story needs."""

from __future__ import annotations

import pandas as pd
import pytest

import kzviz
from kzviz import vocab

SEED_EVENTS = [
    # (date, place fragment, title fragment) for dated events the seed articles mention
    ("2022-02-10", "Moscow", "Putin"),
    ("2022-06-05", "", "constitutional"),
    ("2022-06-17", "Petersburg", ""),
    ("2022-06-20", "Luxembourg", ""),
    ("2022-01", "", "CSTO"),
    ("2013-09-07", "Astana", ""),
    ("2020-02", "", "Pompeo"),
]


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return kzviz.load_events()


MIN_EVENTS_PER_YEAR = 3


def test_events_cover_every_year(events: pd.DataFrame) -> None:
    assert len(events) >= 80
    counts = events["year"].value_counts()
    thin = {y: int(counts.get(y, 0)) for y in range(vocab.FIRST_YEAR, vocab.LAST_YEAR + 1)}
    assert {y: n for y, n in thin.items() if n < MIN_EVENTS_PER_YEAR} == {}


@pytest.mark.parametrize(
    ("event_id", "date"),
    [
        ("ev-1994-eurasian-union-msu", "1994-03-29"),  # Eurasian integration from its first proposal
        ("ev-2014-eaeu-treaty", "2014-05-29"),
        ("ev-2015-eaeu-in-force", "2015-01-01"),
        ("ev-2014-normandy-astana-offer", "2014-12-30"),  # Ukraine crises: mediation and sanctions stance
        ("ev-2022-sanctions-no-circumvention", "2022-03-29"),
        ("ev-2015-epca-signed", "2015-12-21"),  # EU and US partnership agreements
        ("ev-2020-epca-in-force", "2020-03-01"),
        ("ev-2015-c5plus1-samarkand", "2015-11-01"),
        ("ev-2014-us-strategic-dialogue", "2014-12-10"),
    ],
)
def test_issue_11_history_events(events: pd.DataFrame, event_id: str, date: str) -> None:
    assert list(events.loc[events["id"] == event_id, "date"]) == [date]


def test_events_are_typed_and_sorted(events: pd.DataFrame) -> None:
    assert events["date_start"].is_monotonic_increasing
    assert isinstance(events["category"].dtype, pd.CategoricalDtype)
    assert list(events["category"].cat.categories) == list(vocab.EVENT_CATEGORIES)
    assert events["lat"].dtype == "float64"
    assert all(isinstance(a, tuple) and a for a in events["actors"])
    assert (events["date_start"] <= events["date_end"]).all()


@pytest.mark.parametrize(("date", "place", "title"), SEED_EVENTS)
def test_seed_events_present(events: pd.DataFrame, date: str, place: str, title: str) -> None:
    hit = events[
        events["date"].str.startswith(date)
        & events["place_name"].str.contains(place, regex=False)
        & events["title"].str.contains(title, case=False, regex=False)
    ]
    assert len(hit) >= 1, (date, place, title)


def test_every_partner_and_meeting_kind_present(events: pd.DataFrame) -> None:
    partners = {p for ps in events["partners"] for p in ps}
    assert {"Russia", "China", "USA", "EU", "multilateral"} <= partners
    assert set(vocab.MEETING_KINDS) <= set(events["kind"])
    for category in vocab.EVENT_CATEGORIES:
        assert (events["category"] == category).any(), category


def test_pipelines_cover_required_routes() -> None:
    pipelines = kzviz.load_pipelines()
    assert pipelines.crs.to_epsg() == 4326
    required = {
        "btc", "trans-caspian-oil", "cpc", "atyrau-samara", "cac-gas",
        "kcop-atyrau-kenkiyak", "kcop-kenkiyak-kumkol", "kcop-atasu-alashankou",
        "cacgp", "beineu-bozoi-shymkent",
    }  # fmt: skip
    assert required <= set(pipelines["id"])
    assert (pipelines.geometry.apply(lambda g: len(g.coords)) >= 6).all()
    assert set(pipelines["market"]) == set(vocab.MARKETS) - {"domestic"} | (set(pipelines["market"]) & {"domestic"})
    tanker = pipelines[pipelines["transport_mode"] == "tanker"]
    assert list(tanker["id"]) == ["trans-caspian-oil"]


def test_corridors_and_nodes() -> None:
    corridors = kzviz.load_corridors()
    names = " ".join(corridors["corridor"])
    for fragment in ("New Eurasian Land Bridge", "Trans-Caspian", "West Asia", "Western Europe", "Turkmenistan-Iran"):
        assert fragment in names, fragment
    nodes = kzviz.load_corridor_nodes()
    node_names = " ".join(nodes["name"])
    for fragment in ("Khorgos Gateway", "Aktau", "Kuryk", "Dostyk"):
        assert fragment in node_names, fragment
    assert {"rail", "road"} <= set(corridors["mode"])
    assert (corridors["sea_vertices"].notna()).any()


GEM_COMMIT = "6bfab45c1759ae3b4d6fd9f1a1171ebbf0002086"
GEM_ROUTES = {
    "btc": ("P0644",),
    "cpc": ("P0646",),
    "atyrau-samara": ("P0649",),
    "kcop-atyrau-kenkiyak": ("P5198",),
    "kcop-kenkiyak-kumkol": ("P5197",),
    "kcop-atasu-alashankou": ("P0648",),
    "cacgp": ("P1124",),
    "cac-gas": ("P0740",),
    "beineu-bozoi-shymkent": ("P3273",),
}


def test_pipeline_geometry_provenance() -> None:
    pipelines = kzviz.load_pipelines().set_index("id")
    for route, ids in GEM_ROUTES.items():
        row = pipelines.loc[route]
        assert row["geometry_source_ids"] == ids, route
        assert row["geometry_source_commit"] == GEM_COMMIT, route
        assert row["simplify_tolerance_m"] == 500.0, route
        assert "Global Energy Monitor" in row["geometry_attribution"], route
        osm = ids[0] in ("P1124", "P3273")
        assert ("ODbL 1.0" in row["geometry_licence"]) == osm, route
        assert ("OpenStreetMap contributors" in row["geometry_attribution"]) == osm, route
        assert ("CC BY 4.0" in row["geometry_licence"]) == (not osm or route == "cpc"), route
    # GEM has no route for the tanker link and only low-resolution ones for CPC and the CAC trunk
    assert set(pipelines.index) - set(GEM_ROUTES) == {"trans-caspian-oil"}
    assert pipelines.loc["trans-caspian-oil", "geometry_source_ids"] is None
    assert pipelines.loc[["trans-caspian-oil", "cpc", "cac-gas"], "geometry_approximate"].all()


def test_routes_run_end_to_end_with_a_kazakh_section() -> None:
    pipelines = kzviz.load_pipelines().set_index("id")
    corridors = kzviz.load_corridors().set_index("id")
    ends = {
        "cacgp": ((64.76, 38.61), (80.44, 44.07)),  # Saman-Depe (Turkmenistan) to Khorgos
        "cac-gas": ((61.86, 37.65), (48.53, 50.14)),  # near Mary (Turkmenistan) to Alexandrov Gay
        "btc": ((49.48, 40.20), (35.90, 36.88)),  # Sangachal to Ceyhan
        "cpc": ((53.42, 46.18), (37.65, 44.67)),  # Tengiz to the Novorossiysk terminal
    }
    for route, (start, end) in ends.items():
        line = pipelines.loc[route, "geometry"]
        assert line.coords[0] == pytest.approx(start, abs=0.01), route
        assert line.coords[-1] == pytest.approx(end, abs=0.01), route
    corridor_ends = {
        "nelb-lianyungang-rotterdam": ("Lianyungang", "Rotterdam"),
        "titr-caspian-caucasus-turkey": ("Aktau", "Istanbul"),
        "ccwaec-khorgos-tehran-istanbul": ("Khorgos (China)", "Istanbul"),
        "wewc-lianyungang-st-petersburg": ("Lianyungang", "Saint Petersburg"),
    }
    for leg, (first, last) in corridor_ends.items():
        assert corridors.loc[leg, "places"][0] == first, leg
        assert corridors.loc[leg, "places"][-1] == last, leg
    for frame in (pipelines.drop(index="btc"), corridors.drop(index="titr-caspian-caucasus-turkey")):
        for name, ranges in frame["kazakhstan_vertices"].items():
            assert ranges, name


def test_energy_sites_include_map_markers() -> None:
    sites = " ".join(kzviz.load_energy_sites()["name"])
    for name in (
        "Tengiz",
        "Kashagan",
        "Karachaganak",
        "Atyrau",
        "Aktau",
        "Kuryk",
        "Novorossiysk",
        "Ceyhan",
        "Alashankou",
    ):
        assert name in sites, name


def test_figures_cover_seed_claims() -> None:
    figures = kzviz.load_figures()
    assert set(vocab.FIGURE_METRICS) <= set(figures["metric"])
    trade = figures[(figures["metric"] == "trade_turnover") & (figures["period_start_year"] == 2020)]
    assert {"China", "Russia", "USA"} <= set(trade["partner"])
    assert (figures["period_start_year"] <= figures["period_end_year"]).all()


def test_every_source_is_https() -> None:
    urls = list(kzviz.load_events()["source_url"]) + list(kzviz.load_figures()["source_url"])
    urls += list(kzviz.load_corridor_nodes()["source_url"]) + list(kzviz.load_energy_sites()["source_url"])
    for frame in (kzviz.load_pipelines(), kzviz.load_corridors()):
        urls += [u for sources in frame["sources"] for u in sources]
    assert [u for u in urls if not u.startswith("https://")] == []


def test_load_map_frames_matches_the_builders() -> None:
    import inspect

    from kzviz import maps
    from kzviz.maps.builders import MapSettings

    frames = kzviz.load_map_frames()
    kinds = inspect.signature(maps.atlas).parameters
    params = [name for name, p in kinds.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    # every frame the atlas draws, plus the outlines it takes as a map setting
    assert sorted(frames) == sorted([*params, "outlines"])
    assert "outlines" in MapSettings.__annotations__
    maps.atlas(**frames)  # and the atlas takes them all as they come
    assert len(frames["events"]) == len(kzviz.load_events())


def test_every_route_appears_on_the_maps() -> None:
    pipelines = kzviz.load_pipelines()
    first_seen = pipelines[["announced_year", "construction_start_year", "first_year"]].min(axis=1)
    assert list(pipelines.loc[~(first_seen <= vocab.LAST_YEAR).astype(bool), "id"]) == []
    corridors = kzviz.load_corridors()
    assert list(corridors.loc[corridors["opened_year"] > vocab.LAST_YEAR, "id"]) == []
