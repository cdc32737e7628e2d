"""Find, read and write the notebook files of a collection.

* :func:`collection_notebooks` lists a folder's ``NN-kebab-slug.ipynb`` files;
* :func:`read_notebook` reads one as nbformat version 4;
* :func:`notebook_text` serialises a notebook exactly as JupyterLab stores it;
* :func:`write_notebook` writes that text only if it differs from the file,
  replacing the file atomically.

Both the build (:mod:`kzviz.collection`) and the static site
(:mod:`kzviz.site`) read notebooks through this module, so neither imports
the other for it. This module needs ``nbformat`` (the ``notebooks`` extra).
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from kzviz._atomic import write_atomically

NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
"""File names that belong to the collection: ``NN-kebab-slug.ipynb``."""


def collection_notebooks(notebooks_dir: str | os.PathLike[str]) -> list[Path]:
    """List the notebooks of a collection, in order.

    Parameters
    ----------
    notebooks_dir : str or path-like
        The folder holding ``NN-kebab-slug.ipynb`` files.

    Returns
    -------
    list of Path
        The notebooks sorted by name; other ``.ipynb`` files are ignored.
    """
    return sorted(p for p in Path(notebooks_dir).glob(NOTEBOOK_GLOB) if p.is_file())


def read_notebook(path: str | os.PathLike[str]) -> NotebookNode:
    """Read a notebook file as nbformat version 4.

    Parameters
    ----------
    path : str or path-like
        The ``.ipynb`` file.

    Returns
    -------
    nbformat.NotebookNode
        The notebook.
    """
    text = Path(path).read_text(encoding="utf-8")
    nb: NotebookNode = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    return nb


def notebook_text(nb: NotebookNode) -> str:
    """Serialise a notebook exactly as :func:`nbformat.write` and JupyterLab store it.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.

    Returns
    -------
    str
        JSON with one-space indentation and sorted keys, ending in a newline.
    """
    text: str = nbformat.writes(nb)  # type: ignore[no-untyped-call]
    return text if text.endswith("\n") else text + "\n"


def write_notebook(nb: NotebookNode, path: str | os.PathLike[str]) -> bool:
    """Write a notebook if its text differs from the file, replacing the file atomically.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.
    path : str or path-like
        The ``.ipynb`` file.

    Returns
    -------
    bool
        True if the file was written, False if it already held this text.
    """
    path = Path(path)
    text = notebook_text(nb)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomically(path, text)
    return True
