"""Replace a text file in one step, so readers see the old file or the new one, never a mix.

Used for the notebooks the build writes back (:mod:`kzviz.notebook_files`)
and for the pages of the static site (:mod:`kzviz.site`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_MODE = 0o644
"""Permissions of a written file: readable by everyone, like any file a user saves."""


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text`, UTF-8 with Unix line ends, in one step.

    The text goes to a hidden temporary file in the same folder, which
    :func:`os.replace` then renames over `path`. If writing fails, the
    temporary file is removed; if the process is killed, it is left behind
    under a hidden name (``.<name>.<random>.tmp``) that no notebook or page
    name matches.

    Parameters
    ----------
    path : Path
        The file to create or replace; its folder must exist.
    text : str
        The whole new content.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        Path(tmp_name).chmod(FILE_MODE)  # mkstemp makes 0600
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
