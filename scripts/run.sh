#!/usr/bin/env bash
# The main job: set up .venv, then build everything kzviz ships.
# Usage: bash scripts/run.sh
source "$(dirname "$0")/_setup.sh"
setup_venv notebooks
.venv/bin/python -m kzviz build "$@"
