#!/usr/bin/env bash
# The project's test command (README: "Run the tests"). Headless Qt, all tests including slow ones.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec python3 -m pytest -q "$@"
