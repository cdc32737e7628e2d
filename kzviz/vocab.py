"""Controlled vocabularies shared by the datasets, maps and timelines.

Every categorical column in ``data/`` takes its values from one of the
tuples below. The order of each tuple is the display order used by legends
and filters.
"""

from __future__ import annotations

FIRST_YEAR = 1991
"""First calendar year covered by kzviz (independence: 16 December 1991)."""

LAST_YEAR = 2022
"""Last calendar year covered by kzviz."""

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")

EVENT_CATEGORIES: tuple[str, ...] = (
    "membership",
    "diplomacy",
    "energy",
    "economy",
    "belt_and_road",
    "security",
    "domestic",
)

EVENT_KINDS: tuple[str, ...] = (
    "summit",
    "state_visit",
    "meeting",
    "agreement",
    "milestone",
    "crisis",
    "vote",
)

MEETING_KINDS: tuple[str, ...] = ("summit", "state_visit", "meeting")
"""Event kinds drawn on the summit map."""

PARTNERS: tuple[str, ...] = ("Russia", "China", "USA", "EU", "multilateral", "other")
"""Partner groups used for colours, filters and legends."""

MULTILATERAL_BODIES: tuple[str, ...] = (
    "CIS",
    "CSTO",
    "SCO",
    "EAEU",
    "EurAsEC",
    "OSCE",
    "UN",
    "NATO",
    "CICA",
    "OPEC+",
    "IAEA",
    "WTO",
)

EU_ACTORS: tuple[str, ...] = ("EU", "Germany", "France", "Italy")
"""The EU and the member states that appear in the events table."""

OTHER_STATES: tuple[str, ...] = (
    "Kazakhstan",
    "UK",
    "Turkey",
    "Azerbaijan",
    "Georgia",
    "Iran",
    "Ukraine",
    "Belarus",
    "Turkmenistan",
    "Uzbekistan",
    "Kyrgyzstan",
    "Tajikistan",
    "Japan",
    "South Korea",
    "India",
    "Afghanistan",
)

ACTORS: tuple[str, ...] = (
    "Russia",
    "China",
    "USA",
    *EU_ACTORS,
    *OTHER_STATES,
    *MULTILATERAL_BODIES,
)
"""Every value allowed in the ``actors`` column of the events table."""


def partner_of(actor: str) -> str:
    """Return the partner group of one actor.

    Parameters
    ----------
    actor : str
        A value from :data:`ACTORS`.

    Returns
    -------
    str
        One of :data:`PARTNERS`.

    Raises
    ------
    ValueError
        If `actor` is not in :data:`ACTORS`.
    """
    if actor in ("Russia", "China", "USA"):
        return actor
    if actor in EU_ACTORS:
        return "EU"
    if actor in MULTILATERAL_BODIES:
        return "multilateral"
    if actor in OTHER_STATES:
        return "other"
    msg = f"Unknown actor {actor!r}; expected one of {', '.join(ACTORS)}."
    raise ValueError(msg)


COMMODITIES: tuple[str, ...] = ("oil", "gas")
TRANSPORT_MODES: tuple[str, ...] = ("pipeline", "tanker")
MARKETS: tuple[str, ...] = ("russia", "china", "west", "domestic")
"""Market directions of export routes: into or through Russia, to China,
west across the Caspian and Turkey, or the domestic market."""

ROUTE_STATUSES: tuple[str, ...] = ("operating", "under_construction", "planned")
CAPACITY_UNITS: tuple[str, ...] = ("Mt/yr", "bcm/yr")

CORRIDOR_MODES: tuple[str, ...] = ("rail", "road", "sea", "multimodal")
NODE_TYPES: tuple[str, ...] = ("dry_port", "seaport", "border_crossing", "rail_station")
SITE_TYPES: tuple[str, ...] = (
    "oil_field",
    "gas_field",
    "oil_terminal",
    "gas_terminal",
    "port",
    "pumping_station",
    "border_station",
    "refinery",
)

FIGURE_PARTNERS: tuple[str, ...] = (
    "China",
    "Russia",
    "USA",
    "EU",
    "Europe",
    "Central Asia (other states)",
    "World",
    "none",
)
FIGURE_UNITS: tuple[str, ...] = (
    "USD billion",
    "USD million",
    "USD",
    "percent",
    "percent per year",
    "rank",
    "count",
)
FIGURE_QUALIFIERS: tuple[str, ...] = ("exact", "about", "up to", "over", "almost")

FIGURE_METRICS: tuple[str, ...] = (
    "trade_turnover",
    "trade_growth_rate",
    "external_trade_share",
    "fdi_share",
    "export_credit_support",
    "oil_output_share",
    "budget_share_oil",
    "arms_supplied",
    "leader_visits",
    "bri_economic_gain",
    "proven_oil_reserves_rank_eurasia",
    "proven_gas_reserves_rank_world",
)
