"""Make executed notebooks repeat byte for byte from run to run.

A notebook stored with its outputs is only reviewable in git if executing it
again from the same data gives the same file. :func:`normalise_notebook`
removes what the kernel and ipywidgets change on every run (timestamps,
execution counts, memory addresses, random widget model ids) and nothing
else. :mod:`kzviz.collection` applies it before writing a notebook back.

This module needs ``nbformat`` (the ``notebooks`` extra).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from nbformat import NotebookNode

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
"""MIME type of the widget state stored in ``metadata.widgets``."""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
"""MIME type of an output that shows a widget."""

MODEL_REF = "IPY_MODEL_"
"""Prefix of a reference from one widget state to another model."""

_ADDRESS = re.compile(r"(<[A-Za-z_][\w.]*(?: object)?) at 0x[0-9a-fA-F]+>")


def _walk_strings(value: Any) -> Iterator[str]:
    """Yield every string in a JSON value; dict items in sorted key order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key in sorted(value):
            yield from _walk_strings(value[key])
    elif isinstance(value, list):
        for item in value:
            yield from _walk_strings(item)


def _replace_ids(value: Any, ids: dict[str, str]) -> Any:
    """Return `value` with known model ids and ``IPY_MODEL_<id>`` references renamed."""
    if isinstance(value, str):
        if value.startswith(MODEL_REF) and value[len(MODEL_REF) :] in ids:
            return MODEL_REF + ids[value[len(MODEL_REF) :]]
        return ids.get(value, value)
    if isinstance(value, dict):
        return {key: _replace_ids(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_ids(item, ids) for item in value]
    return value


def _widget_ids(nb: NotebookNode, state: dict[str, Any]) -> dict[str, str]:
    """Map every widget model id to a counter id, in order of first appearance.

    Models shown in outputs come first, in cell order, each followed by the
    models its state refers to (depth first); models shown nowhere follow in
    the order of the stored state.
    """
    ids: dict[str, str] = {}

    def visit(model_id: str) -> None:
        if model_id in ids:
            return
        ids[model_id] = f"{len(ids) + 1:032x}"
        for text in _walk_strings(state.get(model_id, {})):
            ref = text.removeprefix(MODEL_REF)
            if ref in state:  # "IPY_MODEL_<id>", or "<id>" as a nested output's model_id
                visit(ref)

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and isinstance(view.get("model_id"), str):
                visit(view["model_id"])
    for model_id in state:
        visit(model_id)
    return ids


def _merge_streams(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """Join consecutive stream outputs of the same name (stdout or stderr)."""
    merged: list[NotebookNode] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def _strip_addresses(text: Any) -> Any:
    if isinstance(text, list):
        return [_ADDRESS.sub(r"\1>", line) for line in text]
    return _ADDRESS.sub(r"\1>", text) if isinstance(text, str) else text


def _renumber_cells(nb: NotebookNode) -> None:
    """Renumber the code cells that ran 1, 2, 3...; drop timestamps, join streams, strip memory addresses."""
    count = 0
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
        cell.outputs = _merge_streams(cell.outputs)
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.execution_count = cell.execution_count
            if output.output_type == "stream":
                output.text = _strip_addresses(output.text)
            data = output.get("data", {})
            if "text/plain" in data:
                data["text/plain"] = _strip_addresses(data["text/plain"])


def _rename_widget_models(nb: NotebookNode) -> None:
    """Give every widget model a counter id (see :func:`_widget_ids`) in the stored state and the views, in place."""
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    state: dict[str, Any] = widgets.get("state", {}) if isinstance(widgets, dict) else {}
    ids = _widget_ids(nb, state)
    if not ids:
        return
    if isinstance(widgets, dict) and state:
        renamed = {ids[key]: _replace_ids(value, ids) for key, value in state.items()}
        widgets["state"] = dict(sorted(renamed.items()))
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                data[WIDGET_VIEW] = _replace_ids(data[WIDGET_VIEW], ids)


def normalise_notebook(nb: NotebookNode) -> NotebookNode:
    """Return a copy of an executed notebook whose bytes repeat from run to run.

    What changes, and nothing else:

    * cell ``metadata.execution`` (kernel timestamps) is removed;
    * code cells that ran are numbered 1, 2, 3... in order, and their
      ``execute_result`` outputs carry the same number;
    * consecutive stream outputs of the same name are joined (the kernel
      splits them by timing);
    * memory addresses in default reprs are dropped from ``text/plain`` and
      stream text: ``<kzviz.maps._base.KzMap at 0x7f3a...>`` becomes
      ``<kzviz.maps._base.KzMap>``;
    * ipywidgets model ids (random uuid4 hex) become 32-digit hex counters
      ``000...001``, ``000...002``... in order of first appearance (see
      below), everywhere they occur: the keys of
      ``metadata.widgets[WIDGET_STATE]["state"]``, ``IPY_MODEL_<id>``
      references inside widget states and ``model_id`` in widget-view
      outputs;
    * ``metadata.language_info.version`` (the kernel's Python patch
      version) is removed, so a Python upgrade does not make every notebook
      stale.

    Model ids are numbered by walking the outputs in cell order, each model
    followed by the models its state refers to, then any remaining models
    in stored order. Widget states are kept even when no output shows them:
    a ``jslink`` is a model that nothing refers to, and dropping it would
    break the link in the exported page. Cell ids, sources, other metadata
    and the order of cells and outputs are kept. Applying this twice gives
    the same result as applying it once.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook, for example from :func:`execute_notebook`.

    Returns
    -------
    nbformat.NotebookNode
        A normalised copy; `nb` is not changed.
    """
    nb = copy.deepcopy(nb)
    language = nb.metadata.get("language_info")
    if isinstance(language, dict):
        language.pop("version", None)
    _renumber_cells(nb)
    _rename_widget_models(nb)
    return nb
