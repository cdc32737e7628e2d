"""Text summary of the shipped datasets (used by ``python -m kzviz summary``)."""

from __future__ import annotations

import kzviz


def dataset_summary() -> str:
    """Load and validate every dataset and describe what was loaded.

    Returns
    -------
    str
        One line per dataset with its record count, plus event coverage.

    Raises
    ------
    DataError
        If any shipped file fails validation.
    """
    events = kzviz.load_events()
    pipelines = kzviz.load_pipelines()
    corridors = kzviz.load_corridors()
    nodes = kzviz.load_corridor_nodes()
    sites = kzviz.load_energy_sites()
    figures = kzviz.load_figures()
    outlines = kzviz.load_country_outlines()
    per_year = events.groupby("year").size()
    lines = [
        f"kzviz {kzviz.__version__}: data in {kzviz.data_dir()}",
        (
            f"  events          {len(events):4d}  ({per_year.index.min()}-{per_year.index.max()}, "
            f"{per_year.min()}-{per_year.max()} per year)"
        ),
        f"  pipelines       {len(pipelines):4d}  ({', '.join(pipelines['id'])})",
        f"  corridors       {len(corridors):4d}  ({', '.join(sorted(set(corridors['corridor'])))})",
        f"  corridor nodes  {len(nodes):4d}",
        f"  energy sites    {len(sites):4d}",
        f"  figures         {len(figures):4d}",
        f"  country outlines{len(outlines):4d}  (Natural Earth; {sum(outlines['kind'] == 'disputed')} disputed)",
        "all datasets passed validation",
    ]
    return "\n".join(lines)
