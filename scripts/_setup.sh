# Shared setup for scripts/run.sh and scripts/test.sh (sourced, not run).
# Creates .venv with Python 3.11+ and installs kzviz with the given extras.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null; then apt_install python3; fi
"$PYTHON" - <<'PY' || { echo "kzviz needs Python 3.11 or later (set PYTHON=python3.11 or newer)" >&2; exit 1; }
import sys
sys.exit(sys.version_info < (3, 11))
PY
if ! "$PYTHON" -c "import ensurepip, venv" 2>/dev/null; then apt_install python3-venv; fi

setup_venv() {
  local extras=$1
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv"
    "$PYTHON" -m venv .venv
  fi
  echo "==> installing kzviz[$extras] into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -c scripts/constraints.txt -e ".[$extras]"
}
