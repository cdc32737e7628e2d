"""Command line: ``python -m kzviz {summary,build}``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kzviz._errors import DataError
from kzviz.summary import dataset_summary

ROOT = Path(__file__).resolve().parent.parent
"""The repository root in a source checkout or editable install."""


def _build(only: str | None, site: bool) -> int:
    """Refresh the notebooks in ``ROOT/notebooks`` and export ``ROOT/site``."""
    notebooks = ROOT / "notebooks"
    if not notebooks.is_dir():
        print(
            f"kzviz build: no notebooks/ folder in {ROOT}. The build runs from a source checkout "
            "(an editable install, as scripts/run.sh makes); an installed wheel ships no notebooks.",
            file=sys.stderr,
        )
        return 1
    from kzviz.collection import NotebookError, build_collection

    try:
        build_collection(notebooks, ROOT / "site" if site else None, only=only)
    except (NotebookError, FileNotFoundError, ValueError) as exc:
        print(f"kzviz build: {exc}", file=sys.stderr)
        return 1
    if site:
        print(f"site: open {ROOT / 'site' / 'index.html'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the kzviz command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Process exit status: 0 on success, 1 when the data is invalid or
        the build fails.
    """
    parser = argparse.ArgumentParser(prog="kzviz", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("summary", help="validate the datasets and print what they hold")
    build = sub.add_parser("build", help="validate the data, execute the notebooks and export the static site to site/")
    build.add_argument("--only", metavar="NAME", help="execute just this notebook (file name, stem or NN prefix)")
    build.add_argument("--no-site", action="store_true", help="skip the HTML export")
    args = parser.parse_args(argv)
    try:
        print(dataset_summary())
    except DataError as exc:
        print(f"kzviz: invalid data\n{exc}", file=sys.stderr)
        return 1
    if args.command == "build":
        return _build(args.only, not args.no_site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
