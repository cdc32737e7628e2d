#!/usr/bin/env bash
# Set up everything the tests need, then run the whole suite:
# lint, type checks, data tests, browser tests, notebook tests, and the map
# tests again with the oldest and the newest supported folium, branca and
# the rest of the runtime (scripts/test_versions.sh).
# Usage: bash scripts/test.sh [extra pytest args]
source "$(dirname "$0")/_setup.sh"
setup_venv test

if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Chromium (Debian package)"
  apt_install chromium
fi
if ! command -v npm >/dev/null; then
  echo "==> installing Node.js and npm (Debian packages)"
  apt_install nodejs npm
fi
echo "==> installing pinned browser assets"
bash tests/browser/install_assets.sh

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> mypy"
.venv/bin/mypy
echo "==> pytest"
.venv/bin/python -m pytest "$@"
echo "==> oldest and newest supported runtime"
bash scripts/test_versions.sh
