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


def test_events_cover_every_year(events: pd.DataFrame) -> None:
    assert len(events) >= 80
    years = set(events["year"])
    missing = [y for y in range(vocab.FIRST_YEAR, vocab.LAST_YEAR + 1) if y not in years]
    assert missing == []


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
        "cacgp-kazakhstan", "beineu-bozoi-shymkent",
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
    assert (corridors["sea_leg"].notna()).any()


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

    frames = kzviz.load_map_frames()
    params = [p for p in inspect.signature(maps.atlas).parameters if p not in ("year", "as_of")]
    assert sorted(frames) == sorted(params)
    assert len(frames["events"]) == len(kzviz.load_events())


def test_every_route_appears_on_the_maps() -> None:
    pipelines = kzviz.load_pipelines()
    first_seen = pipelines[["announced_year", "construction_start_year", "first_year"]].min(axis=1)
    assert list(pipelines.loc[~(first_seen <= vocab.LAST_YEAR).astype(bool), "id"]) == []
    corridors = kzviz.load_corridors()
    assert list(corridors.loc[corridors["opened_year"] > vocab.LAST_YEAR, "id"]) == []
