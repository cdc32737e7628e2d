#!/usr/bin/env bash
# Install the npm packages that stand in for CDN files in the offline browser
# tests (see offline.py). Idempotent: runs `npm ci` only when node_modules is
# missing or does not match package-lock.json (npm records what it installed in
# node_modules/.package-lock.json; we compare its "packages" with the lock
# file's, leaving out the lock file's root entry ""). offline.py's
# setup_problems() makes the same check before the browser tests run.
#
# Lifecycle scripts are skipped (--ignore-scripts): the packages are static
# files and none needs one (fontawesome's only prints an attribution).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v npm >/dev/null 2>&1; then
    echo "install_assets.sh: npm not found; install Node.js and npm (e.g. apt-get install -y nodejs npm)" >&2
    exit 1
fi

lock_is_current() {
    [ -f node_modules/.package-lock.json ] || return 1
    node -e '
        const fs = require("fs");
        const read = (f) => JSON.parse(fs.readFileSync(f, "utf8")).packages || {};
        const want = read("package-lock.json");
        const have = read("node_modules/.package-lock.json");
        delete want[""];
        const keys = (o) => Object.keys(o).sort();
        const same = JSON.stringify(keys(want)) === JSON.stringify(keys(have)) &&
            keys(want).every((k) => JSON.stringify(want[k]) === JSON.stringify(have[k]));
        process.exit(same ? 0 : 1);
    '
}

if lock_is_current; then
    echo "install_assets.sh: node_modules matches package-lock.json; nothing to do"
else
    echo "install_assets.sh: running npm ci in $(pwd)"
    npm ci --no-audit --no-fund --ignore-scripts
fi
