"""Where the files kzviz ships live.

Part of the data layer: it imports no view library.
"""

from __future__ import annotations

from pathlib import Path


def data_dir() -> Path:
    """Return the folder holding the shipped datasets.

    Returns
    -------
    pathlib.Path
        ``kzviz/data`` inside an installed wheel, or the repository's top-level
        ``data/`` folder in a source checkout or editable install.
    """
    packaged = Path(__file__).with_name("data")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"
