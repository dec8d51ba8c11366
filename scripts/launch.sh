#!/usr/bin/env bash
# Install and launch gd-desktop:   bash scripts/launch.sh [gd-desktop arguments]
#
# Installs Qt's system libraries if missing (with apt-get when root; otherwise prints the
# `sudo apt-get install ...` line to run), creates .venv with Python 3.11+, runs
# `pip install -e .` in it (skipped when nothing changed), then starts `.venv/bin/gd-desktop`.
# PYTHON=/path/to/python3.12 picks the interpreter; GD_FORCE_INSTALL=1 forces the pip step.
set -euo pipefail

# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
gd_setup "."
exec "$GD_VENV/bin/gd-desktop" "$@"
