#!/usr/bin/env bash
# Run the map tests with the oldest and with the newest folium, branca and
# other runtime dependencies that pyproject.toml allows, each in its own venv
# (.venv-oldest, .venv-newest), so the ranges we publish are ranges we test.
#
# * oldest: every runtime dependency pinned to the lower bound of its range;
# * newest: the newest release inside every range, upgraded on every run.
#
# scripts/supported_versions.py turns pyproject.toml into those requirements
# and checks afterwards that pip installed exactly them. The map tests are
# the ones that depend on folium and branca: builders and ids without a
# browser, the timeline explorer, and the maps in headless Chromium.
#
# Usage: bash scripts/test_versions.sh [oldest|newest ...]   (default: both)
# Called by scripts/test.sh; needs the browser assets test.sh installs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
TESTS=(tests/test_maps.py tests/test_timeframe.py tests/test_timeline.py tests/browser/test_maps_browser.py)
PIP=(-m pip install -q --disable-pip-version-check)

if [ $# -eq 0 ]; then set -- oldest newest; fi
for which in "$@"; do
  case "$which" in oldest | newest) ;; *) echo "usage: $0 [oldest|newest ...]" >&2; exit 2 ;; esac
  venv=".venv-$which"
  if [ ! -x "$venv/bin/python" ]; then
    echo "==> creating $venv"
    "$PYTHON" -m venv "$venv"
  fi
  requirements="$venv/requirements.txt"
  "$venv/bin/python" scripts/supported_versions.py "$which" >"$requirements"
  echo "==> installing the $which supported runtime into $venv"
  if [ "$which" = newest ]; then
    "$venv/bin/python" "${PIP[@]}" --upgrade --upgrade-strategy eager -r "$requirements"
  else
    "$venv/bin/python" "${PIP[@]}" -r "$requirements"
  fi
  "$venv/bin/python" "${PIP[@]}" --no-deps -e .
  "$venv/bin/python" scripts/supported_versions.py check "$which"
  "$venv/bin/python" -c 'import folium, branca, pandas; print(f"    folium {folium.__version__}, branca {branca.__version__}, pandas {pandas.__version__}")'
  echo "==> map tests with the $which supported runtime"
  "$venv/bin/python" -m pytest "${TESTS[@]}" -q -p no:cacheprovider
done
