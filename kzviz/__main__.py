"""Command line: ``python -m kzviz {summary,build}``.

A failure the user can fix ends in one line on stderr, ``kzviz build: ...``,
naming the file and what to do, and exit status 1; invalid data lists every
problem instead. Ctrl-C stops the command with exit status 130, after the
notebook kernels have shut down.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kzviz._errors import DataError
from kzviz.summary import dataset_summary

ROOT = Path(__file__).resolve().parent.parent
"""The repository root in a source checkout or editable install."""

INTERRUPTED = 130
"""Exit status after Ctrl-C, as shells report a command stopped by SIGINT."""


_AFTER_INTERRUPT = (
    " Each notebook is written only once fully executed, and each site page in one step, so every file"
    " is either as before or complete; run the build again to finish."
)


class _UserError(Exception):
    """A failure already phrased for the user, shown without a traceback."""


def _one_line(exc: BaseException) -> str:
    """Describe an error on one line: the file and the reason for an OSError."""
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def _parser() -> argparse.ArgumentParser:
    """Build the argument parser of ``python -m kzviz``."""
    parser = argparse.ArgumentParser(
        prog="kzviz", description="Validate the kzviz data, build the notebooks and the site."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("summary", help="validate the datasets and print what they hold")
    build = sub.add_parser("build", help="validate the data, execute the notebooks and export the static site to site/")
    build.add_argument("--only", metavar="NAME", help="execute just this notebook (file name, stem or NN prefix)")
    build.add_argument(
        "--notebooks",
        metavar="DIR",
        type=Path,
        default=ROOT / "notebooks",
        help="folder of the NN-kebab-slug.ipynb notebooks to execute (default: %(default)s)",
    )
    output = build.add_mutually_exclusive_group()
    output.add_argument(
        "--site",
        metavar="DIR",
        type=Path,
        default=ROOT / "site",
        help="folder to export the static site to, created if needed (default: %(default)s)",
    )
    output.add_argument("--no-site", action="store_true", help="skip the HTML export")
    return parser


def _print_summary() -> None:
    """Validate the shipped data and print the summary."""
    try:
        summary = dataset_summary()
    except OSError as exc:
        msg = (
            f"cannot read the data file {_one_line(exc)}. Restore it (in a source checkout: "
            "git checkout -- data/) or reinstall kzviz."
        )
        raise _UserError(msg) from exc
    print(summary)


def _check_site(site: Path) -> None:
    """Stop if the site cannot be written to `site` because it, or a folder above it, is a file."""
    for folder in (site, *site.parents):
        if folder.exists():
            if not folder.is_dir():
                msg = f"cannot export the site to {site}: {folder} is a file. Move it away or choose another --site."
                raise _UserError(msg)
            return


def _check_notebooks(notebooks: Path, site: bool) -> None:
    """Stop unless `notebooks` holds a collection whose every notebook reads (and can become a page)."""
    from kzviz.notebook_files import NOTEBOOK_GLOB, collection_notebooks, read_notebook

    if not notebooks.is_dir():
        msg = (
            f"no notebook folder at {notebooks}. Name the folder with --notebooks; without it the build uses "
            "notebooks/ of a source checkout (an editable install, as scripts/run.sh makes; a wheel ships none)."
        )
        raise _UserError(msg)
    paths = collection_notebooks(notebooks)
    if not paths:
        raise _UserError(f"no notebooks named {NOTEBOOK_GLOB} in {notebooks}. Check the folder given to --notebooks.")
    for path in paths:
        try:
            read_notebook(path)
        except OSError as exc:
            raise _UserError(f"cannot read notebook {_one_line(exc)}. Check its permissions.") from exc
        except Exception as exc:  # nbformat raises ValueError, jsonschema errors, TypeError...
            reason = _one_line(exc)[:200]
            msg = f"{path} is not a valid notebook ({reason}). Fix it, or restore it from version control."
            raise _UserError(msg) from exc
    if site:
        from kzviz.site import page_name

        for path in paths:
            try:
                page_name(path)
            except ValueError as exc:
                raise _UserError(f"{exc} Rename {path}.") from exc


def _build(args: argparse.Namespace) -> None:
    """Check the folders, then refresh the notebooks and export the site."""
    site: Path | None = None if args.no_site else args.site
    if site is not None:
        _check_site(site)
    _check_notebooks(args.notebooks, site is not None)
    _print_summary()
    from kzviz.collection import NotebookError, build_collection

    try:
        build_collection(args.notebooks, site, only=args.only)
    except NotebookError as exc:
        raise _UserError(str(exc)) from exc  # the notebook's own traceback follows the first line
    except OSError as exc:
        raise _UserError(f"{_one_line(exc).rstrip('.')}. Check that path, then run the build again.") from exc
    except ValueError as exc:
        raise _UserError(_one_line(exc)) from exc
    if site is not None:
        print(f"site: open {site / 'index.html'}")


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
        the build fails, 130 when interrupted with Ctrl-C.
    """
    args = _parser().parse_args(argv)
    prog = f"kzviz {args.command}"
    try:
        if args.command == "build":
            _build(args)
        else:
            _print_summary()
    except KeyboardInterrupt:
        print(f"{prog}: interrupted.{_AFTER_INTERRUPT if args.command == 'build' else ''}", file=sys.stderr)
        return INTERRUPTED
    except DataError as exc:
        print(f"kzviz: invalid data\n{exc}", file=sys.stderr)
        return 1
    except _UserError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
